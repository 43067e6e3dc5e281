import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { Clock } from '../clock';

const StoredSettings = z.record(z.string(), z.unknown());

export interface PluginChoice {
  enabled: boolean;
  settings: Record<string, unknown>;
}

/** What the user chose per plugin (enabled, settings), in the plugin_state table. */
export class PluginStateStore {
  private readonly read: Statement;
  private readonly write: Statement;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.read = db.prepare('SELECT enabled, settings FROM plugin_state WHERE name = ?');
    this.write = db.prepare(`
      INSERT INTO plugin_state (name, enabled, settings, updated_at) VALUES (@name, @enabled, @settings, @at)
      ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, settings = excluded.settings,
        updated_at = excluded.updated_at`);
  }

  /** Undefined when the user never touched the plugin; a corrupt settings row reads as none. */
  get(name: string): PluginChoice | undefined {
    const row = this.read.get(name) as { enabled: number; settings: string } | undefined;
    if (!row) return undefined;
    let settings: Record<string, unknown> = {};
    try {
      settings = StoredSettings.parse(JSON.parse(row.settings));
    } catch {
      console.warn(`haul: the stored settings of plugin ${name} were unreadable; using its defaults`);
    }
    return { enabled: row.enabled === 1, settings };
  }

  set(name: string, choice: PluginChoice): void {
    this.write.run({
      name,
      enabled: choice.enabled ? 1 : 0,
      settings: JSON.stringify(choice.settings),
      at: this.clock.now(),
    });
  }
}
