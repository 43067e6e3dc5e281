import type { Settings } from '../../../../src-common/contract';

export type FieldKind =
  | { type: 'int'; min: number; max: number; unit?: string }
  /** Bytes per second, edited in KB/s or MB/s. */
  | { type: 'speed' }
  /** A path, or empty for the system default (null in the core). */
  | { type: 'folder' }
  | { type: 'boolean' }
  | { type: 'select'; options: { value: string; label: string }[] }
  /** A list of strings, one per line. */
  | { type: 'lines'; placeholder?: string }
  /** One line of text, shown as it is (not hidden: the user reads it to paste elsewhere). */
  | { type: 'text'; placeholder?: string };

export interface FieldSpec {
  key: keyof Settings;
  label: string;
  hint: string;
  kind: FieldKind;
  /** Means nothing outside the desktop app, so a browser does not show it. */
  desktopOnly?: boolean;
}

export interface FieldGroup {
  id: string;
  title: string;
  /** Said in place of the group in a browser, when every field in it is desktop-only. */
  browserNote?: string;
  fields: FieldSpec[];
}

export const speedUnits = { 'KB/s': 1024, 'MB/s': 1024 * 1024 } as const;
export type SpeedUnit = keyof typeof speedUnits;

/** The draft's key for a speed field's unit. */
export function unitKey(key: keyof Settings): string {
  return `${key}:unit`;
}

export const settingGroups: FieldGroup[] = [
  {
    id: 'downloads',
    title: 'Downloads',
    fields: [
      {
        key: 'downloadDir',
        label: 'Download folder',
        hint: 'Where new downloads are saved. Left empty, Haul’s default folder (shown in the box) is used.',
        kind: { type: 'folder' },
      },
      {
        key: 'connectionsPerDownload',
        label: 'Connections per download',
        hint: 'The most to one server, when it allows ranges. Haul adds them only while they make the download faster.',
        kind: { type: 'int', min: 1, max: 16 },
      },
      {
        key: 'speedLimit',
        label: 'Speed limit',
        hint: 'For all downloads together. 0 means no limit.',
        kind: { type: 'speed' },
      },
      {
        key: 'minSpeed',
        label: 'Minimum speed',
        hint: 'A download slower than this over a minute is stopped and retried later, freeing its slot. 0 means no minimum.',
        kind: { type: 'speed' },
      },
      {
        key: 'defaultMaxAttempts',
        label: 'Attempts per download',
        hint: 'Network and server errors are retried up to this many times.',
        kind: { type: 'int', min: 1, max: 100 },
      },
      {
        key: 'fingerprintDownloads',
        label: 'SHA-256 of every download',
        hint: 'Kept with each finished download (its result and library entry, for the API and plugins). It costs about as much CPU as the download itself; a download given a checksum is verified either way.',
        kind: { type: 'boolean' },
      },
    ],
  },
  {
    id: 'queue',
    title: 'Queue',
    fields: [
      {
        key: 'maxConcurrentDownloads',
        label: 'Downloads at once',
        hint: 'How many downloads transfer at the same time; the rest wait in order. One being verified and saved no longer takes a place.',
        kind: { type: 'int', min: 1, max: 20 },
      },
      {
        key: 'maxConcurrentPluginJobs',
        label: 'Plugin jobs at once',
        hint: 'How many plugin actions run at the same time.',
        kind: { type: 'int', min: 1, max: 20 },
      },
    ],
  },
  {
    id: 'desktop',
    title: 'Notifications & tray',
    browserNote: 'Notifications, the tray and clipboard watching are set in the desktop app.',
    fields: [
      {
        key: 'notifications',
        label: 'Notifications',
        hint: 'Tell me when a download or plugin job finishes or fails.',
        kind: { type: 'boolean' },
        desktopOnly: true,
      },
      {
        key: 'closeToTray',
        label: 'Keep running in the tray',
        hint: 'Closing the window keeps downloads going; quit from the tray icon.',
        kind: { type: 'boolean' },
        desktopOnly: true,
      },
      {
        key: 'watchClipboard',
        label: 'Watch the clipboard',
        hint: 'Offer to download links you copy.',
        kind: { type: 'boolean' },
        desktopOnly: true,
      },
      {
        key: 'startExternalLinks',
        label: 'Start links from outside at once',
        hint: 'haul:// links, links given to another launch and copied links start without asking. Off: they open Add for you to confirm.',
        kind: { type: 'boolean' },
        desktopOnly: true,
      },
    ],
  },
  {
    id: 'api',
    title: 'Local API',
    fields: [
      {
        key: 'apiEnabled',
        label: 'Local API',
        hint: 'Lets a browser or extension on this computer control Haul, with a token.',
        kind: { type: 'boolean' },
        desktopOnly: true,
      },
      {
        key: 'apiPort',
        label: 'Port',
        hint: 'The desktop app listens on 127.0.0.1 at this port; haul serve uses its --port.',
        kind: { type: 'int', min: 1, max: 65535 },
      },
      {
        key: 'allowedOrigins',
        label: 'Allowed origins',
        hint: 'Other web origins that may call the API, one per line, e.g. a browser extension.',
        kind: { type: 'lines' },
      },
    ],
  },
  {
    id: 'aria2',
    title: 'aria2 clients',
    fields: [
      {
        key: 'aria2Enabled',
        label: 'aria2-compatible RPC',
        hint: 'Lets aria2 tools (AriaNg, browser extensions for aria2, aria2 scripts) add and control downloads.',
        kind: { type: 'boolean' },
      },
      {
        key: 'aria2Port',
        label: 'RPC port',
        hint: 'On 127.0.0.1, path /jsonrpc (HTTP and WebSocket). aria2’s own default is 6800.',
        kind: { type: 'int', min: 1, max: 65535 },
      },
      {
        key: 'aria2Secret',
        label: 'RPC secret',
        hint: 'Clients send it as token:SECRET (their “secret token” box). Empty it to get a new random one.',
        kind: { type: 'text', placeholder: 'A new random secret' },
      },
      {
        key: 'aria2AllowedOrigins',
        label: 'Allowed web UIs',
        hint: 'Origins of web pages that may call the RPC, one per line, e.g. where AriaNg is served.',
        kind: { type: 'lines', placeholder: 'http://localhost:6880' },
      },
    ],
  },
  {
    id: 'appearance',
    title: 'Appearance',
    fields: [
      {
        key: 'theme',
        label: 'Theme',
        hint: 'System follows your operating system’s light or dark mode.',
        kind: {
          type: 'select',
          options: [
            { value: 'system', label: 'System' },
            { value: 'light', label: 'Light' },
            { value: 'dark', label: 'Dark' },
          ],
        },
      },
    ],
  },
  {
    id: 'history',
    title: 'History',
    fields: [
      {
        key: 'jobExpiryDays',
        label: 'Keep history for',
        hint: 'Finished jobs older than this are deleted. Files stay in the library.',
        kind: { type: 'int', min: 1, max: 3650, unit: 'days' },
      },
    ],
  },
];

/** The groups and fields this window shows: desktop-only ones only inside the desktop app. */
export function visibleGroups(desktop: boolean): FieldGroup[] {
  return settingGroups.map((group) => ({
    ...group,
    fields: group.fields.filter((field) => desktop || !field.desktopOnly),
  }));
}
