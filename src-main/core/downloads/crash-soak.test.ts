import { createCipheriv, createHash, randomInt } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runDownloadChild } from '../../test/run-download-child';
import { tempDir } from '../../test/temp-dir';
import { fileSha256, sha256 } from './test-context';
import { TestServer, type Faults } from './test-server';

/**
 * The crash and fault soak: many downloads in a real headless core, SIGKILLed at random
 * moments (some in the first 100 ms), from a server that resets, pauses and cuts bodies
 * short at random. Seeded: `HAUL_SOAK_SEED=<n>` replays a run (the seed is printed): the
 * same files, kill moments and faults (drawn in request order).
 */
const seed = Number(process.env['HAUL_SOAK_SEED'] ?? randomInt(2 ** 31));
const MiB = 1024 * 1024;
/** Downloads in the soak. */
const files = 20;
/** Runs that are killed; one more then runs to the end. */
const kills = 6;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(start: number): () => number {
  let a = start >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
/** Named in every assertion, so a failure's first line says how to run it again. */
const replay = `replay: HAUL_SOAK_SEED=${seed}`;
/** One life of the download child, killed `killAfterMs` after READY (null: at DONE). */
const run = (args: string[], killAfterMs: number | null) =>
  runDownloadChild(args, killAfterMs, 60_000).catch((error: Error) => {
    throw new Error(`${replay}: ${error.message}`);
  });
const random = prng(seed);
/** The server's faults come from their own sequence, drawn in request order. */
const faultRandom = prng(seed ^ 0x5eed);
const between = (low: number, high: number, next = random): number => Math.floor(low + next() * (high - low));

/** Incompressible content from the seed (AES-CTR over zeros), so a replay serves the same bytes. */
function body(index: number, size: number): Buffer {
  const key = createHash('sha256').update(`soak ${seed} ${index}`).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

/** One request in four misbehaves: a reset, a pause, or a body cut short. */
function faultFor(size: number): Faults {
  const base: Faults = { rateLimit: MiB };
  const roll = faultRandom();
  const at = between(16 * 1024, Math.max(32 * 1024, size / 2), faultRandom);
  if (roll < 0.1) return { ...base, resetAfter: at };
  if (roll < 0.17) return { ...base, pauseAfter: at, pauseMs: between(200, 1200, faultRandom) };
  if (roll < 0.25) return { ...base, closeAfter: at };
  return base;
}

const dir = tempDir('haul-soak-');
const server = TestServer.forFile();
afterAll(() => dir.remove());

describe('crash and fault soak', () => {
  it('after random SIGKILLs and server faults every acknowledged job completes with its bytes, at <= 1.15x', async () => {
    console.log(`crash soak seed ${seed} (${replay})`);
    const bodies = new Map<string, Buffer>();
    for (let i = 0; i < files; i += 1) {
      const data = body(i, between(MiB, 3.5 * MiB));
      bodies.set(`soak-${i}.bin`, data);
      server.file(`/soak/soak-${i}.bin`, data, () => faultFor(data.length));
    }
    const urls = [...bodies.keys()].map((name) => server.url(`/soak/${name}`)).join(' ');
    const downloads = join(dir.path, 'downloads');
    const args = (mode: string) => [dir.path, downloads, mode, urls];
    // A third of the kills land in the first 100 ms of a run, the rest within 2 s.
    const moments = Array.from({ length: kills }, () => (random() < 1 / 3 ? between(0, 100) : between(100, 2000)));
    console.log(`crash soak kills at ${moments.join(', ')} ms after start`);

    const first = await run(args('submit'), moments[0]!);
    const acks = first.acks;
    expect(acks, replay).toHaveLength(files);
    for (const at of moments.slice(1)) await run(args('resume'), at);
    const last = await run(args('resume'), null);
    expect(last.done, replay).toBe(true);

    const db = new BetterSqlite3(join(dir.path, 'haul.db'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT id, status FROM jobs`).all() as { id: string; status: string }[];
      const status = new Map(rows.map((row) => [row.id, row.status]));
      expect(
        acks.map((id) => status.get(id)),
        replay,
      ).toEqual(acks.map(() => 'completed'));
    } finally {
      db.close();
    }
    // Nothing but the files: no `.part` left over, no `name (1).bin` beside a restart.
    expect(readdirSync(downloads).sort(), replay).toEqual([...bodies.keys()].sort());
    for (const [name, data] of bodies) {
      expect(await fileSha256(join(downloads, name)), `${replay}: ${name}`).toBe(sha256(data));
    }
    const total = [...bodies.values()].reduce((sum, data) => sum + data.length, 0);
    const served = server.bytesServed(0);
    console.log(`crash soak: ${served} bytes served for ${total} (${(served / total).toFixed(3)}x)`);
    expect(served / total, replay).toBeLessThanOrEqual(1.15);
  }, 90_000);
});
