import type { DownloadJob, Resource } from '../../../src-common/contract';
import { redactJob } from '../jobs/secrets';

/**
 * Runs in a download's processing step once the file is verified and in place. A hook
 * may move or rename the file (through the library); a hook that throws is logged and
 * the download still completes.
 */
export type CompletionHook = (event: { job: DownloadJob; resource: Resource }) => Promise<void> | void;

interface Entry {
  name: string;
  run: CompletionHook;
  wanted: () => boolean;
}

export class CompletionHooks {
  private readonly hooks = new Set<Entry>();

  /**
   * `wanted` says whether the hook has anything to do now; a hook that does not is not
   * run, and the download's resource is then written with its `completed` in one step.
   * @default () => true
   */
  add(name: string, run: CompletionHook, wanted: () => boolean = () => true): () => void {
    const entry = { name, run, wanted };
    this.hooks.add(entry);
    return () => this.hooks.delete(entry);
  }

  /** The hooks that have work for a download finishing now. */
  list(): { name: string; run: CompletionHook }[] {
    return [...this.hooks].filter((hook) => hook.wanted());
  }
}

/** A download's request headers can hold cookies or tokens: plugins' hooks get the job without them. */
export function jobForHooks(job: DownloadJob): DownloadJob {
  const { headers: _headers, ...options } = job.options;
  return redactJob({ ...job, options });
}
