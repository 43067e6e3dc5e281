/**
 * What the seed conformance tests share: `haul serve` (the headless entry, real download
 * engine, the bundled plugins) on 127.0.0.1 with a port of its own, a local file server for
 * it to download from, a JSON client, and shape checks that name every field at fault.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { z } from 'zod';
import { serve, type Serving } from '../../serve';
import { tempDir } from '../../test/temp-dir';
import { eventually } from '../test-support';

export { eventually };

const bundledPluginsDir = fileURLToPath(new URL('../../../resources/plugins', import.meta.url));

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test checks the shape with zod first
  body: any;
}

export interface SeedServer {
  url: string;
  port: number;
  token: string;
  /** A URL of the local file server: `files/<name>` answers 2 KiB, `held/<name>` never finishes, `flaky/<name>` 503, anything else 404. */
  fileUrl(path: string): string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  stop(): Promise<void>;
}

const fileBytes = Buffer.alloc(2048, 'haul');

function startFiles(): Promise<{ server: Server; port: number; held: Set<ServerResponse> }> {
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/files/')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': fileBytes.length });
      res.end(fileBytes);
    } else if (path.startsWith('/held/')) {
      // Sends a little, then holds: the download stays active until it is paused or cancelled.
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 10_000_000 });
      res.write(fileBytes);
      held.add(res);
      res.on('close', () => held.delete(res));
    } else if (path.startsWith('/flaky/')) {
      // A transient failure: retried after a backoff (a minute in these tests, so it stays delayed).
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end('busy');
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not here');
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, held })),
  );
}

export async function startSeedServer(): Promise<SeedServer> {
  const dir = tempDir('haul-seed-');
  const files = await startFiles();
  let serving: Serving;
  try {
    serving = await serve(
      { port: 0, host: '127.0.0.1', dataDir: dir.path, downloadDir: dir.path },
      { bundledPluginsDir, jobs: { throttleMs: { download: 0, plugin: 0 }, backoff: { baseMs: 60_000 } } },
    );
  } catch (error) {
    files.server.close();
    dir.remove();
    throw error;
  }
  const url = serving.url;
  const token = serving.signInUrl.split('#token=')[1]!;
  const seed: SeedServer = {
    url,
    port: Number(new URL(url).port),
    token,
    fileUrl: (path) => `http://127.0.0.1:${files.port}/${path}`,
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      for (const res of files.held) res.destroy();
      await serving.stop();
      await new Promise<void>((resolve) => files.server.close(() => resolve()));
      dir.remove();
    },
  };
  // The bundled plugins start in the background; the seeds' plugin routes need them.
  await eventually(async () => {
    const { body } = await seed.call('GET', '/v1/actions?entityType=resource');
    return body.actions.some((action: { pluginName: string }) => action.pluginName === 'checksum');
  }, 'the bundled plugins to start');
  return seed;
}

/** Checks `value` against a schema written from a seed; the failure names each field at fault. */
export function expectShape<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    expect.fail(`${what} does not match the seed:\n  ${problems.join('\n  ')}\n${JSON.stringify(value).slice(0, 600)}`);
  }
  return parsed.data;
}

/**
 * An error as every seed route answers it: the HTTP status, and `{ error: { kind, message } }`
 * whose message names the field at fault when one is given.
 */
export function expectError(answer: Answer, status: number, kind: string, names?: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(Object.keys(answer.body)).toEqual(['error']);
  expect(answer.body.error).toMatchObject({ kind, message: expect.any(String) });
  if (names) expect(answer.body.error.message).toContain(names);
}
