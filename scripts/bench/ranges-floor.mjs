/**
 * The floor under part b's rows: a client that knows the file's size before it starts and
 * asks for all of it at once, in `connections` equal ranges on as many connections, each
 * written at its place in one file. No client keeping to that many connections can do
 * better on a server that paces each connection: Haul and aria2c must first learn the
 * size from an answer (one that opened new connections as it went would get each one's
 * first piece at once, as the bench's server sends it). Run as a
 * child with `{ url, size, connections, file }` as its argument; prints `{ ms, cpuMs }`,
 * counted from its modules loaded, as the engine child counts.
 */
import { open } from 'node:fs/promises';
import { Agent, request } from 'undici';

const { url, size, connections, file } = JSON.parse(process.argv[2]);
const agent = new Agent({ connections });
const startCpu = process.cpuUsage();
const started = performance.now();
const out = await open(file, 'wx');
const share = Math.ceil(size / connections);

async function fetchRange(start, end) {
  const { statusCode, body } = await request(url, {
    dispatcher: agent,
    headers: { range: `bytes=${start}-${end - 1}` },
  });
  if (statusCode !== 206) throw new Error(`${url} answered ${statusCode} to a range`);
  let at = start;
  for await (const chunk of body) {
    await out.write(chunk, 0, chunk.length, at);
    at += chunk.length;
  }
  if (at !== end) throw new Error(`the range ${start}-${end - 1} ended at ${at}`);
}

const ranges = [];
for (let start = 0; start < size; start += share) ranges.push(fetchRange(start, Math.min(size, start + share)));
await Promise.all(ranges);
await out.close();
const cpu = process.cpuUsage(startCpu);
await agent.close();
console.log(JSON.stringify({ ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 }));
