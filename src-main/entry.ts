import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when `moduleUrl` is the program node was started with (not a module a test imported). */
export function isEntry(moduleUrl: string): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** Runs a command-line entry, printing a failure as one `haul:` line and exiting 1. */
export function runEntry(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(`haul: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
