import { memo } from 'react';
import type { PluginJob, TaskJob } from '../../../../src-common/contract';
import { Icon } from '../../components/Icon';
import { JobActions } from '../../components/JobActions';
import { ProgressBar } from '../../components/ProgressBar';
import { TaskIcon } from '../../components/TaskIcon';
import { formatDateTime, formatPercent } from '../../lib/format';
import { jobTitle, statusLabels } from '../../lib/job-display';
import { metadataLines } from '../../lib/metadata-lines';

/** The jobs this view lists: scripts' and plugins' own tasks, and plugin action jobs. */
export type WorkJob = TaskJob | PluginJob;

/** What a card says about who made the job and what kind it is. */
function origin(job: WorkJob): { description: string; type: string; creator: string } {
  // A script names itself as it likes: it is said to be a script, so it cannot pass for a plugin.
  if (job.source === 'task') {
    const creator = job.createdBy === 'plugin' ? `the ${job.creator} plugin` : `${job.creator} (a script)`;
    return { description: job.description, type: job.type, creator };
  }
  return { description: '', type: job.actionId, creator: `the ${job.pluginName} plugin` };
}

function Metadata({ metadata }: { metadata: Record<string, unknown> }) {
  const { lines, more } = metadataLines(metadata);
  if (lines.length === 0) return null;
  return (
    <dl className="job-meta" aria-label="Details">
      {lines.map((line, index) => (
        <div key={`${index}:${line.key}`} className="job-meta-line">
          <dt title={line.key}>{line.key}</dt>
          <dd title={line.full ?? line.value}>{line.value}</dd>
        </div>
      ))}
      {more > 0 && <div className="muted job-meta-more">and {more} more</div>}
    </dl>
  );
}

/** One task or plugin job: what it is, who made it, where it stands, and what may be done to it. */
export const JobCard = memo(function JobCard({ job }: { job: WorkJob }) {
  const name = jobTitle(job);
  const { description, type, creator } = origin(job);
  const done = job.status === 'completed';
  const message =
    job.status === 'failed' || job.status === 'timeout' ? (job.error?.message ?? job.message) : job.message;
  const showMessage = message && message !== statusLabels[job.status];
  return (
    <li className={`job-card status-${job.status}`} data-testid={`job-card-${job.id}`} data-status={job.status}>
      <span className="job-card-icon">
        {job.source === 'task' ? <TaskIcon svg={job.iconSvg} size={24} /> : <Icon name="plugin" size={24} />}
      </span>
      <div className="job-card-main">
        <div className="job-card-head">
          <h3 className="job-card-name" title={name}>
            {name}
          </h3>
          <span className={`badge badge-${job.status}`}>{statusLabels[job.status]}</span>
          <span className="job-card-actions">
            <JobActions job={job} name={name} />
          </span>
        </div>
        {description && (
          <p className="job-card-description" title={description}>
            {description}
          </p>
        )}
        <p className="job-card-origin muted">
          <span title="Type">{type}</span>
          <span aria-hidden="true"> · </span>
          <span>by {creator}</span>
          <span aria-hidden="true"> · </span>
          <span>{formatDateTime(job.createdAt)}</span>
        </p>
        <div className="job-card-progress">
          <ProgressBar value={done ? 100 : job.progress} status={job.status} label={`${name} progress`} />
          <span className="job-card-percent">{formatPercent(job.progress, done)}</span>
        </div>
        {showMessage && (
          <p className={`job-card-message${job.error ? ' error' : ''}`} title={message}>
            {message}
          </p>
        )}
        {job.metadata && <Metadata metadata={job.metadata} />}
      </div>
    </li>
  );
});
