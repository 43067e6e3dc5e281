import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';
import { instanceFilePath, readInstanceFile, removeInstanceFile, writeInstanceFile } from './instance-file';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('server.json', () => {
  it('is written, read back and removed by the process that wrote it', () => {
    writeInstanceFile(dir.path, { port: 8181, pid: process.pid });
    expect(readInstanceFile(dir.path)).toEqual({ port: 8181, pid: process.pid });
    removeInstanceFile(dir.path);
    expect(readInstanceFile(dir.path)).toBeUndefined();
  });

  it('is left alone when another process owns it now', () => {
    writeInstanceFile(dir.path, { port: 8181, pid: process.pid + 1 });
    removeInstanceFile(dir.path);
    expect(readInstanceFile(dir.path)).toEqual({ port: 8181, pid: process.pid + 1 });
  });

  it('reads a damaged file as no instance', () => {
    writeFileSync(instanceFilePath(dir.path), '{"port":"x"');
    expect(readInstanceFile(dir.path)).toBeUndefined();
    writeFileSync(instanceFilePath(dir.path), '{"port":0,"pid":1}');
    expect(readInstanceFile(dir.path)).toBeUndefined();
  });
});
