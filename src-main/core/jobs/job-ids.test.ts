import { afterEach, describe, expect, it } from 'vitest';
import { openTestCenter, type TestCenter } from '../../test/job-kit';
import type { RandomHex } from './ids';

let t: TestCenter | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

/** Hands out the given hex strings in turn (cut or padded to the length asked for). */
function scriptedRandom(values: string[]): RandomHex & { calls: number } {
  const random = Object.assign(
    (bytes: number) => {
      const value = values[Math.min(random.calls, values.length - 1)]!;
      random.calls += 1;
      return value.padEnd(bytes * 2, '0').slice(0, bytes * 2);
    },
    { calls: 0 },
  );
  return random;
}

describe('job ids', () => {
  it('a new download whose random id is taken gets another one, and the taken job is untouched', () => {
    const random = scriptedRandom(['aaaaaaaa', 'aaaaaaaa', 'bbbbbbbb', 'aaaaaaaa', 'cccccccc']);
    t = openTestCenter({ random });
    const first = t.center.submit({ url: 'https://a.example/1.bin', paused: true }).jobs[0]!;
    expect(first.id).toBe('aaaaaaaa');
    const [second, third] = t.center.submit({
      url: 'https://a.example/2.bin\nhttps://a.example/3.bin',
      paused: true,
    }).jobs;
    // The two rows go in one statement, which fails on the taken id; then one by one.
    expect([second!.id, third!.id]).toEqual(['cccccccc', 'bbbbbbbb']);
    expect(t.center.registry.get('aaaaaaaa')).toMatchObject({ url: 'https://a.example/1.bin' });
    expect(t.center.store.get('cccccccc')?.job).toMatchObject({ url: 'https://a.example/2.bin' });
    expect(t.center.list({ text: '2.bin' }).jobs.map((job) => job.id)).toEqual(['cccccccc']);
    expect(t.center.list({ text: '3.bin' }).jobs.map((job) => job.id)).toEqual(['bbbbbbbb']);
  });

  it('a task whose id is taken gets another one', () => {
    t = openTestCenter({ random: scriptedRandom(['cccccccccccccccc', 'cccccccccccccccc', 'dddddddddddddddd']) });
    const job = t.pluginJob({ pluginName: 'p', actionId: 'a', label: 'One', entityType: 'custom' }, () =>
      Promise.resolve({}),
    );
    expect(job.id).toBe('cccccccccccccccc');
    expect(t.center.tasks.create({ name: 'Two' }, { kind: 'api' }).id).toBe('dddddddddddddddd');
  });

  it('gives up after ten taken ids and stores nothing', () => {
    t = openTestCenter({ random: scriptedRandom(['cccccccccccccccc']) });
    t.pluginJob({ pluginName: 'p', actionId: 'a', label: 'One', entityType: 'custom' }, () => Promise.resolve({}));
    expect(() => t!.center.tasks.create({ name: 'Two' }, { kind: 'api' })).toThrow(/free job id/);
    expect(t.center.registry.liveJobs()).toHaveLength(1);
    expect(t.center.list({ source: 'task' }).total).toBe(0);
  });

  it('ids are never looked up one by one before the insert, and a large submit is searchable', () => {
    t = openTestCenter();
    const lookups: string[] = [];
    const get = t.center.store.get.bind(t.center.store);
    t.center.store.get = (id) => (lookups.push(id), get(id));
    const urls = Array.from({ length: 130 }, (_, i) => `https://a.example/file-${i}.bin`).join('\n');
    const { jobs } = t.center.submit({ url: urls, paused: true });
    expect(jobs).toHaveLength(130);
    expect(lookups).toEqual([]);
    // Inserted many rows per statement: every one is in the store and its search index.
    for (const i of [0, 59, 60, 129]) {
      expect(t.center.list({ text: `file-${i}.bin` }).jobs.map((job) => job.id)).toEqual([jobs[i]!.id]);
    }
    expect(t.center.list({ source: 'download' }).total).toBe(130);
  });
});
