import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/**
 * Numbered, append-only. A released migration is never edited: add the next one.
 * Each runs in its own transaction together with the `user_version` bump.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'settings',
    up(db) {
      db.exec(`
        CREATE TABLE settings (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
