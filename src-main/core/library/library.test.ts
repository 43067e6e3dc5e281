import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scriptedEngine, settle } from '../../test/job-kit';
import { tempDir } from '../../test/temp-dir';
import { createCoreWithParts, type Core, type CoreParts } from '../app';

let dir: ReturnType<typeof tempDir>;
let core: Core & CoreParts;
let engine: ReturnType<typeof scriptedEngine>;

beforeEach(() => {
  dir = tempDir();
  engine = scriptedEngine();
  core = createCoreWithParts({
    dataDir: dir.path,
    downloadDir: join(dir.path, 'dl'),
    runtime: 'headless',
    version: '1.0.0',
    downloadRunner: engine.runner,
  });
  mkdirSync(join(dir.path, 'dl'));
});
afterEach(async () => {
  await core.close();
  dir.remove();
});

/** Submits one URL and lets the scripted engine finish it with a real file on disk. */
async function download(name: string, contentType = 'application/pdf') {
  const [job] = core.jobs.submit({ url: `https://files.example/${name}` }).jobs;
  const path = join(dir.path, 'dl', name);
  writeFileSync(path, 'content');
  engine.running()[0]!.succeed({ path, fileName: name, totalBytes: 7, contentType, sha256: 'abc' });
  await settle();
  return core.jobs.registry.get(job!.id);
}

describe('library', () => {
  it('a completed download becomes a resource linked from its job', async () => {
    const job = await download('report.pdf');
    expect(job).toMatchObject({ status: 'completed', resourceId: expect.any(Number) });
    const resource = core.library.get((job as { resourceId: number }).resourceId);
    expect(resource).toMatchObject({
      jobId: job.id,
      name: 'report.pdf',
      size: 7,
      contentType: 'application/pdf',
      sha256: 'abc',
      sourceUrl: 'https://files.example/report.pdf',
    });
  });

  it('the resource is written in the transaction that completes the job, or not at all', async () => {
    const [job] = core.jobs.submit({ url: 'https://files.example/a.bin' }).jobs;
    const id = job!.id;
    engine.running()[0]!.context.enterProcessing();
    const resource = {
      jobId: id,
      path: '/x/a.bin',
      name: 'a.bin',
      size: 1,
      contentType: null,
      sha256: null,
      sourceUrl: null,
    };
    expect(() =>
      core.jobs.registry.transition(id, 'complete', () => {
        core.library.add(resource);
        throw new Error('the completion failed after the resource was added');
      }),
    ).toThrow(/completion failed/);
    expect(core.library.list({}).total).toBe(0);
    expect(core.jobs.registry.get(id).status).toBe('processing');
    core.jobs.registry.transition(id, 'complete', () => ({ resourceId: core.library.add(resource).id }));
    const done = core.jobs.store.get(id)!.job;
    expect(done).toMatchObject({ status: 'completed', resourceId: core.library.list({}).resources[0]!.id });
  });

  it('lists newest first, filtered by text and content type', async () => {
    await download('a.pdf');
    core.jobs.registry.flushProgress();
    await download('b.mp4', 'video/mp4');
    expect(core.library.list({}).resources.map((r) => r.name)).toEqual(['b.mp4', 'a.pdf']);
    expect(core.library.list({ contentType: 'video/' }).resources.map((r) => r.name)).toEqual(['b.mp4']);
    expect(core.library.list({ text: 'A.PDF' })).toMatchObject({ total: 1 });
  });

  it('completion hooks may move the file; the job and resource follow, a failing hook is only logged', async () => {
    core.completionHooks.add('broken', () => {
      throw new Error('hook exploded');
    });
    core.completionHooks.add('mover', ({ resource }) => {
      const target = join(dir.path, 'dl', 'Documents');
      mkdirSync(target, { recursive: true });
      renameSync(resource.path, join(target, resource.name));
      core.library.moved(resource.id, join(target, resource.name), resource.name);
    });
    const job = await download('paper.pdf');
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ path: join(dir.path, 'dl', 'Documents', 'paper.pdf') });
    expect(core.jobs.getWithLog(job.id).log).toContain('completion hook of broken failed: hook exploded');
  });

  it('remove forgets the resource, and deletes the file only when asked', async () => {
    const kept = await download('keep.bin');
    const gone = await download('gone.bin');
    const keptId = (kept as { resourceId: number }).resourceId;
    const goneId = (gone as { resourceId: number }).resourceId;
    await core.library.remove(keptId);
    await core.library.remove(goneId, true);
    expect(existsSync(join(dir.path, 'dl', 'keep.bin'))).toBe(true);
    expect(existsSync(join(dir.path, 'dl', 'gone.bin'))).toBe(false);
    expect(() => core.library.get(keptId)).toThrow(/No library item/);
  });

  it('a file moved after its download takes its job along: deleting with the job reaches it, not a later file under its old name', async () => {
    const first = await download('paper.pdf');
    const resourceId = (first as { resourceId: number }).resourceId;
    const moved = join(dir.path, 'dl', 'Documents', 'paper (1).pdf');
    mkdirSync(join(dir.path, 'dl', 'Documents'));
    renameSync(join(dir.path, 'dl', 'paper.pdf'), moved);
    core.library.moved(resourceId, moved, 'paper (1).pdf');
    expect(core.jobs.registry.get(first.id)).toMatchObject({ fileName: 'paper (1).pdf', result: { path: moved } });
    // Written at once: what SQLite holds says so too.
    expect(core.jobs.registry.stored(first.id)?.job).toMatchObject({ result: { path: moved } });
    const second = await download('paper.pdf');
    await core.invoke('jobs.remove', { id: first.id, deleteFile: true });
    expect(existsSync(moved)).toBe(false);
    expect(existsSync(join(dir.path, 'dl', 'paper.pdf'))).toBe(true);
    expect(core.jobs.registry.get(second.id).status).toBe('completed');
  });

  it('deleting a file leaves alone what has come under its name since, and a link', async () => {
    const viaJob = await download('a.bin');
    const viaLibrary = await download('b.bin');
    const linked = await download('c.bin');
    // The downloads were moved away outside Haul, and other files took their names.
    writeFileSync(join(dir.path, 'dl', 'a.bin'), 'a file of the user');
    writeFileSync(join(dir.path, 'dl', 'b.bin'), 'another file of the user');
    writeFileSync(join(dir.path, 'elsewhere.txt'), 'content');
    const linkPath = join(dir.path, 'dl', 'c.bin');
    renameSync(linkPath, join(dir.path, 'c-moved.bin'));
    symlinkSync(join(dir.path, 'elsewhere.txt'), linkPath);
    // Each answer says what was kept and why: the user asked for those files to go.
    const size = (job: unknown) => (job as { totalBytes: number }).totalBytes.toLocaleString('en-US');
    expect(await core.invoke('jobs.remove', { id: viaJob.id, deleteFile: true })).toEqual({
      ok: true,
      value: {
        removed: true,
        fileKept: `Kept ${join(dir.path, 'dl', 'a.bin')}: it is no longer the file Haul downloaded (${size(viaJob)} bytes then, 18 now).`,
      },
    });
    expect(
      await core.invoke('library.remove', { id: (viaLibrary as { resourceId: number }).resourceId, deleteFile: true }),
    ).toEqual({
      ok: true,
      value: {
        removed: true,
        fileKept: `Kept ${join(dir.path, 'dl', 'b.bin')}: it is no longer the file Haul downloaded (${size(viaLibrary)} bytes then, 24 now).`,
      },
    });
    expect(await core.invoke('jobs.each', { command: 'jobs.remove', ids: [linked.id], deleteFile: true })).toEqual({
      ok: true,
      value: {
        refused: [],
        kept: [{ id: linked.id, message: `Kept ${linkPath}: a link has taken the downloaded file's place.` }],
      },
    });
    expect(readFileSync(join(dir.path, 'dl', 'a.bin'), 'utf8')).toBe('a file of the user');
    expect(readFileSync(join(dir.path, 'dl', 'b.bin'), 'utf8')).toBe('another file of the user');
    expect(readFileSync(linkPath, 'utf8')).toBe('content');
    // The jobs and entries are gone all the same.
    expect(core.library.list({}).resources).toEqual([]);
  });

  it("removing a job with its file removes the file's library entry; without it, the entry stays", async () => {
    const kept = await download('stays.bin');
    const gone = await download('deleted.bin');
    await core.invoke('jobs.remove', { id: kept.id, deleteFile: false });
    expect(await core.invoke('jobs.remove', { id: gone.id, deleteFile: true })).toEqual({
      ok: true,
      value: { removed: true },
    });
    expect(existsSync(join(dir.path, 'dl', 'deleted.bin'))).toBe(false);
    expect(core.library.list({}).resources.map((r) => r.name)).toEqual(['stays.bin']);
  });
});
