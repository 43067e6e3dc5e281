/**
 * Part e of the download benchmark: the engine child killed (SIGKILL) 10 times at random
 * points of one download, each life resuming from the state the one before saved; then
 * the file's hash and the bytes the server sent beyond the file's size.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { MiB, runEngine } from './download-processes.mjs';

export async function sha256File(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * `url` counts on the server under `key`; `size` is the file's, `expected` its SHA-256;
 * `dir` and `stateFile` are the engine child's folder and saved state.
 */
export async function killRows({ haul, server, url, key, size, expected, dir, stateFile }) {
  // Bytes the saved state says are on disk (the written offsets where there are some).
  const recorded = async () => {
    const state = JSON.parse(await readFile(stateFile, 'utf8').catch(() => 'null'));
    const segments = state?.written?.segments ?? state?.segments ?? [];
    return segments.reduce((sum, [start, , pos]) => sum + pos - start, 0);
  };
  const jobs = [{ url, dir, options: { connections: 4 } }];
  for (let kill = 0; kill < 10; kill += 1) {
    let child;
    const before = { sent: server.count(key).bytes, recorded: await recorded() };
    const running = runEngine(haul, { jobs, stateFile }, (c) => (child = c));
    running.catch(() => undefined);
    const target = server.total.bytes + Math.random() * 20 * MiB + 2 * MiB;
    for (let i = 0; i < 3000 && server.total.bytes < target; i += 1) await sleep(5);
    child.kill('SIGKILL');
    await running.catch(() => undefined);
    // What this life cost again: sent by the server but not in the saved state.
    const sent = (server.count(key).bytes - before.sent) / MiB;
    const saved = ((await recorded()) - before.recorded) / MiB;
    console.error(`    kill ${kill}: sent ${sent.toFixed(2)} MiB, recorded ${saved.toFixed(2)} MiB`);
  }
  const last = await runEngine(haul, { jobs, stateFile });
  const hashOk = (await sha256File(last.paths[0])) === expected;
  const extra = server.count(key).bytes / size - 1;
  return [
    { measure: '200 MiB, 10 SIGKILLs: hash right', value: String(hashOk), target: 'true', ok: hashOk },
    { measure: '    extra bytes fetched', value: `${(extra * 100).toFixed(1)}%`, target: '< 5%', ok: extra < 0.05 },
  ];
}
