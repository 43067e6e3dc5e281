import type { AfterDownload } from '../jobs/scheduler';
import type { CompletionHooks } from '../plugins/completion-hooks';
import type { Library } from './library';

/** Creates the library resource for a finished download, then runs the completion hooks. */
export function afterDownload(
  library: Library,
  hooks: CompletionHooks,
  log: (jobId: string, line: string) => void,
): AfterDownload {
  return async (job, outcome) => {
    const add = () =>
      library.add({
        jobId: job.id,
        path: outcome.path,
        name: outcome.fileName,
        size: outcome.totalBytes,
        contentType: outcome.contentType,
        sha256: outcome.sha256,
        sourceUrl: outcome.finalUrl || job.url,
      });
    const registered = hooks.list();
    // No hook has to see the resource first: it is written with the job's `completed`,
    // in one transaction, and a job that cannot complete leaves no resource behind.
    if (registered.length === 0) {
      return {
        record: () => {
          const resource = add();
          return { resourceId: resource.id, path: resource.path, fileName: resource.name };
        },
      };
    }
    const resource = add();
    for (const hook of registered) {
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
