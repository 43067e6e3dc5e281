/**
 * aria2's per-download and global options, mapped onto Haul's submit input and settings.
 * Options with a meaning in Haul are checked and applied; the rest are accepted and
 * ignored, as aria2 itself does with options that do not apply to a download.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DownloadJob, Settings, SubmitInput } from '../../../src-common/contract';
import { badOption } from './errors';

export type OptionValue = string | number | boolean | string[];
export type Options = Record<string, OptionValue>;

function text(name: string, value: OptionValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badOption(name);
}

function integer(name: string, value: OptionValue | undefined, min: number, max: number): number | undefined {
  const raw = text(name, value);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) throw badOption(name);
  return Number(raw);
}

/** `10K`, `1M`, `1048576`: bytes per second (aria2's size syntax); 0 means no limit. */
export function parseSpeed(name: string, value: OptionValue | undefined): number | undefined {
  const raw = text(name, value)?.trim();
  if (raw === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)([KkMm]?)$/.exec(raw);
  if (!match) throw badOption(name);
  const unit = { '': 1, k: 1024, m: 1024 * 1024 }[match[2]!.toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(match[1]) * unit);
}

/** aria2's `header` option: one `Name: value` string or a list of them. */
function headersOf(value: OptionValue | undefined): [string, string][] {
  if (value === undefined) return [];
  const lines = Array.isArray(value) ? value : [text('header', value)!];
  return lines.map((line) => {
    const colon = typeof line === 'string' ? line.indexOf(':') : -1;
    if (colon <= 0) throw badOption('header');
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
}

function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * `path` with the links of its existing part followed; the rest, still to be made, as it
 * is. Null when a part is there but cannot be followed (a link to nothing yet, which a
 * folder made through it would follow).
 */
function realPath(path: string): string | null {
  const rest: string[] = [];
  for (let probe = path; ; probe = dirname(probe)) {
    try {
      return join(realpathSync(probe), ...rest);
    } catch {
      if (lstatSync(probe, { throwIfNoEntry: false })) return null;
      if (dirname(probe) === probe) return path;
      rest.unshift(basename(probe));
    }
  }
}

/**
 * The folder a download may go to: `dir` relative to the download folder, or an absolute
 * path inside it. A page that learned the secret must not be able to write a file into
 * a startup folder or over a shell profile, so anything outside is refused, by its name
 * and by where its links lead (a link in the download folder to `~/.config`).
 */
export function folderOf(dir: string | undefined, downloadDir: string): string | undefined {
  if (dir === undefined || dir === '') return undefined;
  if (dir.includes('\0')) throw badOption('dir');
  const path = resolve(downloadDir, dir);
  if (relative(downloadDir, path) === '') return undefined;
  const [real, realRoot] = [realPath(path), realPath(downloadDir)];
  if (!inside(path, downloadDir) || real === null || realRoot === null || !inside(real, realRoot)) {
    throw badOption('dir', `Haul saves only inside its download folder (${downloadDir}).`);
  }
  return path;
}

/** `out` must be a plain file name: no folders, no way up. Haul's own naming cleans the rest. */
function fileNameOf(out: string | undefined): string | undefined {
  if (out === undefined || out === '') return undefined;
  if (/[/\\\0]/.test(out) || out === '.' || out === '..' || Buffer.byteLength(out) > 255) {
    throw badOption('out', 'It must be a file name without folders.');
  }
  return out;
}

/** aria2.addUri's options as Haul's submit input (without the URL). */
export function submitOptions(options: Options, downloadDir: string): Omit<SubmitInput, 'url'> {
  const headers: Record<string, string> = {};
  for (const [name, value] of headersOf(options.header)) headers[name] = value;
  const referer = text('referer', options.referer);
  if (referer) headers.Referer = referer;
  const userAgent = text('user-agent', options['user-agent']);
  if (userAgent) headers['User-Agent'] = userAgent;
  const split = integer('split', options.split, 1, 1_000_000);
  const perServer = integer('max-connection-per-server', options['max-connection-per-server'], 1, 16);
  const given = [split, perServer].filter((n): n is number => n !== undefined);
  const speedLimit = parseSpeed('max-download-limit', options['max-download-limit']);
  const pause = text('pause', options.pause);
  if (pause !== undefined && pause !== 'true' && pause !== 'false') throw badOption('pause');
  const dir = folderOf(text('dir', options.dir), downloadDir);
  const fileName = fileNameOf(text('out', options.out));
  return {
    ...(dir ? { dir } : {}),
    ...(fileName ? { fileName } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    // aria2 opens at most `split` connections and at most this many per server; one server here.
    ...(given.length > 0 ? { connections: Math.min(16, ...given) } : {}),
    ...(speedLimit ? { speedLimit } : {}),
    ...(pause === 'true' ? { paused: true } : {}),
  };
}

/** aria2.getOption of one download: the options Haul keeps for it. */
export function jobOptions(job: DownloadJob, settings: Settings): Record<string, string> {
  const connections = String(job.options.connections ?? settings.connectionsPerDownload);
  const headers = Object.entries(job.options.headers ?? {});
  const named = (name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1];
  const plain = headers.filter(([key]) => !['referer', 'user-agent'].includes(key.toLowerCase()));
  return {
    dir: job.dir,
    ...(job.options.fileName ? { out: job.options.fileName } : {}),
    split: connections,
    'max-connection-per-server': connections,
    'max-download-limit': String(job.options.speedLimit ?? 0),
    'max-tries': String(job.maxAttempts),
    ...(named('referer') ? { referer: named('referer')! } : {}),
    ...(named('user-agent') ? { 'user-agent': named('user-agent')! } : {}),
    ...(plain.length > 0 ? { header: plain.map(([key, value]) => `${key}: ${value}`).join('\n') } : {}),
  };
}

/** aria2.getGlobalOption: Haul's settings under aria2's names. */
export function globalOptions(settings: Settings, downloadDir: string): Record<string, string> {
  return {
    dir: downloadDir,
    'max-concurrent-downloads': String(settings.maxConcurrentDownloads),
    'max-overall-download-limit': String(settings.speedLimit),
    'max-download-limit': '0',
    split: String(settings.connectionsPerDownload),
    'max-connection-per-server': String(settings.connectionsPerDownload),
    'max-tries': String(settings.defaultMaxAttempts),
    continue: 'true',
    'auto-file-renaming': 'true',
    'allow-overwrite': 'false',
  };
}

/** aria2.changeGlobalOption as a settings change; `dir` and the rest are not changed over RPC. */
export function settingsChange(options: Options): Partial<Settings> {
  const change: Partial<Settings> = {};
  const limit = parseSpeed('max-overall-download-limit', options['max-overall-download-limit']);
  if (limit !== undefined) change.speedLimit = limit;
  const concurrent = integer('max-concurrent-downloads', options['max-concurrent-downloads'], 1, 20);
  if (concurrent !== undefined) change.maxConcurrentDownloads = concurrent;
  const connections =
    integer('max-connection-per-server', options['max-connection-per-server'], 1, 16) ??
    integer('split', options.split, 1, 16);
  if (connections !== undefined) change.connectionsPerDownload = connections;
  const tries = integer('max-tries', options['max-tries'], 1, 100);
  if (tries !== undefined) change.defaultMaxAttempts = tries;
  return change;
}
