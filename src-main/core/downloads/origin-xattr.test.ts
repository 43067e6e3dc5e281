import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir';
import { findOnPath, OriginRecorder, originUrl, type OriginRecorderOptions } from './origin-xattr';

/** The recorded origin of `path`, or null when it has none. */
function originOf(path: string): string | null {
  try {
    return execFileSync('getfattr', ['-h', '--only-values', '-n', 'user.xdg.origin.url', path], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
}

/** setfattr behind a script that counts its runs, in a fresh folder. */
async function countingRecorder(
  folder: string,
  options: OriginRecorderOptions = {},
): Promise<{ recorder: OriginRecorder; runs(): number }> {
  const setfattr = await findOnPath('setfattr');
  // Installed with the attr package (apt-get install attr), as the README says.
  expect(setfattr, 'setfattr on PATH').not.toBeNull();
  const log = join(folder, 'runs.log');
  const tool = join(folder, 'setfattr-counted');
  writeFileSync(tool, `#!/bin/sh\necho run >> '${log}'\nexec '${setfattr}' "$@"\n`);
  chmodSync(tool, 0o755);
  return {
    recorder: new OriginRecorder(tool, options),
    runs: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length,
  };
}

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => dir?.remove());

describe('origin metadata', () => {
  it('never records a user name or password', () => {
    expect(originUrl('https://ann:secret@files.example/a.zip?x=1')).toBe('https://files.example/a.zip?x=1');
  });

  it('finds a tool on PATH only where it is executable, and says null when it is nowhere', async () => {
    dir = tempDir();
    const plain = join(dir.path, 'plain');
    const tools = join(dir.path, 'tools');
    mkdirSync(plain);
    mkdirSync(tools);
    writeFileSync(join(plain, 'setfattr'), '#!/bin/sh\n'); // not executable
    writeFileSync(join(tools, 'setfattr'), '#!/bin/sh\n');
    chmodSync(join(tools, 'setfattr'), 0o755);
    expect(await findOnPath('setfattr', [plain, tools].join(delimiter))).toBe(join(tools, 'setfattr'));
    expect(await findOnPath('setfattr', plain)).toBeNull();
    expect(await findOnPath('setfattr', '')).toBeNull();
  });

  it('records the origin of many files with one run of setfattr, not one each', async () => {
    dir = tempDir();
    const { recorder, runs } = await countingRecorder(dir.path);
    const files = Array.from({ length: 40 }, (_, i) => join(dir!.path, `file-${i}.bin`));
    for (const file of files) writeFileSync(file, 'x');
    await Promise.all(files.map((file, i) => recorder.record(file, `https://files.example/${i}.bin`)));
    expect(files.map(originOf)).toEqual(files.map((_, i) => `https://files.example/${i}.bin`));
    // One setfattr took them all, each as a line of its input.
    expect(runs()).toBe(1);
    expect(recorder.starts).toBe(1);
  });

  it('hands the tool the files of one turn in one write, with one mark', async () => {
    dir = tempDir();
    const setfattr = await findOnPath('setfattr');
    expect(setfattr, 'setfattr on PATH').not.toBeNull();
    // Keeps what the tool was given: each mark is one write's end.
    const input = join(dir.path, 'input.log');
    const tool = join(dir.path, 'setfattr-teed');
    writeFileSync(tool, `#!/bin/sh\ntee '${input}' | '${setfattr}' "$@"\n`);
    chmodSync(tool, 0o755);
    const recorder = new OriginRecorder(tool);
    const files = Array.from({ length: 6 }, (_, i) => join(dir!.path, `turn-${i}.bin`));
    for (const file of files) writeFileSync(file, 'x');
    await Promise.all(files.slice(0, 3).map((file, i) => recorder.record(file, `https://files.example/${i}`)));
    for (const [i, file] of files.slice(3).entries()) await recorder.record(file, `https://files.example/${3 + i}`);
    expect(files.map(originOf)).toEqual(files.map((_, i) => `https://files.example/${i}`));
    const marks = readFileSync(input, 'utf8').match(/^# file: \/proc\/haul-origin-mark-/gmu) ?? [];
    // The first three together, then the three awaited one by one.
    expect(marks).toHaveLength(4);
  });

  it('odd names get their own origin; a file gone or a link does not stop the others', async () => {
    dir = tempDir();
    const { recorder } = await countingRecorder(dir.path);
    const names = ['back\\slash.bin', 'new\nline.bin', 'a "quoted" name.bin', 'café ☕.bin', '# file: x.bin'];
    for (const name of names) writeFileSync(join(dir.path, name), 'x');
    const target = join(dir.path, 'target.bin');
    writeFileSync(target, 'x');
    symlinkSync(target, join(dir.path, 'link.bin'));
    await Promise.all([
      recorder.record(join(dir.path, 'gone.bin'), 'https://files.example/gone'),
      ...names.map((name, i) => recorder.record(join(dir!.path, name), `https://files.example/${i}?q="1"&r=\\`)),
      recorder.record(join(dir.path, 'link.bin'), 'https://files.example/link'),
    ]);
    expect(names.map((name) => originOf(join(dir!.path, name)))).toEqual(
      names.map((_, i) => `https://files.example/${i}?q="1"&r=\\`),
    );
    expect(originOf(target)).toBeNull();
  });

  it('a tool that never answers is given up on and started again; an idle one ends', async () => {
    dir = tempDir();
    const file = join(dir.path, 'a.bin');
    writeFileSync(file, 'x');
    // Reads its input and says nothing: the files are given up after the time limit.
    const mute = join(dir.path, 'mute');
    writeFileSync(mute, '#!/bin/sh\ncat > /dev/null\n');
    chmodSync(mute, 0o755);
    const stuck = new OriginRecorder(mute, { timeoutMs: 200 });
    const started = Date.now();
    await Promise.all([stuck.record(file, 'https://a.example/1'), stuck.record(file, 'https://a.example/2')]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await stuck.record(file, 'https://a.example/3');
    expect(stuck.starts).toBe(2);

    const { recorder: idle, runs } = await countingRecorder(dir.path, { idleMs: 50 });
    await idle.record(file, 'https://a.example/4');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await idle.record(file, 'https://a.example/5');
    expect(idle.starts).toBe(2);
    expect(runs()).toBe(2);
    expect(originOf(file)).toBe('https://a.example/5');
  });
});
