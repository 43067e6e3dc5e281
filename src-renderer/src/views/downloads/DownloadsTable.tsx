import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { State } from '../../store';
import { useStore } from '../../store/instance';
import { memoizeLast, visibleIds, type SortKey, type TableQuery } from '../../store/table-query';
import { DownloadRow } from './DownloadRow';
import { HistoryFoot, historyPrefetchRows, useHistoryPaging } from './HistoryFoot';

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

const select = memoizeLast(visibleIds);
let lastQuery: TableQuery | undefined;
/** Keeps one query object while tab, search and sort stay the same, so the memo holds. */
export function selectVisibleIds(s: State): string[] {
  if (!lastQuery || lastQuery.tab !== s.tab || lastQuery.search !== s.search || lastQuery.sort !== s.sort) {
    lastQuery = { tab: s.tab, search: s.search, sort: s.sort };
  }
  return select(s.downloads, s.history, lastQuery);
}

/** The downloads, virtualized: only the rows in view (plus a few) exist in the DOM. */
export function DownloadsTable() {
  const ids = useStore(useShallow(selectVisibleIds));
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
  useHistoryPaging((items[items.length - 1]?.index ?? -1) >= ids.length - historyPrefetchRows);

  const onPick = useCallback((id: string, event: MouseEvent) => {
    const { selection: current, anchor, select: choose } = useStore.getState();
    const order = selectVisibleIds(useStore.getState());
    if (event.shiftKey && anchor) {
      const [a, b] = [order.indexOf(anchor), order.indexOf(id)].sort((x, y) => x - y);
      if (a! >= 0) return choose(order.slice(a, b! + 1), anchor);
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
            const id = ids[item.index]!;
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
        <HistoryFoot />
      </div>
    </div>
  );
}
