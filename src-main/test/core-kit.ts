import { join } from 'node:path';
import { createCoreWithParts, type Core, type CoreParts } from '../core/app';
import { scriptedEngine } from './job-kit';

/**
 * A headless core on `dataDir` whose downloads never touch the network (a scripted
 * engine): for tests of commands, settings and the database, not of transfers.
 */
export function scriptedCore(dataDir: string, downloadDir = join(dataDir, 'dl')): Core & CoreParts {
  return createCoreWithParts({ ...headless(dataDir, downloadDir), downloadRunner: scriptedEngine().runner });
}

/** A headless core on `dataDir` with the real download engine: for tests of what it downloads. */
export function networkCore(dataDir: string, downloadDir = join(dataDir, 'dl')): Core & CoreParts {
  return createCoreWithParts(headless(dataDir, downloadDir));
}

const headless = (dataDir: string, downloadDir: string) =>
  ({ dataDir, downloadDir, runtime: 'headless', version: '0' }) as const;
