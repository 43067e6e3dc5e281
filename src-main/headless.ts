/**
 * `haul serve`: the core, the local API and the UI in a browser, under plain Node.
 * Nothing below this file imports electron.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { version } from '../package.json';
import { createCore } from './core/app';
import { defaultDataDir, defaultDownloadDir } from './core/paths';
import { startServer } from './server/http';
import { loadOrCreateToken } from './server/token';

const usage = `Usage: haul serve [--port 8181] [--host 127.0.0.1] [--data-dir DIR] [--download-dir DIR] [--allow-remote]`;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

function parseOptions(argv: string[]) {
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
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${values.port}`);
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

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`haul: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }

  const core = createCore({
    dataDir: options.dataDir,
    downloadDir: options.downloadDir,
    runtime: 'headless',
    version,
  });
  const token = loadOrCreateToken(options.dataDir);
  const server = await startServer({
    core,
    token,
    host: options.host,
    port: options.port,
    staticDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer'),
  });

  console.log(`Haul ${version} is running.`);
  console.log(`Open ${server.url}/#token=${token}`);
  console.log(`Data: ${options.dataDir}  Downloads: ${options.downloadDir}  (Ctrl-C stops)`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`haul: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
