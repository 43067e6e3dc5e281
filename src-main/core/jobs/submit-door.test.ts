import { afterEach, describe, expect, it } from 'vitest';
import { scriptedEngine } from '../../test/job-kit';
import { tempDir } from '../../test/temp-dir';
import { createCore, type Core } from '../app';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

let core: Core | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await core?.close();
  dir?.remove();
});

function open(): Core {
  dir = tempDir();
  core = createCore({
    dataDir: dir.path,
    downloadDir: join(dir.path, 'dl'),
    runtime: 'headless',
    version: '1.0.0',
    downloadRunner: scriptedEngine().runner,
  });
  return core;
}

async function refusal(core: Core, command: string, input: unknown): Promise<string> {
  const answer = await core.invoke(command, input);
  expect(answer.ok, JSON.stringify(input)).toBe(false);
  const error = (answer as { error: { kind: string; message: string } }).error;
  expect(error.kind).toBe('invalid_input');
  return error.message;
}

describe('validation at the door', () => {
  it('refuses at submit, naming the field, what would fail later or mislead', async () => {
    const core = open();
    const url = 'https://files.example/a.bin';
    expect(await refusal(core, 'downloads.submit', { url, dir: 'relative/folder' })).toMatch(
      /dir: must be an absolute path/,
    );
    expect(await refusal(core, 'downloads.submit', { url, dir: '/tmp/a\0b' })).toMatch(/dir: must not contain a NUL/);
    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\0b']) {
      expect(await refusal(core, 'downloads.submit', { url, headers: { Cookie: value } })).toMatch(
        /headers\.Cookie: must not contain CR, LF or NUL/,
      );
    }
    expect(await refusal(core, 'downloads.submit', { url, fileName: 'invoice\u202Efdp.exe' })).toMatch(
      /fileName: must not contain control or text-direction characters/,
    );
    expect(await refusal(core, 'settings.update', { downloadDir: 'Downloads' })).toMatch(
      /downloadDir: must be an absolute path/,
    );
    expect(core.events.snapshot().jobs).toEqual([]);
    const ok = await core.invoke('downloads.submit', { url, dir: join(dir!.path, 'dl', 'x'), headers: { A: 'b c' } });
    expect(ok.ok).toBe(true);
  });

  it('still reads a job stored before these checks (a relative folder, a header with a newline)', async () => {
    let core = open();
    const out = await core.invoke('downloads.submit', { url: 'https://files.example/old.bin', paused: true });
    const id = (out as { value: { jobs: { id: string }[] } }).value.jobs[0]!.id;
    await core.close();
    const db = new BetterSqlite3(join(dir!.path, 'haul.db'));
    const row = db.prepare('SELECT data FROM jobs WHERE id = ?').get(id) as { data: string };
    const data = JSON.parse(row.data) as Record<string, unknown>;
    data.options = { dir: 'relative', headers: { 'X-Old': 'a\nb' } };
    db.prepare('UPDATE jobs SET data = ? WHERE id = ?').run(JSON.stringify(data), id);
    db.close();
    core = createCore({
      dataDir: dir!.path,
      downloadDir: join(dir!.path, 'dl'),
      runtime: 'headless',
      version: '1.0.0',
      downloadRunner: scriptedEngine().runner,
    });
    try {
      expect(core.events.snapshot().jobs.map((job) => job.id)).toEqual([id]);
    } finally {
      await core.close();
    }
  });
});
