import { memo, type MouseEvent } from 'react';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { formatAdded, formatBytes, formatEta, formatPercent, formatSpeed } from '../../lib/format';
import { downloadName, fileKind, statusLabels } from '../../lib/job-display';
import { useRenderCount } from '../../lib/render-count';
import { downloadOf } from '../../store/table-slice';
import { useStore } from '../../store/instance';

interface Props {
  id: string;
  index: number;
  /** Pixel offset from the virtualizer. */
  start: number;
  selected: boolean;
  onPick(id: string, event: MouseEvent): void;
  onMenu(id: string, event: MouseEvent): void;
}

/**
 * One table row. Memoized and subscribed to its own job, so a progress event for another
 * download never renders it again (counted by the e2e suite through useRenderCount).
 */
export const DownloadRow = memo(function DownloadRow({ id, index, start, selected, onPick, onMenu }: Props) {
  const job = useStore((s) => downloadOf(s, id));
  const showDetails = useStore((s) => s.showDetails);
  useRenderCount(id);
  if (!job) return null;
  const name = downloadName(job);
  const done = job.status === 'completed';
  const active = job.status === 'downloading';
  const sizeUnknown = active && job.totalBytes === null;
  const size = job.totalBytes ?? (done ? job.receivedBytes : null);

  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`row${selected ? ' selected' : ''} status-${job.status}`}
      style={{ transform: `translateY(${start}px)` }}
      data-testid={`row-${id}`}
      data-status={job.status}
      onClick={(event) => onPick(id, event)}
      onDoubleClick={() => showDetails(id)}
      onContextMenu={(event) => onMenu(id, event)}
    >
      <div role="gridcell" className="cell cell-name" title={job.url}>
        <Icon name={fileKind(name)} size={18} />
        <span className="name-text">{name}</span>
      </div>
      <div role="gridcell" className="cell num">
        {formatBytes(size)}
      </div>
      <div role="gridcell" className="cell cell-progress">
        <ProgressBar
          value={done ? 100 : job.progress}
          status={job.status}
          label={`${name} progress`}
          indeterminate={sizeUnknown}
        />
        <span className="num percent">{sizeUnknown ? '—' : formatPercent(job.progress, done)}</span>
      </div>
      <div role="gridcell" className="cell num">
        {active ? formatSpeed(job.speed) : '—'}
      </div>
      <div role="gridcell" className="cell num">
        {active ? formatEta(job.eta) : '—'}
      </div>
      <div role="gridcell" className="cell" title={job.error?.message ?? job.message}>
        <span className={`badge badge-${job.status}`}>{statusLabels[job.status]}</span>
      </div>
      <div role="gridcell" className="cell num muted">
        {formatAdded(job.createdAt)}
      </div>
    </div>
  );
});

/** A row whose page is on its way from the core: its place in the list, without content yet. */
export function PendingRow({ index, start }: { index: number; start: number }) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-busy="true"
      className="row row-pending"
      style={{ transform: `translateY(${start}px)` }}
    >
      <div role="gridcell" className="cell cell-name">
        <span className="pending-bar" />
      </div>
    </div>
  );
}
