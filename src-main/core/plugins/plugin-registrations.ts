import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { Registration } from './protocol';

/**
 * One registration as a worker sends it: checked on the host, since the plugin's code runs
 * beside the sandbox's own and may forge the message (a null, flags that are no string).
 */
export const RegistrationShape = z.discriminatedUnion('what', [
  z.object({ what: z.literal('action'), declaration: z.unknown() }),
  z.object({
    what: z.literal('resolver'),
    pattern: z.string().max(2000),
    regex: z.object({ source: z.string().max(2000), flags: z.string().max(8) }).optional(),
  }),
  z.object({ what: z.literal('hook'), event: z.string().max(100) }),
]);

/** At most this many registrations a plugin: each one is kept and saved with the rest. */
export const maxRegistrations = 500;

const StoredRegistrations = z.array(RegistrationShape).max(maxRegistrations);

/** What makes two registrations the same: an action's id, a resolver's pattern, a hook's event. */
export function registrationIdentity(registration: Registration): string {
  switch (registration.what) {
    case 'action': {
      const id = (registration.declaration as { id?: unknown } | null)?.id;
      return `action:${typeof id === 'string' ? id : JSON.stringify(registration.declaration)}`;
    }
    case 'resolver':
      return `resolver:${JSON.stringify([registration.pattern, registration.regex ?? null])}`;
    case 'hook':
      return `hook:${registration.event}`;
  }
}

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
