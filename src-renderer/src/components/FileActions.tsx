import type { Job } from '../../../src-common/contract';
import { useStore } from '../store/instance';
import { Icon } from './Icon';

/** The library entry of a job, when it is a download that finished into one. */
export function resourceOf(job: Job | undefined): number | undefined {
  return job?.source === 'download' && job.status === 'completed' && job.resourceId !== null
    ? job.resourceId
    : undefined;
}

/** Open and Show in folder for a finished download; nothing for any other job. */
export function FileActions({ job, name }: { job: Job; name: string }) {
  const openResource = useStore((s) => s.openResource);
  const resourceId = resourceOf(job);
  if (resourceId === undefined) return null;
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={`Open ${name}`}
        title="Open"
        onClick={() => void openResource(resourceId, 'open')}
      >
        <Icon name="open" />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={`Show ${name} in folder`}
        title="Show in folder"
        onClick={() => void openResource(resourceId, 'reveal')}
      >
        <Icon name="folder" />
      </button>
    </>
  );
}
