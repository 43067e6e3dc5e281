import type { DownloadJob, Resource } from '../../../src-preload/contract';
import type { AfterDownload } from '../jobs/scheduler';
import type { Library } from './library';

/**
 * Runs in a download's processing step once the file is verified and in place. A hook
 * may move or rename the file (through the library); a hook that throws is logged and
 * the download still completes.
 */
export type CompletionHook = (event: { job: DownloadJob; resource: Resource }) => Promise<void> | void;

export class CompletionHooks {
  private readonly hooks = new Set<{ name: string; run: CompletionHook }>();

  add(name: string, run: CompletionHook): () => void {
    const entry = { name, run };
    this.hooks.add(entry);
    return () => this.hooks.delete(entry);
  }

  list(): { name: string; run: CompletionHook }[] {
    return [...this.hooks];
  }
}

/** Creates the library resource for a finished download, then runs the completion hooks. */
export function afterDownload(
  library: Library,
  hooks: CompletionHooks,
  log: (jobId: string, line: string) => void,
): AfterDownload {
  return async (job, outcome) => {
    const resource = library.add({
      jobId: job.id,
      path: outcome.path,
      name: outcome.fileName,
      size: outcome.totalBytes,
      contentType: outcome.contentType,
      sha256: outcome.sha256,
      sourceUrl: outcome.finalUrl || job.url,
    });
    for (const hook of hooks.list()) {
      try {
        await hook.run({ job, resource: library.get(resource.id) });
      } catch (error) {
        log(
          job.id,
          `completion hook of ${hook.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const final = library.get(resource.id);
    return { resourceId: final.id, path: final.path, fileName: final.name };
  };
}
