/**
 * For the aria2 tests: a real aria2c and Haul's endpoint, each on a free loopback port
 * with its own download folder, and the published aria2 client library (aria2.js) to
 * talk to either the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { createCore, type Core } from '../../core/app';
import { tempDir } from '../../test/temp-dir';
import { startAria2Endpoint, type Aria2Endpoint } from './endpoint';

/** The parts of aria2.js the tests use (it ships no types). */
export interface Aria2Client {
  open(): Promise<void>;
  close(): Promise<void>;
  call(method: string, ...params: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  multicall(calls: unknown[][]): Promise<unknown[]>;
  batch(calls: unknown[][]): Promise<Promise<unknown>[]>;
  listMethods(): Promise<string[]>;
  listNotifications(): Promise<string[]>;
  on(event: string, listener: (params: [{ gid: string }]) => void): void;
}
type Aria2Constructor = new (options: { host: string; port: number; secret: string }) => Aria2Client;
const Aria2 = createRequire(import.meta.url)('aria2') as Aria2Constructor;

/** Debian's aria2 (`apt-get install aria2`); another build can be named in HAUL_ARIA2C. */
export const aria2cPath = process.env.HAUL_ARIA2C ?? '/usr/bin/aria2c';

export interface Target {
  name: 'aria2c' | 'haul';
  port: number;
  secret: string;
  downloadDir: string;
  client(secret?: string): Aria2Client;
  /** Notifications seen on the main client's WebSocket, in order. */
  readonly notifications: { method: string; gid: string }[];
  /** The main client, its WebSocket open. */
  rpc: Aria2Client;
  core?: Core;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const notificationEvents = [
  'onDownloadStart',
  'onDownloadPause',
  'onDownloadStop',
  'onDownloadComplete',
  'onDownloadError',
];

async function connect(target: Omit<Target, 'rpc' | 'notifications'>): Promise<Target> {
  const notifications: Target['notifications'] = [];
  const rpc = target.client();
  for (const event of notificationEvents) {
    rpc.on(event, ([{ gid }]) => notifications.push({ method: `aria2.${event}`, gid }));
  }
  // aria2c takes a moment to listen after it starts: a few tries, bounded.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rpc.open();
      break;
    } catch (error) {
      if (attempt >= 50) throw error;
      await sleep(100);
    }
  }
  return { ...target, rpc, notifications };
}

export async function startAria2c(secret: string): Promise<Target> {
  if (!existsSync(aria2cPath)) {
    throw new Error(`aria2c is needed for this test and is not at ${aria2cPath}: apt-get install aria2`);
  }
  const dir = tempDir('haul-aria2c-');
  const port = await freePort();
  const child: ChildProcess = spawn(
    aria2cPath,
    [
      '--enable-rpc',
      `--rpc-listen-port=${port}`,
      `--rpc-secret=${secret}`,
      `--dir=${dir.path}`,
      `--stop-with-process=${process.pid}`,
      '--no-conf',
      '--quiet',
      '--max-tries=1',
    ],
    { stdio: 'ignore' },
  );
  const target = await connect({
    name: 'aria2c',
    port,
    secret,
    downloadDir: dir.path,
    client: (s = secret) => new Aria2({ host: '127.0.0.1', port, secret: s }),
    async close() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      dir.remove();
    },
  });
  const close = target.close;
  return {
    ...target,
    close: async () => {
      await target.rpc.close().catch(() => undefined);
      await close();
    },
  };
}

export async function startHaul(secret: string): Promise<Target & { endpoint: Aria2Endpoint }> {
  const dir = tempDir('haul-aria2-');
  const downloadDir = `${dir.path}/downloads`;
  const core = createCore({ dataDir: dir.path, downloadDir, runtime: 'headless', version: '9.9.9' });
  await core.invoke('settings.update', { aria2Enabled: true, aria2Secret: secret, defaultMaxAttempts: 1 });
  const endpoint = startAria2Endpoint({ core, port: 0, wrongSecretDelayMs: 0, onError: (m) => console.error(m) });
  await endpoint.ready;
  const port = Number(new URL(endpoint.url()!).port);
  const target = await connect({
    name: 'haul',
    port,
    secret,
    downloadDir,
    core,
    client: (s = secret) => new Aria2({ host: '127.0.0.1', port, secret: s }),
    close: async () => undefined,
  });
  return {
    ...target,
    endpoint,
    async close() {
      await target.rpc.close().catch(() => undefined);
      await endpoint.close();
      await core.close();
      dir.remove();
    },
  };
}

/** Waits, bounded, until `gid` got `method` at least `times` times. */
export async function notified(target: Target, method: string, gid: string, times = 1): Promise<void> {
  for (let round = 0; round < 1500; round += 1) {
    if (target.notifications.filter((n) => n.method === method && n.gid === gid).length >= times) return;
    await sleep(10);
  }
  throw new Error(`${target.name}: no ${method} for ${gid}; saw ${JSON.stringify(target.notifications)}`);
}

/** Waits, bounded, until the download has bytes (and so a known size). */
export async function progressed(target: Target, gid: string): Promise<void> {
  for (let round = 0; round < 500; round += 1) {
    const status = (await target.rpc.call('tellStatus', gid, ['completedLength'])) as { completedLength: string };
    if (Number(status.completedLength) > 0) return;
    await sleep(10);
  }
  throw new Error(`${target.name}: ${gid} got no bytes`);
}

/** The shape of an answer: keys, kinds of values; numbers-as-strings and GIDs told apart. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([key, inner]) => [key, shapeOf(inner)]));
  }
  if (typeof value === 'string') {
    if (/^[0-9a-f]{16}$/.test(value)) return 'gid';
    return /^\d+$/.test(value) ? 'decimal string' : 'string';
  }
  return typeof value;
}

/** A call's answer, or its error as aria2.js reports it. */
export async function answer(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (error) {
    const { code, message } = error as { code?: number; message: string };
    return { error: { code, message } };
  }
}
