import type { Database, Statement } from 'better-sqlite3';
import { HaulError } from '../errors';

/** Limits of haul.storage, per plugin. */
export const storageLimits = { keyChars: 200, valueBytes: 1_000_000, totalBytes: 10_000_000, keys: 10_000 };

/** haul.storage: a key/value store per plugin, values kept as JSON in plugin_storage. */
export class PluginStorage {
  private readonly statements: Record<'get' | 'set' | 'delete' | 'keys' | 'usage', Statement>;

  constructor(db: Database) {
    this.statements = {
      get: db.prepare('SELECT value FROM plugin_storage WHERE plugin = ? AND key = ?'),
      set: db.prepare(`
        INSERT INTO plugin_storage (plugin, key, value) VALUES (?, ?, ?)
        ON CONFLICT (plugin, key) DO UPDATE SET value = excluded.value`),
      delete: db.prepare('DELETE FROM plugin_storage WHERE plugin = ? AND key = ?'),
      keys: db.prepare('SELECT key FROM plugin_storage WHERE plugin = ? ORDER BY key'),
      usage: db.prepare(
        'SELECT count(*) AS n, coalesce(sum(length(value) + length(key)), 0) AS bytes FROM plugin_storage WHERE plugin = ? AND key <> ?',
      ),
    };
  }

  get(plugin: string, key: string): unknown {
    const row = this.statements.get.get(plugin, key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as unknown) : null;
  }

  set(plugin: string, key: string, value: unknown): void {
    if (key.length === 0 || key.length > storageLimits.keyChars) {
      throw new HaulError('invalid_input', `storage keys must be 1-${storageLimits.keyChars} characters`);
    }
    const text = JSON.stringify(value ?? null);
    if (text.length > storageLimits.valueBytes) {
      throw new HaulError('invalid_input', `storage value for ${key} is over ${storageLimits.valueBytes} bytes`);
    }
    const usage = this.statements.usage.get(plugin, key) as { n: number; bytes: number };
    if (usage.n >= storageLimits.keys || usage.bytes + text.length > storageLimits.totalBytes) {
      throw new HaulError('invalid_input', `storage of this plugin is full (${storageLimits.totalBytes} bytes)`);
    }
    this.statements.set.run(plugin, key, text);
  }

  delete(plugin: string, key: string): void {
    this.statements.delete.run(plugin, key);
  }

  keys(plugin: string): string[] {
    return (this.statements.keys.all(plugin) as { key: string }[]).map((r) => r.key);
  }
}
