import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from './core/app';
import { parseServeOptions, remoteHostNames, serve } from './serve';
import { instanceFilePath, readInstanceFile, writeInstanceFile } from './server/instance-file';
import { heldRunner, raw } from './server/test-support';
import { tokenPath } from './core/api-token';
import { tempDir } from './test/temp-dir';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('haul serve flags', () => {
  it('reads port, folders and host', () => {
    expect(parseServeOptions(['--port', '0', '--data-dir', dir.path, '--download-dir', dir.path])).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      dataDir: dir.path,
    });
    expect(parseServeOptions(['--help'])).toBe('help');
  });

  it('refuses a bad port, unknown flags, and a network host without --allow-remote', () => {
    expect(() => parseServeOptions(['--port', '70000'])).toThrow('--port');
    expect(() => parseServeOptions(['--port', '-1'])).toThrow('--port');
    expect(() => parseServeOptions(['--bogus'])).toThrow();
    expect(() => parseServeOptions(['--host', '0.0.0.0'])).toThrow('--allow-remote');
    expect(parseServeOptions(['--host', '0.0.0.0', '--allow-remote'])).toMatchObject({ host: '0.0.0.0' });
  });

  it('reads --aria2-rpc with or without a port, and --aria2-secret', () => {
    const base = ['--data-dir', dir.path];
    expect(parseServeOptions([...base])).not.toHaveProperty('aria2');
    expect(parseServeOptions(['--aria2-rpc', ...base])).toMatchObject({ aria2: { enable: true, port: undefined } });
    expect(parseServeOptions(['--aria2-rpc', '6801', ...base])).toMatchObject({ aria2: { enable: true, port: 6801 } });
    expect(parseServeOptions([...base, '--aria2-rpc=0', '--aria2-secret', 's3cret'])).toMatchObject({
      aria2: { enable: true, port: 0, secret: 's3cret' },
    });
    expect(parseServeOptions(['--aria2-secret', 'only', ...base])).toMatchObject({
      aria2: { enable: false, secret: 'only' },
    });
    expect(() => parseServeOptions(['--aria2-rpc=99999'])).toThrow('--aria2-rpc');
    expect(() => parseServeOptions(['--aria2-rpc', '--aria2-secret', 'has space'])).toThrow('--aria2-secret');
  });

  it('reads the aria2 secret from HAUL_ARIA2_SECRET, which no other user can read, unless the flag gives one', () => {
    const base = ['--data-dir', dir.path, '--aria2-rpc'];
    const env = { HAUL_ARIA2_SECRET: 'from-env' };
    expect(parseServeOptions(base, env)).toMatchObject({ aria2: { enable: true, secret: 'from-env' } });
    expect(parseServeOptions(['--data-dir', dir.path], env)).toMatchObject({
      aria2: { enable: false, secret: 'from-env' },
    });
    expect(parseServeOptions([...base, '--aria2-secret', 'flag'], env)).toMatchObject({ aria2: { secret: 'flag' } });
    expect(() => parseServeOptions(base, { HAUL_ARIA2_SECRET: 'has space' })).toThrow('HAUL_ARIA2_SECRET must be');
    expect(parseServeOptions(base, {})).toMatchObject({ aria2: { secret: undefined } });
  });

  it('lets the Host check accept the names a remote browser uses', () => {
    expect(remoteHostNames('127.0.0.1')).toEqual([]);
    expect(remoteHostNames('192.168.1.5')).toEqual(['192.168.1.5']);
    expect(remoteHostNames('0.0.0.0')).toEqual(expect.arrayContaining(['127.0.0.1']));
  });
});

describe('serve', () => {
  it('writes server.json while running and stops downloads resumably', async () => {
    const options = { port: 0, host: '127.0.0.1', dataDir: dir.path, downloadDir: dir.path };
    const serving = await serve(options, { downloadRunner: heldRunner });
    const info = readInstanceFile(dir.path)!;
    expect(info.pid).toBe(process.pid);
    expect(serving.url).toBe(`http://127.0.0.1:${info.port}`);
    expect(serving.signInUrl).toMatch(/#token=.{32,}$/);
    expect(existsSync(tokenPath(dir.path))).toBe(true);
    const token = serving.signInUrl.split('#token=')[1]!;
    const submitted = await raw(info.port, '/v1/jobs/download/submit', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/big.iso' }),
    });
    const id = submitted.json().jobs[0].id as string;

    await serving.stop();
    expect(existsSync(instanceFilePath(dir.path))).toBe(false);
    // The next start picks the download up again rather than losing or failing it.
    const again = createCore({
      dataDir: dir.path,
      downloadDir: dir.path,
      runtime: 'headless',
      version: '0',
      downloadRunner: heldRunner,
    });
    try {
      const found = await again.commands['jobs.get']({ id });
      expect(['pending', 'downloading']).toContain(found.job.status);
    } finally {
      await again.close();
    }
  });

  it('turns the aria2 endpoint on from the flags and keeps it in the settings', async () => {
    const options = { port: 0, host: '127.0.0.1', dataDir: dir.path, downloadDir: dir.path };
    const serving = await serve(
      { ...options, aria2: { enable: true, port: 0, secret: 'flag-secret' } },
      { downloadRunner: heldRunner },
    );
    try {
      const aria2 = new URL(serving.aria2Url()!);
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'aria2.getGlobalStat',
        params: ['token:flag-secret'],
      });
      const answer = await raw(Number(aria2.port), '/jsonrpc', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
        body,
      });
      expect(answer.json().result).toMatchObject({ numActive: '0' });
    } finally {
      await serving.stop();
    }
    // The desktop app, on the same data folder, reads the same settings.
    const again = createCore({ dataDir: dir.path, downloadDir: dir.path, runtime: 'electron', version: '0' });
    try {
      expect(again.settings.get()).toMatchObject({ aria2Enabled: true, aria2Secret: 'flag-secret', aria2Port: 6800 });
    } finally {
      await again.close();
    }
  });

  it('refuses a second instance on the same data folder, and a port in use, with clear messages', async () => {
    const other = tempDir();
    const options = { port: 0, host: '127.0.0.1', dataDir: dir.path, downloadDir: dir.path };
    const first = await serve(
      { ...options, dataDir: other.path, downloadDir: other.path },
      { downloadRunner: heldRunner },
    );
    const port = Number(new URL(first.url).port);
    try {
      // Another live process (the parent of this test run) named in server.json, whose
      // port answers as Haul does.
      writeInstanceFile(dir.path, { port, pid: process.ppid });
      await expect(serve(options, { downloadRunner: heldRunner })).rejects.toThrow(
        new RegExp(`already running with this data folder \\(process \\d+, http://127\\.0\\.0\\.1:${port}\\)`),
      );
      await expect(
        serve({ ...options, port, dataDir: other.path, downloadDir: other.path }, { downloadRunner: heldRunner }),
      ).rejects.toThrow(`Port ${port} is already in use by another program`);
    } finally {
      await first.stop();
      other.remove();
    }
    // A crashed instance's file: its process is gone, or its id went to another program
    // (the same live parent) and nothing answers on its port.
    for (const pid of [2 ** 22 + 12345, process.ppid]) {
      writeInstanceFile(dir.path, { port, pid });
      const again = await serve(options, { downloadRunner: heldRunner });
      await again.stop();
    }
  });

  it('stops cleanly on Ctrl-C (SIGINT) as a real process', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'headless.ts'),
        '--port',
        '0',
        '--data-dir',
        dir.path,
        '--download-dir',
        dir.path,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Open http:\/\/127\.0\.0\.1:\d+\/#token=/.test(output)) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then(() => reject(new Error(`haul serve exited early:\n${output}`)));
    });
    expect(readInstanceFile(dir.path)?.pid).toBe(child.pid);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(instanceFilePath(dir.path))).toBe(false);
  });
});
