import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { Settings } from '../../src-common/contract';

export const defaultSettings: Settings = {
  downloadDir: null,
  maxConcurrentDownloads: 3,
  connectionsPerDownload: 16,
  speedLimit: 0,
  minSpeed: 1024,
  maxConcurrentPluginJobs: 3,
  jobExpiryDays: 30,
  defaultMaxAttempts: 5,
  fingerprintDownloads: false,
  notifications: true,
  theme: 'system',
  closeToTray: false,
  watchClipboard: false,
  startExternalLinks: false,
  apiEnabled: true,
  apiPort: 8181,
  allowedOrigins: [],
  aria2Enabled: false,
  aria2Port: 6800,
  aria2Secret: '',
  aria2AllowedOrigins: [],
  trustedCertificates: {},
};

/** A new aria2 RPC secret: 128 random bits in hex, so it fits in `token:` as it is. */
export const newAria2Secret = () => randomBytes(16).toString('hex');

/** User settings, one JSON value per key in the `settings` table. */
export class SettingsStore {
  private current: Settings;
  private readonly listeners = new Set<(settings: Settings, changed: Partial<Settings>) => void>();

  constructor(private readonly db: Database) {
    const stored: Record<string, unknown> = {};
    for (const row of db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]) {
      try {
        stored[row.key] = JSON.parse(row.value);
      } catch {
        // An unreadable value falls back to its default below.
      }
    }
    // Each stored value is checked on its own, so one bad value does not reset the rest.
    const merged: Record<string, unknown> = { ...defaultSettings };
    for (const [key, value] of Object.entries(stored)) {
      const field = Settings.shape[key as keyof Settings];
      if (field?.safeParse(value).success) merged[key] = value;
    }
    this.current = Settings.parse(merged);
    // The aria2 RPC never runs without a secret: the first start makes one, kept like the rest.
    if (this.current.aria2Secret === '') this.update({ aria2Secret: newAria2Secret() });
  }

  get(): Settings {
    return this.current;
  }

  update(changes: Partial<Settings>): Settings {
    // Emptied in Settings: a fresh random one, at once.
    if (changes.aria2Secret === '') changes = { ...changes, aria2Secret: newAria2Secret() };
    const next = Settings.parse({ ...this.current, ...changes });
    const write = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(changes)) write.run(key, JSON.stringify(value));
    })();
    this.current = next;
    for (const listener of this.listeners) listener(next, changes);
    return next;
  }

  onChange(listener: (settings: Settings, changed: Partial<Settings>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
