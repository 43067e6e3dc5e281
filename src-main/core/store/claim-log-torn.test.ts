import type * as FileSystem from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../test/temp-dir';
import { ClaimLog } from './claim-log';

/** The next `write` the log makes takes only part of its bytes, as on a disk that fills. */
const short = vi.hoisted(() => ({ next: false }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof FileSystem>();
  const writeSync = (fd: number, text: string): number => {
    if (!short.next) return fs.writeSync(fd, text);
    short.next = false;
    return fs.writeSync(fd, text.slice(0, 10));
  };
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

const claim = (id: string, fileName: string) => ({ id, before: 'null', resumeState: { fileName }, fileName });

describe('the claim log after a short write', () => {
  it('takes no more lines until it is emptied, so none joins the torn one', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, 'haul-claims.log');
    const log = new ClaimLog(file);
    expect(log.append(claim('aaaa0001', 'one.bin'))).toBe(true);
    short.next = true;
    expect(log.append(claim('aaaa0002', 'two.bin'))).toBe(false);
    // Refused, so its caller writes it to SQLite: a line here would join the torn one.
    expect(log.append(claim('aaaa0003', 'three.bin'))).toBe(false);
    expect(new ClaimLog(file).readClaims().map((c) => c.fileName)).toEqual(['one.bin']);

    log.written('aaaa0001');
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(log.append(claim('aaaa0004', 'four.bin'))).toBe(true);
    expect(new ClaimLog(file).readClaims().map((c) => c.fileName)).toEqual(['four.bin']);
    log.close();
  });
});
