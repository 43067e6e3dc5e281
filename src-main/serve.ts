/**
 * `haul serve`: the core, the local API and the UI in a browser, under plain Node.
 * Nothing below this file imports electron. Started through `headless.ts`, which loads the
 * built copy of this program with V8's code cache.
 */
import { hostname, networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { version } from '../package.json';
import { createCore, type CoreOptions } from './core/app';
import { defaultDataDir, defaultDownloadDir } from './core/paths';
import { startAria2Endpoint } from './server/aria2/endpoint';
import { startServer } from './server/http';
import { removeInstanceFile, runningInstance, writeInstanceFile } from './server/instance-file';

export const usage =
  'Usage: haul serve [--port 8181] [--host 127.0.0.1] [--data-dir DIR] [--download-dir DIR] [--allow-remote]\n' +
  '                  [--aria2-rpc [PORT]] [--aria2-secret SECRET]\n' +
  'The aria2 secret may come from HAUL_ARIA2_SECRET instead: other users of this machine can read a command line.';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);
const wildcardHosts = new Set(['0.0.0.0', '::']);

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  downloadDir: string;
  /**
   * The aria2-compatible endpoint: `enable` turns it on (kept in the settings, so the
   * desktop app shares it), `port` 0 picks a free one for this run only.
   */
  aria2?: { enable: boolean; port?: number; secret?: string };
}

/** `--aria2-rpc` takes an optional port: `--aria2-rpc 6801` becomes `--aria2-rpc=6801`. */
function joinOptionalPort(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] !== '--aria2-rpc') out.push(argv[i]!);
    else if (/^\d+$/.test(argv[i + 1] ?? '')) out.push(`--aria2-rpc=${argv[++i]}`);
    else out.push('--aria2-rpc=');
  }
  return out;
}

/**
 * Reads the flags, and the aria2 secret from `HAUL_ARIA2_SECRET` when no flag gives it
 * (a command line is readable by every user of the machine, an environment is not).
 * Throws a message meant for the user. `help` when --help was given.
 */
export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions | 'help' {
  const { values } = parseArgs({
    args: joinOptionalPort(argv),
    options: {
      port: { type: 'string', default: '8181' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'download-dir': { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      'aria2-rpc': { type: 'string' },
      'aria2-secret': { type: 'string' },
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
  const aria2Port = values['aria2-rpc'] ? Number(values['aria2-rpc']) : undefined;
  if (values['aria2-rpc'] && (!/^\d+$/.test(values['aria2-rpc']) || aria2Port! > 65535)) {
    throw new Error(`--aria2-rpc takes a port 0-65535, got ${values['aria2-rpc']}`);
  }
  const secret = values['aria2-secret'] ?? env['HAUL_ARIA2_SECRET'];
  if (secret !== undefined && !/^[\x21-\x7e]{1,256}$/.test(secret)) {
    const source = values['aria2-secret'] === undefined ? 'HAUL_ARIA2_SECRET' : '--aria2-secret';
    throw new Error(`${source} must be 1-256 printable characters without spaces`);
  }
  const aria2 =
    values['aria2-rpc'] !== undefined || secret !== undefined
      ? { enable: values['aria2-rpc'] !== undefined, port: aria2Port, secret }
      : undefined;
  return {
    ...(aria2 ? { aria2 } : {}),
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
  /** The aria2-compatible endpoint's URL while it runs. */
  aria2Url(): string | undefined;
  /** Closes the API (ending event streams), then the core: downloads stop resumably. */
  stop(): Promise<void>;
}

export async function serve(options: ServeOptions, coreOptions: Partial<CoreOptions> = {}): Promise<Serving> {
  // Two Haul processes on one data folder would both run its jobs.
  const other = await runningInstance(options.dataDir);
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
  const aria2 = await startAria2(core, options.aria2);
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    signInUrl: `${server.url}/#token=${token}`,
    aria2Url: aria2.url,
    stop: () =>
      (stopping ??= (async () => {
        removeInstanceFile(options.dataDir);
        await aria2.close();
        await server.close();
        await core.close();
      })()),
  };
}

/** The flags become settings first, so the endpoint starts as the desktop app would start it. */
async function startAria2(core: ReturnType<typeof createCore>, flags: ServeOptions['aria2']) {
  const change = {
    ...(flags?.enable ? { aria2Enabled: true } : {}),
    ...(flags?.port ? { aria2Port: flags.port } : {}),
    ...(flags?.secret ? { aria2Secret: flags.secret } : {}),
  };
  if (Object.keys(change).length > 0) await core.invoke('settings.update', change);
  const endpoint = startAria2Endpoint({ core, port: flags?.port === 0 ? 0 : undefined });
  await endpoint.ready;
  return endpoint;
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
  const aria2Url = serving.aria2Url();
  if (aria2Url) console.log(`aria2 clients: ${aria2Url} (the secret is in Settings)`);
  console.log(`Data: ${options.dataDir}  Downloads: ${options.downloadDir}  (Ctrl-C stops)`);
}
