import type { Job } from '../../../src-common/contract';
import { useStore } from '../store/instance';
import { Icon } from './Icon';

/** The library entry of a job, when it is a download that finished into one. */
export function resourceOf(job: Job | undefined): number | undefined {
  return job?.source === 'download' && job.status === 'completed' && job.resourceId !== null
    ? job.resourceId
    : undefined;
}

/** Why Open and Show in folder are off in a browser: the files are on the machine Haul runs on. */
export const notInBrowser = 'Opening files works in the desktop app; in a browser, use the download folder.';

/** Whether this window can open files: the desktop app's can, a browser's cannot. */
export function useCanOpenFiles(): boolean {
  return useStore((s) => s.client.transport === 'ipc');
}

/** Open and Show in folder for a finished download; nothing for any other job. */
export function FileActions({ job, name }: { job: Job; name: string }) {
  const openResource = useStore((s) => s.openResource);
  const canOpen = useCanOpenFiles();
  const resourceId = resourceOf(job);
  if (resourceId === undefined) return null;
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={`Open ${name}`}
        title={canOpen ? 'Open' : notInBrowser}
        disabled={!canOpen}
        onClick={() => void openResource(resourceId, 'open')}
      >
        <Icon name="open" />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={`Show ${name} in folder`}
        title={canOpen ? 'Show in folder' : notInBrowser}
        disabled={!canOpen}
        onClick={() => void openResource(resourceId, 'reveal')}
      >
        <Icon name="folder" />
      </button>
    </>
  );
}
