import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs, runCli } from './cli';
import { writeInstanceFile } from './server/instance-file';
import { startTestApi, type TestApi } from './server/test-support';
import { tokenPath } from './core/api-token';
import { tempDir } from './test/temp-dir';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  writeInstanceFile(api.dataDir, { port: api.server.port, pid: process.pid });
});
afterAll(() => api.close());

async function haul(argv: string[], cwd = '/home/me') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, cwd);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('haul CLI arguments', () => {
  it('reads commands, resolving folders against the working directory', () => {
    expect(parseCliArgs(['add', 'https://a', 'https://b', '--dir', 'isos', '--data-dir', '/d'], '/home/me')).toEqual({
      command: { kind: 'add', urls: ['https://a', 'https://b'], dir: '/home/me/isos', name: undefined },
      dataDir: '/d',
      port: undefined,
    });
    expect(parseCliArgs(['pause', 'abcd1234', '--port', '9000']).command).toEqual({ kind: 'pause', ids: ['abcd1234'] });
    // The same id twice is acted on once.
    expect(parseCliArgs(['cancel', 'a1', 'b2', 'a1']).command).toEqual({ kind: 'cancel', ids: ['a1', 'b2'] });
    expect(parseCliArgs([]).command).toEqual({ kind: 'help' });
  });

  it.each([
    [['add'], 'at least one URL'],
    [['add', 'https://a', 'https://b', '--name', 'x'], '--name applies to a single URL'],
    [['pause'], 'at least one job id'],
    [['list', 'extra'], 'no arguments'],
    [['frobnicate'], 'unknown command'],
    [['list', '--colour'], 'unknown option --colour'],
    [['list', '--port', 'abc'], '--port'],
  ])('%j is a usage error: %s', async (argv, message) => {
    const result = await haul(argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain('Usage:');
  });
});

describe('haul CLI against a running instance', () => {
  it('adds, lists, pauses, resumes, cancels and retries', async () => {
    const added = await haul(['add', 'https://example.com/one.iso', '--name', 'one.iso', '--data-dir', api.dataDir]);
    expect(added.code).toBe(0);
    const id = /^([0-9a-f]{8}) /.exec(added.out)![1]!;
    const job = (await api.call('GET', `/v1/jobs/${id}`)).json();
    expect(job).toMatchObject({ url: 'https://example.com/one.iso', fileName: 'one.iso' });

    const list = await haul(['list', '--data-dir', api.dataDir]);
    expect(list.out).toContain(id);
    expect((await haul(['pause', id, '--data-dir', api.dataDir])).out).toMatch(new RegExp(`^${id}  Paused`));
    expect((await haul(['resume', id, '--data-dir', api.dataDir])).code).toBe(0);
    expect((await haul(['cancel', id, '--data-dir', api.dataDir])).out).toContain('Cancelled');
    // A cancelled download is tried again from the start.
    expect((await haul(['retry', id, '--data-dir', api.dataDir])).out).toMatch(
      new RegExp(`^${id}  (Queued|Downloading)`),
    );
  });

  it('adds several URLs and reports the ones that are not URLs', async () => {
    const result = await haul([
      'add',
      'https://example.com/two.iso',
      'nonsense',
      '--dir',
      'isos',
      '--data-dir',
      api.dataDir,
    ]);
    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toHaveLength(1);
    expect(result.err).toContain('not added: nonsense');
    const id = result.out.slice(0, 8);
    expect((await api.call('GET', `/v1/jobs/${id}`)).json().dir).toBe('/home/me/isos');
  });

  it('says of each argument that is no URL why it was not added, when none was', async () => {
    const result = await haul(['add', 'nonsense', 'ftp://example.com/x', '--data-dir', api.dataDir]);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err.split('\n')).toEqual([
      'haul: not added: nonsense: not a URL',
      'haul: not added: ftp://example.com/x: only http and https are supported, not ftp:',
    ]);
  });

  it('acts on several ids in turn, going on past one it refuses', async () => {
    const added = await haul([
      'add',
      'https://example.com/three.iso',
      'https://example.com/four.iso',
      '--data-dir',
      api.dataDir,
    ]);
    const [three, four] = added.out.split('\n').map((line) => line.slice(0, 8));
    const result = await haul(['pause', three!, '0badf00d', four!, '--data-dir', api.dataDir]);
    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${three}  Paused`)),
      expect.stringMatching(new RegExp(`^${four}  Paused`)),
    ]);
    expect(result.err).toContain('0badf00d');
    expect((await api.call('GET', `/v1/jobs/${four}`)).json().status).toBe('paused');
    const again = await haul(['cancel', three!, four!, '--data-dir', api.dataDir]);
    expect(again.code).toBe(0);
    expect(again.out.split('\n').map((line) => line.slice(10, 19))).toEqual(['Cancelled', 'Cancelled']);
  });

  it("passes on the core's message for a refused command", async () => {
    const result = await haul(['pause', '0badf00d', '--data-dir', api.dataDir]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('0badf00d');
  });
});

describe('haul CLI when Haul is not there', () => {
  it('says so when no instance file exists', async () => {
    const dir = tempDir();
    try {
      const result = await haul(['list', '--data-dir', dir.path]);
      expect(result.code).toBe(1);
      expect(result.err).toContain('Haul is not running');
      expect(result.err).toContain('server.json');
    } finally {
      dir.remove();
    }
  });

  it('says so on a refused connection (a stale server.json)', async () => {
    const dir = tempDir();
    const other = await startTestApi();
    const port = other.server.port;
    await other.close();
    try {
      writeInstanceFile(dir.path, { port, pid: 1 });
      writeFileSync(tokenPath(dir.path), 'x'.repeat(43));
      const result = await haul(['list', '--data-dir', dir.path]);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`not running at http://127.0.0.1:${port} (connection refused)`);
    } finally {
      dir.remove();
    }
  });

  it('says so when the token is missing or wrong', async () => {
    const dir = tempDir();
    try {
      writeInstanceFile(dir.path, { port: api.server.port, pid: process.pid });
      const missing = await haul(['list', '--data-dir', dir.path]);
      expect(missing.err).toContain(`No API token at ${join(dir.path, 'api-token')}`);
      writeFileSync(tokenPath(dir.path), 'y'.repeat(43));
      const wrong = await haul(['list', '--data-dir', dir.path]);
      expect(wrong.code).toBe(1);
      expect(wrong.err).toContain(`did not show that it holds the API token in ${tokenPath(dir.path)}`);
      rmSync(tokenPath(dir.path));
    } finally {
      dir.remove();
    }
  });

  it('sends no token to another program on the port a stale server.json names', async () => {
    const dir = tempDir();
    const heard: (string | undefined)[] = [];
    const squatter = createServer((req, res) => {
      heard.push(req.headers.authorization);
      res.setHeader('content-type', 'application/json');
      res.end(req.url?.startsWith('/healthz') ? '{"ok":true,"proof":"made-up"}' : '{"jobs":[]}');
    });
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    try {
      writeInstanceFile(dir.path, { port: (squatter.address() as AddressInfo).port, pid: 1 });
      writeFileSync(tokenPath(dir.path), api.token);
      const result = await haul(['add', 'https://a.example/f.iso', '--data-dir', dir.path]);
      expect(result.code).toBe(1);
      expect(result.err).toContain('the token was not sent');
      expect(heard).toEqual([undefined]);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
      dir.remove();
    }
  });
});
