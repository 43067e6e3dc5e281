/** What the app says about itself, and the user's settings. */
import { z } from 'zod';
import { FolderPath } from './jobs';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  downloadDir: z.string(),
  platform: z.string(),
  /** `electron` inside the desktop app, `headless` under `haul serve`. */
  runtime: z.enum(['electron', 'headless']),
  schemaVersion: z.number().int(),
  /** Things the user must be told at start, e.g. a damaged database that was replaced. */
  notices: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Settings = z.object({
  /** Where downloads go when a job names no folder; null: the system's Downloads folder. */
  downloadDir: FolderPath.nullable(),
  /** @default 3 */
  maxConcurrentDownloads: z.number().int().min(1).max(20),
  /** Connections per download when the job does not say. @default 8 */
  connectionsPerDownload: z.number().int().min(1).max(16),
  /** Bytes per second for all downloads together; 0: unlimited. @default 0 */
  speedLimit: z.number().int().min(0),
  /**
   * A download slower than this many bytes per second over a minute is stopped and
   * retried later, so a trickling server cannot hold a slot for ever; 0: off. @default 1024
   */
  minSpeed: z.number().int().min(0),
  /** @default 3 */
  maxConcurrentPluginJobs: z.number().int().min(1).max(20),
  /** History older than this is deleted. @default 30 */
  jobExpiryDays: z.number().int().min(1).max(3650),
  /** @default 5 */
  defaultMaxAttempts: z.number().int().min(1).max(100),
  /**
   * A SHA-256 of every finished download, in its result and library entry. Off, only a
   * download given a checksum to verify is hashed: hashing was more than half of the CPU
   * a large download cost. @default false
   */
  fingerprintDownloads: z.boolean(),
  /** Desktop notifications when downloads and plugin jobs end. @default true */
  notifications: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  /** Desktop app: closing the window keeps Haul running in the tray. @default false */
  closeToTray: z.boolean(),
  /** Desktop app: offer http(s) URLs copied to the clipboard. @default false */
  watchClipboard: z.boolean(),
  /**
   * Desktop app: links handed over from outside (haul:// links, another launch, the
   * clipboard) start at once. Off, they open Add prefilled for the user to confirm, so no
   * web page can start a download silently. @default false
   */
  startExternalLinks: z.boolean(),
  /** Desktop app: run the local API too. `haul serve` always runs it. @default true */
  apiEnabled: z.boolean(),
  /** @default 8181 */
  apiPort: z.number().int().min(1).max(65535),
  /** Origins besides Haul's own that may call the local API (e.g. a browser extension). */
  allowedOrigins: z.array(z.string().url()),
  /** The aria2-compatible JSON-RPC endpoint (`/jsonrpc`), for aria2 tools. @default false */
  aria2Enabled: z.boolean(),
  /** Its port, on 127.0.0.1. @default 6800 (aria2's) */
  aria2Port: z.number().int().min(1).max(65535),
  /**
   * What aria2 clients send as `token:SECRET`; separate from the API token. Never empty
   * once stored: Haul makes a random one on first start and whenever it is emptied.
   */
  aria2Secret: z
    .string()
    .max(256)
    .regex(/^[\x21-\x7e]*$/, 'use printable characters without spaces'),
  /** Web UIs (e.g. AriaNg) that may call the aria2 endpoint from a page, by origin. */
  aria2AllowedOrigins: z.array(z.string().url()),
  /**
   * Server certificates trusted one by one (self-signed ones of a NAS or a home lab):
   * `host:port` -> the SHA-256 fingerprint of that server's certificate. Only that
   * certificate is accepted for that host and port; nothing else changes. @default {}
   */
  trustedCertificates: z.record(
    z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/, 'use host:port in lower case'),
    z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'a SHA-256 fingerprint as AB:CD:… (32 pairs)'),
  ),
});
export type Settings = z.infer<typeof Settings>;
