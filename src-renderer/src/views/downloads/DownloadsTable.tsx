import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useStore } from '../../store/instance';
import type { SortKey } from '../../store/table-query';
import { DownloadRow, PendingRow } from './DownloadRow';
import { TableFoot } from './TableFoot';

const rowHeight = 44;

const columns: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'size', label: 'Size', numeric: true },
  { key: 'progress', label: 'Progress' },
  { key: 'speed', label: 'Speed', numeric: true },
  { key: 'eta', label: 'ETA', numeric: true },
  { key: 'status', label: 'Status' },
  { key: 'added', label: 'Added', numeric: true },
];

/** The downloads, virtualized: only the rows in view (plus a few) exist in the DOM. */
export function DownloadsTable() {
  const ids = useStore((s) => s.tableIds);
  const selection = useStore((s) => s.selection);
  const sort = useStore((s) => s.sort);
  const setSort = useStore((s) => s.setSort);
  const scrollRef = useRef<HTMLDivElement>(null);
  const selected = new Set(selection);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const from = items[0]?.index ?? 0;
  const to = items[items.length - 1]?.index ?? 0;
  // The rows in view (with the overscan) are read from the core where no page holds them yet.
  useEffect(() => useStore.getState().showRows(from, to), [from, to, ids]);

  const onPick = useCallback((id: string, event: MouseEvent) => {
    const { selection: current, anchor, select: choose } = useStore.getState();
    const order = useStore.getState().tableIds;
    if (event.shiftKey && anchor) {
      const [a, b] = [order.indexOf(anchor), order.indexOf(id)].sort((x, y) => x - y);
      // Rows of the range not read yet are not selected: only rows on screen can be.
      if (a! >= 0)
        return choose(
          order.slice(a, b! + 1).filter((x) => x !== undefined),
          anchor,
        );
    }
    if (event.ctrlKey || event.metaKey) {
      return choose(current.includes(id) ? current.filter((x) => x !== id) : [...current, id], id);
    }
    choose([id], id);
  }, []);

  const onMenu = useCallback((id: string, event: MouseEvent) => {
    event.preventDefault();
    const { selection: current, select: choose, openMenu } = useStore.getState();
    if (!current.includes(id)) choose([id], id);
    openMenu({ x: event.clientX, y: event.clientY });
  }, []);

  /** Arrow keys move the selection; Enter opens the details. */
  const onKeyDown = (event: KeyboardEvent) => {
    const { anchor, select: choose, showDetails } = useStore.getState();
    const at = anchor ? ids.indexOf(anchor) : -1;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = Math.max(0, Math.min(ids.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)));
      const id = ids[next];
      if (!id) return;
      choose([id], id);
      virtualizer.scrollToIndex(next);
    } else if (event.key === 'Enter' && anchor) showDetails(anchor);
  };

  return (
    <div
      className="table"
      role="grid"
      aria-label="Downloads"
      aria-rowcount={ids.length + 1}
      aria-multiselectable="true"
    >
      <div className="row header-row" role="row" aria-rowindex={1}>
        {columns.map((column) => {
          const active = sort.key === column.key;
          return (
            <div
              key={column.label}
              role="columnheader"
              className={`cell${column.numeric ? ' num' : ''}`}
              aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
            >
              <button
                type="button"
                className="sort-button"
                onClick={() => setSort({ key: column.key, desc: active ? !sort.desc : column.key === 'added' })}
              >
                {column.label}
                <span className="sort-mark" aria-hidden="true">
                  {active ? (sort.desc ? '▾' : '▴') : ''}
                </span>
              </button>
            </div>
          );
        })}
      </div>
      <div className="table-body" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} data-testid="downloads-body">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const id = ids[item.index];
            if (id === undefined)
              return <PendingRow key={`pending-${item.index}`} index={item.index} start={item.start} />;
            return (
              <DownloadRow
                key={id}
                id={id}
                index={item.index}
                start={item.start}
                selected={selected.has(id)}
                onPick={onPick}
                onMenu={onMenu}
              />
            );
          })}
        </div>
        <TableFoot />
      </div>
    </div>
  );
}
