/**
 * Part s of the download benchmark: taking jobs over HTTP. Each of `runs` starts of
 * `haul serve` (on a fresh copy of a returning user's data folder) answers 200 one-URL
 * submits, then 10,000 URLs in one. Paused: what is measured is taking the job, not
 * downloading it.
 */
import { median, processStats, rpc } from './download-processes.mjs';

async function submitsOnce(serving, base) {
  const one = [];
  const cpuBefore = processStats(serving.pid).cpuMs;
  for (let i = 0; i < 200; i += 1) {
    const started = performance.now();
    await rpc(serving, 'downloads.submit', { url: `${base}/none-${i}.bin`, paused: true });
    one.push(performance.now() - started);
  }
  const cpuMs = (processStats(serving.pid).cpuMs - cpuBefore) / one.length;
  const urls = Array.from({ length: 10_000 }, (_, i) => `${base}/many-${i}.bin`).join('\n');
  const started = performance.now();
  await rpc(serving, 'downloads.submit', { url: urls, paused: true });
  const manyMs = performance.now() - started;
  return { p50: median(one), p90: [...one].sort((x, y) => x - y)[Math.floor(one.length * 0.9)], cpuMs, manyMs };
}

/** The rows of part s; `start()` starts a `haul serve` as startServe does. */
export async function submitRows(runs, base, start) {
  const all = [];
  for (let i = 0; i < runs; i += 1) {
    const serving = await start();
    try {
      all.push(await submitsOnce(serving, base));
    } finally {
      await serving.stop();
    }
  }
  const p50 = median(all.map((r) => r.p50));
  const each = (pick, digits) => all.map((r) => pick(r).toFixed(digits)).join(', ');
  const manyMs = median(all.map((r) => r.manyMs));
  return [
    {
      measure: 'submit over HTTP, one URL, p50 ms',
      value: p50.toFixed(1),
      target: '<= 2',
      ok: p50 <= 2,
      sides: `each start ${each((r) => r.p50, 1)}; p90 ${median(all.map((r) => r.p90)).toFixed(1)} ms; haul serve ${median(all.map((r) => r.cpuMs)).toFixed(2)} ms of CPU a submit; client: undici request, kept-alive`,
    },
    {
      measure: '10,000 URLs in one submit, ms',
      value: manyMs.toFixed(0),
      target: '<= 1000',
      ok: manyMs <= 1000,
      sides: `each start ${each((r) => r.manyMs, 0)}`,
    },
  ];
}
