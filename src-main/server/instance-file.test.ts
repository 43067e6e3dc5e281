import { writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';
import {
  answersAsHaul,
  instanceFilePath,
  readInstanceFile,
  removeInstanceFile,
  runningInstance,
  writeInstanceFile,
} from './instance-file';

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

describe('another instance on the same data folder', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });
  /** A local server answering every request with `reply`, or never when it is null. */
  const listening = async (reply: ((response: ServerResponse) => void) | null): Promise<number> => {
    const server = createServer((_request, response) => reply?.(response));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const haul = (response: ServerResponse) => response.setHeader('Content-Type', 'application/json').end('{"ok":true}');

  it('counts only when its process lives and its port answers as Haul', async () => {
    const port = await listening(haul);
    writeInstanceFile(dir.path, { port, pid: process.ppid });
    expect(await runningInstance(dir.path)).toEqual({ port, pid: process.ppid });
    // A crashed instance's file: its process is gone.
    writeInstanceFile(dir.path, { port, pid: 2 ** 22 + 12345 });
    expect(await runningInstance(dir.path)).toBeUndefined();
  });

  it("is not found in a crashed instance's file whose process id another program has now", async () => {
    const closed = await listening(haul);
    servers.pop()!.close();
    const other = await listening((response) => response.end('<html>not Haul</html>'));
    for (const port of [closed, other]) {
      writeInstanceFile(dir.path, { port, pid: process.ppid });
      expect(await runningInstance(dir.path)).toBeUndefined();
    }
  });

  it('counts one too busy to answer in time, rather than start a second on its folder', async () => {
    const port = await listening(null);
    expect(await answersAsHaul(port, 200)).toBe(true);
  });
});
