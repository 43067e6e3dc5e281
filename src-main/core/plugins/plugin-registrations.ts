import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { Registration } from './protocol';

const StoredRegistrations = z.array(
  z.discriminatedUnion('what', [
    z.object({ what: z.literal('action'), declaration: z.unknown() }),
    z.object({
      what: z.literal('resolver'),
      pattern: z.string(),
      regex: z.object({ source: z.string(), flags: z.string() }).optional(),
    }),
    z.object({ what: z.literal('hook'), event: z.string() }),
  ]),
);

/** What activate registers depends on the plugin's code, manifest and settings: these name it. */
export function registrationKey(manifest: unknown, code: string, settings: Record<string, unknown>): string {
  return createHash('sha256')
    .update(JSON.stringify([manifest, code, settings]))
    .digest('hex');
}

/**
 * What each plugin registered (actions, resolvers, hooks) the last time activate ran, in
 * the plugin_registrations table. With it a plugin is listed, offers its actions and is
 * routed its hooks and URLs at start without running its worker.
 */
export class PluginRegistrations {
  private readonly read: Statement;
  private readonly write: Statement;

  constructor(db: Database) {
    this.read = db.prepare('SELECT key, registrations FROM plugin_registrations WHERE name = ?');
    this.write = db.prepare(`
      INSERT INTO plugin_registrations (name, key, registrations) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET key = excluded.key, registrations = excluded.registrations`);
  }

  /** Undefined when activate has not run with this key, or the row is unreadable. */
  get(name: string, key: string): Registration[] | undefined {
    const row = this.read.get(name) as { key: string; registrations: string } | undefined;
    if (row?.key !== key) return undefined;
    try {
      return StoredRegistrations.parse(JSON.parse(row.registrations));
    } catch {
      return undefined;
    }
  }

  set(name: string, key: string, registrations: readonly Registration[]): void {
    this.write.run(name, key, JSON.stringify(registrations));
  }
}
