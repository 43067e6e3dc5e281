import type { Job } from '../../../src-common/contract';
import { allowedActions } from '../lib/job-display';
import { useStore } from '../store/instance';
import { Icon } from './Icon';

/** The buttons that fit a job's status, shared by the panel and the details drawer. */
export function JobActions({ job, name }: { job: Job; name: string }) {
  const run = useStore((s) => s.runJobCommand);
  const can = allowedActions(job);
  return (
    <>
      {can.pause && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Pause ${name}`}
          title="Pause"
          onClick={() => void run('jobs.pause', [job.id])}
        >
          <Icon name="pause" />
        </button>
      )}
      {can.resume && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Resume ${name}`}
          title="Resume"
          onClick={() => void run('jobs.resume', [job.id])}
        >
          <Icon name="play" />
        </button>
      )}
      {can.suspend && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Suspend ${name}`}
          title="Suspend (stop at the next checkpoint, resume later from there)"
          onClick={() => void run('jobs.suspend', [job.id])}
        >
          <Icon name="suspend" />
        </button>
      )}
      {can.retry && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Retry ${name}`}
          title="Retry"
          onClick={() => void run('jobs.retry', [job.id])}
        >
          <Icon name="retry" />
        </button>
      )}
      {can.cancel && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Cancel ${name}`}
          title="Cancel"
          onClick={() => void run('jobs.cancel', [job.id])}
        >
          <Icon name="cancel" />
        </button>
      )}
    </>
  );
}
