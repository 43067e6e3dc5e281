import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDownloadEngine } from './engine';
import { fileSha256, makeContext, randomBody, sha256, tempDir, testJob } from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();
let proxy: Server;
let proxyUrl: string;
const proxied: string[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  // A minimal forward proxy: CONNECT tunnels and absolute-form requests, logged.
  proxy = createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req, client: Socket) => {
    proxied.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  proxy.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy.close(resolve));
});

describe('proxy', () => {
  it('sends every request through the configured proxy', async () => {
    const body = randomBody(300 * 1024);
    server.file('/via-proxy.bin', body);
    const engine = createDownloadEngine({ proxy: proxyUrl });
    const outcome = await engine(makeContext(testJob(server.url('/via-proxy.bin'), await tempDir())).ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    const port = new URL(server.url('/')).port;
    expect(proxied.some((line) => line.includes(`127.0.0.1:${port}`))).toBe(true);
  });

  it('connects directly with proxy: null', async () => {
    const before = proxied.length;
    server.file('/direct.bin', randomBody(1000));
    const engine = createDownloadEngine({ proxy: null });
    await engine(makeContext(testJob(server.url('/direct.bin'), await tempDir())).ctx);
    expect(proxied.length).toBe(before);
  });
});
