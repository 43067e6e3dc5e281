import { afterEach, beforeEach, expect, it } from 'vitest';
import { scriptedCore } from '../test/core-kit';
import { tempDir } from '../test/temp-dir';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

it('runs one command for each job of a selection, says which were refused and why, and does the rest', async () => {
  const core = scriptedCore(dir.path, dir.path);
  try {
    const urls = Array.from({ length: 120 }, (_, i) => `https://files.example/${i}.bin`);
    const submitted = await core.invoke('downloads.submit', { url: urls.join('\n'), paused: true });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const ids = (submitted.value as { jobs: { id: string }[] }).jobs.map((job) => job.id);
    const unknown = 'abcdef12';

    // More than one batch (the event loop gets a turn between them), and one id Haul does not know.
    const cancelled = await core.invoke('jobs.each', { command: 'jobs.cancel', ids: [...ids.slice(0, 100), unknown] });
    expect(cancelled).toEqual({
      ok: true,
      value: { refused: [{ id: unknown, error: { kind: 'not_found', message: `No job with id ${unknown}.` } }] },
    });
    const statuses = () => ids.map((id) => core.jobs.registry.get(id).status);
    expect(statuses()).toEqual([...Array(100).fill('cancelled'), ...Array(20).fill('paused')]);

    // A cancelled job cannot be resumed: refused with the core's own reason; the paused one resumes.
    const resumed = await core.invoke('jobs.each', { command: 'jobs.resume', ids: [ids[0]!, ids[110]!] });
    expect(resumed).toMatchObject({ ok: true, value: { refused: [{ id: ids[0], error: { kind: 'conflict' } }] } });
    expect((resumed as { value: { refused: unknown[] } }).value.refused).toHaveLength(1);
    expect(core.jobs.registry.get(ids[110]!).status).not.toBe('paused');

    const removed = await core.invoke('jobs.each', { command: 'jobs.remove', ids: ids.slice(0, 50) });
    expect(removed).toEqual({ ok: true, value: { refused: [] } });
    expect(await core.invoke('jobs.get', { id: ids[0]! })).toMatchObject({ ok: false, error: { kind: 'not_found' } });

    // The door: a command it does not run, or too many ids, is refused whole.
    expect(await core.invoke('jobs.each', { command: 'jobs.move', ids: [ids[60]!] })).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input' },
    });
    expect(await core.invoke('jobs.each', { command: 'jobs.cancel', ids: Array(1001).fill(ids[60]) })).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input' },
    });
  } finally {
    await core.close();
  }
});

it('an id given twice is one job: removed, paused or resumed once, and never refused for its own echo', async () => {
  const core = scriptedCore(dir.path, dir.path);
  try {
    const submitted = await core.invoke('downloads.submit', {
      url: 'https://files.example/a.bin\nhttps://files.example/b.bin',
      paused: true,
    });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const [a, b] = (submitted.value as { jobs: { id: string }[] }).jobs.map((job) => job.id);

    expect(await core.invoke('jobs.each', { command: 'jobs.resume', ids: [a!, a!] })).toEqual({
      ok: true,
      value: { refused: [] },
    });
    expect(core.jobs.registry.get(a!).status).not.toBe('paused');
    expect(await core.invoke('jobs.each', { command: 'jobs.remove', ids: [b!, a!, b!] })).toEqual({
      ok: true,
      value: { refused: [] },
    });
    for (const id of [a!, b!]) {
      expect(await core.invoke('jobs.get', { id })).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    }
  } finally {
    await core.close();
  }
});
