import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir';
import { findOnPath, originUrl } from './origin-xattr';

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
});
