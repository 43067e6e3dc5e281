/**
 * `haul serve`: the core, the local API and the UI in a browser, under plain Node.
 * Nothing below this file imports electron.
 */
import { hostname, networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isEntry, runEntry } from './entry';
import { version } from '../package.json';
import { createCore, type CoreOptions } from './core/app';
import { defaultDataDir, defaultDownloadDir } from './core/paths';
import { startServer } from './server/http';
import { removeInstanceFile, runningInstance, writeInstanceFile } from './server/instance-file';

export const usage = `Usage: haul serve [--port 8181] [--host 127.0.0.1] [--data-dir DIR] [--download-dir DIR] [--allow-remote]`;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);
const wildcardHosts = new Set(['0.0.0.0', '::']);

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  downloadDir: string;
}

/** Reads the flags; throws a message meant for the user. `help` when --help was given. */
export function parseServeOptions(argv: string[]): ServeOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8181' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'download-dir': { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`);
  if (!loopbackHosts.has(values.host) && !values['allow-remote']) {
    throw new Error(`--host ${values.host} would expose Haul to the network; add --allow-remote if you mean it.`);
  }
  return {
    port,
    host: values.host,
    dataDir: resolve(values['data-dir'] ?? defaultDataDir()),
    downloadDir: resolve(values['download-dir'] ?? defaultDownloadDir()),
  };
}

/**
 * The names a browser on the network uses to reach us, for the Host check: the bound
 * address itself, or, bound to every interface, each address and this machine's name.
 */
export function remoteHostNames(host: string): string[] {
  if (loopbackHosts.has(host)) return [];
  if (!wildcardHosts.has(host)) return [host];
  const addresses = Object.values(networkInterfaces())
    .flat()
    .map((entry) => entry?.address)
    .filter((address): address is string => Boolean(address));
  const name = hostname();
  return [...new Set([...addresses, name, `${name}.local`])];
}

export interface Serving {
  url: string;
  signInUrl: string;
  /** Closes the API (ending event streams), then the core: downloads stop resumably. */
  stop(): Promise<void>;
}

export async function serve(options: ServeOptions, coreOptions: Partial<CoreOptions> = {}): Promise<Serving> {
  // Two Haul processes on one data folder would both run its jobs.
  const other = runningInstance(options.dataDir);
  if (other) {
    throw new Error(
      `Haul is already running with this data folder (process ${other.pid}, http://127.0.0.1:${other.port}). ` +
        'Stop it first, or pass another --data-dir.',
    );
  }
  const core = createCore({
    dataDir: options.dataDir,
    downloadDir: options.downloadDir,
    runtime: 'headless',
    version,
    ...coreOptions,
  });
  const token = core.apiToken();
  let server;
  try {
    server = await startServer({
      core,
      token: () => core.apiToken(),
      host: options.host,
      port: options.port,
      allowedHosts: remoteHostNames(options.host),
      staticDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer'),
    });
  } catch (error) {
    await core.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `Port ${options.port} is already in use by another program. Pass another --port (0 picks a free one).`,
        { cause: error },
      );
    }
    throw error;
  }
  // How `haul add` finds us: the port (0 picks one) and who wrote it.
  writeInstanceFile(options.dataDir, { port: server.port, pid: process.pid });
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    signInUrl: `${server.url}/#token=${token}`,
    stop: () =>
      (stopping ??= (async () => {
        removeInstanceFile(options.dataDir);
        await server.close();
        await core.close();
      })()),
  };
}

/** The longest a stop may take before the process exits anyway. */
const exitDeadlineMs = 5000;

/** The `haul serve` program: runs until Ctrl-C. Also reached through `haul serve` of the CLI. */
export async function runServe(argv: string[]): Promise<void> {
  let options: ServeOptions | 'help';
  try {
    options = parseServeOptions(argv);
  } catch (error) {
    console.error(`haul: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(usage);
    return;
  }

  const serving = await serve(options);
  // Listen for Ctrl-C before telling anyone we are up.
  let signals = 0;
  const stop = () => {
    signals += 1;
    if (signals > 1) process.exit(130); // a second Ctrl-C: the user does not want to wait
    console.log('Stopping: downloads will resume on the next start…');
    setTimeout(() => {
      console.error('haul: could not stop cleanly in time; exiting.');
      process.exit(1);
    }, exitDeadlineMs).unref();
    serving.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`haul: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`Haul ${version} is running.`);
  console.log(`Open ${serving.signInUrl}`);
  console.log(`Data: ${options.dataDir}  Downloads: ${options.downloadDir}  (Ctrl-C stops)`);
}

if (isEntry(import.meta.url)) runEntry(() => runServe(process.argv.slice(2)));
