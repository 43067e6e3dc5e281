import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { AppInfo, Envelope } from '../../src-preload/contract';
import { dispatch, type CommandHandlers } from './dispatch';
import { openDatabase, schemaVersion } from './store/database';

export interface CoreOptions {
  dataDir: string;
  downloadDir: string;
  runtime: AppInfo['runtime'];
  version: string;
  /** @default process.platform */
  platform?: string;
  /** See OpenDatabaseOptions.nativeBinding. */
  nativeBinding?: string;
}

/** The one facade the Electron shell and the HTTP server use. */
export interface Core {
  readonly info: AppInfo;
  readonly commands: CommandHandlers;
  /** Parses and runs a command by name; the envelope never throws. */
  invoke(name: unknown, input: unknown): Promise<Envelope<unknown>>;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true });
  const db: Database = openDatabase({
    file: join(options.dataDir, 'haul.db'),
    nativeBinding: options.nativeBinding,
  });

  const info: AppInfo = {
    name: 'Haul',
    version: options.version,
    dataDir: options.dataDir,
    downloadDir: options.downloadDir,
    platform: options.platform ?? process.platform,
    runtime: options.runtime,
    schemaVersion: schemaVersion(db),
  };

  const commands: CommandHandlers = {
    'app.info': () => info,
  };

  let closed = false;
  return {
    info,
    commands,
    invoke: (name, input) => dispatch(commands, name, input),
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
