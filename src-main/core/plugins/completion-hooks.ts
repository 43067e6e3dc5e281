import type { DownloadJob, Resource } from '../../../src-common/contract';

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
