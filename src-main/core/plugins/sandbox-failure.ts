import { formatSeconds, SandboxFailure } from './worker-client';

/**
 * What the user reads when plugin code fails: which plugin, and what happened in words
 * (the sandbox's own names like `InternalError: interrupted` mean little to them).
 */
export function describeFailure(plugin: string, error: unknown, limitMs?: number): string {
  if (!(error instanceof SandboxFailure)) {
    return `Plugin ${plugin} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  switch (error.reason) {
    case 'interrupted':
      return `Plugin ${plugin} ran too long without pausing${limitMs ? ` (limit ${formatSeconds(limitMs)})` : ''} and was stopped.`;
    case 'memory':
      return `Plugin ${plugin} ran out of memory and was stopped (${error.message}).`;
    case 'timeout':
      return `Plugin ${plugin} ${error.message}.`;
    case 'crashed':
      return `Plugin ${plugin} stopped: ${error.message}.`;
    default:
      return `Plugin ${plugin} failed: ${error.message}`;
  }
}
