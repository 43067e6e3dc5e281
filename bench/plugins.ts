/**
 * `npm run bench -- plugins`: does a plugin that never stops slow the app down? Measures
 * the main event loop's delay while a download runs, alone and beside a plugin job that
 * spins in an endless loop (it runs in its own worker thread until its deadline).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCoreWithParts } from '../src-main/core/app';
import type { Row } from './jobs';

const spinner = {
  manifest: { name: 'spinner', version: '1.0.0', description: 'Never stops.', author: 'bench', permissions: [] },
  main: `export function activate(haul) {
  haul.action({ id: 'spin', label: 'Spin', entity: 'custom', async: true, params: [],
    async handler() { while (true) {} } });
}`,
};

/** 64 MiB at about 16 MiB/s, so the download lasts long enough to watch. */
function slowServer(): Promise<{ url: string; close(): void }> {
  const chunk = Buffer.alloc(256 * 1024, 1);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': 64 * 1024 * 1024 });
    let sent = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 4 && sent < 256; i += 1, sent += 1) res.write(chunk);
      if (sent >= 256) {
        clearInterval(timer);
        res.end();
      }
    }, 62);
    res.on('close', () => clearInterval(timer));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.bin`,
        close: () => server.close(),
      }),
    ),
  );
}

async function measure(withSpinner: boolean): Promise<{ max: number; p99: number; events: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'haul-bench-plugins-'));
  const pluginDir = join(dir, 'plugins', 'spinner');
  mkdirSync(pluginDir, { recursive: true });
  writeFileSync(join(pluginDir, 'plugin.json'), JSON.stringify(spinner.manifest));
  writeFileSync(join(pluginDir, 'main.js'), spinner.main);
  const server = await slowServer();
  const core = createCoreWithParts({
    dataDir: dir,
    downloadDir: join(dir, 'dl'),
    runtime: 'headless',
    version: 'bench',
  });
  try {
    await core.plugins.ready;
    let spinJob: string | undefined;
    if (withSpinner) {
      const started = await core.invoke('actions.run', { pluginName: 'spinner', actionId: 'spin' });
      if (!started.ok) throw new Error(`the spinning plugin did not start: ${started.error.message}`);
      spinJob = (started.value as { kind: 'job'; job: { id: string } }).job.id;
    }
    const events = core.jobs.hub.subscribe();
    let count = 0;
    const counting = (async () => {
      for await (const event of events) if (event.event === 'updated') count += 1;
    })();
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const [job] = core.jobs.submit({ url: server.url }).jobs;
    for (let i = 0; i < 200 && core.jobs.registry.get(job!.id).status !== 'completed'; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }
    histogram.disable();
    // The measurement only counts if the plugin really was spinning the whole time.
    if (spinJob && core.jobs.registry.get(spinJob).status !== 'running') {
      throw new Error(`the spinning plugin job is ${core.jobs.registry.get(spinJob).status}, not running`);
    }
    events.close();
    await counting;
    return { max: histogram.max / 1e6, p99: histogram.percentile(99) / 1e6, events: count };
  } finally {
    await core.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPlugins(): Promise<Row[]> {
  const alone = await measure(false);
  const spinning = await measure(true);
  const row = (label: string, m: typeof alone): Row[] => [
    { measure: `${label}: event-loop delay, max`, value: `${m.max.toFixed(1)} ms`, target: '-', ok: undefined },
    { measure: `${label}: event-loop delay, p99`, value: `${m.p99.toFixed(1)} ms`, target: '-', ok: undefined },
    { measure: `${label}: progress events`, value: String(m.events), target: '-', ok: undefined },
  ];
  return [...row('download alone', alone), ...row('beside a spinning plugin', spinning)];
}
