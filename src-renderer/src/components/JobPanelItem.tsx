import { memo, useEffect } from 'react';
import { formatBytes, formatPercent, formatTransfer } from '../lib/format';
import { fileKind, isFinished, jobTitle, statusLabels } from '../lib/job-display';
import { useStore } from '../store/instance';
import { Icon } from './Icon';
import { FileActions } from './FileActions';
import { JobActions } from './JobActions';
import { autoDismissed, autoDismissMs } from './panel-jobs';
import { ProgressBar } from './ProgressBar';
import { TaskIcon } from './TaskIcon';

/** One job in the panel. Subscribes to its own job only, so others' progress costs it nothing. */
export const JobPanelItem = memo(function JobPanelItem({ id }: { id: string }) {
  const job = useStore((s) => s.downloads[id] ?? s.actions[id] ?? s.tasks[id]);
  const dismiss = useStore((s) => s.dismiss);
  const showDetails = useStore((s) => s.showDetails);
  const status = job?.status;
  const finishedAt = job?.finishedAt ?? job?.updatedAt ?? 0;

  useEffect(() => {
    if (!status || !autoDismissed({ status })) return;
    const timer = setTimeout(() => dismiss([id]), Math.max(0, autoDismissMs - (Date.now() - finishedAt)));
    return () => clearTimeout(timer);
  }, [id, status, finishedAt, dismiss]);

  if (!job) return null;
  const name = jobTitle(job);
  const done = job.status === 'completed';
  const indeterminate = job.source === 'download' && job.status === 'downloading' && job.totalBytes === null;

  let detail: string;
  if (job.status === 'failed' || job.status === 'timeout') detail = job.error?.message ?? job.message;
  else if (job.source !== 'download' || isFinished(job.status)) {
    detail = job.source === 'download' && done ? formatBytes(job.totalBytes ?? job.receivedBytes) : job.message;
  } else if (job.status === 'downloading') detail = formatTransfer(job);
  else detail = job.message && job.message !== statusLabels[job.status] ? job.message : '';
  // A message is often the status word itself: "Cancelled · Cancelled" says nothing twice.
  if (detail === statusLabels[job.status]) detail = '';

  return (
    <li className={`panel-item status-${job.status}`} data-testid={`panel-job-${id}`} data-status={job.status}>
      <span className="panel-icon">
        {job.source === 'task' ? (
          <TaskIcon svg={job.iconSvg} />
        ) : (
          <Icon name={job.source === 'plugin' ? 'plugin' : fileKind(name)} size={18} />
        )}
      </span>
      <div className="panel-main">
        <div className="panel-line">
          <button
            type="button"
            className="panel-title link-button"
            title={job.source === 'task' && job.description ? `${name}\n${job.description}` : name}
            onClick={() => showDetails(id)}
          >
            {name}
          </button>
          <span className="panel-percent">{indeterminate ? '' : formatPercent(job.progress, done)}</span>
          <span className="panel-actions">
            <JobActions job={job} name={name} />
            <FileActions job={job} name={name} />
            {/* Only a finished job leaves the panel: one still running would go on unseen. */}
            {isFinished(job.status) && (
              <button
                type="button"
                className="icon-button"
                aria-label={`Dismiss ${name}`}
                title="Dismiss from this panel (it stays in the list)"
                onClick={() => dismiss([id])}
              >
                <Icon name="dismiss" size={14} />
              </button>
            )}
          </span>
        </div>
        <ProgressBar
          value={done ? 100 : job.progress}
          status={job.status}
          label={`${name} progress`}
          indeterminate={indeterminate}
        />
        <div
          className={`panel-detail${job.status === 'failed' || job.status === 'timeout' ? ' error' : ''}`}
          title={detail}
        >
          {job.status !== 'downloading' && (
            <span className="status-word">
              {statusLabels[job.status]}
              {detail ? ' · ' : ''}
            </span>
          )}
          {detail}
        </div>
      </div>
    </li>
  );
});
