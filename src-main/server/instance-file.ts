import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a running instance tells local clients (the CLI): where to reach it. */
export interface InstanceInfo {
  port: number;
  pid: number;
}

/** `<data-dir>/server.json`: written when the API listens, removed when it stops. */
export function instanceFilePath(dataDir: string): string {
  return join(dataDir, 'server.json');
}

export function writeInstanceFile(dataDir: string, info: InstanceInfo): void {
  writeFileSync(instanceFilePath(dataDir), `${JSON.stringify(info)}\n`, { mode: 0o600 });
}

/** The file's contents, or undefined when it is missing or not ours to read. */
export function readInstanceFile(dataDir: string): InstanceInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(instanceFilePath(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  const { port, pid } = (parsed ?? {}) as Partial<InstanceInfo>;
  if (!Number.isInteger(port) || port! <= 0 || port! > 65535 || !Number.isInteger(pid)) return undefined;
  return { port: port!, pid: pid! };
}

/** Removes the file only when it still names this process: a second instance may own it now. */
export function removeInstanceFile(dataDir: string, pid = process.pid): void {
  if (readInstanceFile(dataDir)?.pid === pid) rmSync(instanceFilePath(dataDir), { force: true });
}

/** The instance that another live process runs on this data folder, if any. */
export function runningInstance(dataDir: string): InstanceInfo | undefined {
  const info = readInstanceFile(dataDir);
  if (!info || info.pid === process.pid) return undefined;
  try {
    process.kill(info.pid, 0); // signal 0: only asks whether the process exists
    return info;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; ESRCH: a stale file from a crash.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? info : undefined;
  }
}
