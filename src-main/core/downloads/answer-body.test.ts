import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createRawServer, type AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchGet, type AnswerBody } from './answer-body';
import { randomBody, sha256 } from './test-context';

const MiB = 1024 * 1024;

interface Served {
  url: URL;
  /**
   * Body bytes the server managed to hand to the socket, whether each answer finished, and
   * the client's port it went to (one port: one connection).
   */
  answers: { sent: number; finished: boolean; closed: Promise<void>; port: number | undefined }[];
}

const open: { server: Server; agent: Agent }[] = [];
afterEach(async () => {
  for (const { server, agent } of open.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    // Not close(): an answer a failed test left paused would hold it for good.
    await agent.destroy();
  }
});

/** Serves `body` in 64 KiB writes, waiting for the socket's drain like a real server. */
async function serve(body: Buffer): Promise<Served & { agent: Agent }> {
  const answers: Served['answers'] = [];
  const server = createServer((req, res: ServerResponse) => {
    const answer = {
      sent: 0,
      finished: false,
      closed: new Promise<void>((r) => res.on('close', r)),
      port: req.socket.remotePort,
    };
    answers.push(answer);
    res.writeHead(200, { 'content-length': String(body.length) });
    const next = (): void => {
      while (answer.sent < body.length && !res.destroyed) {
        const chunk = body.subarray(answer.sent, answer.sent + 64 * 1024);
        answer.sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', next);
      }
      if (!res.destroyed) res.end(() => (answer.finished = true));
    };
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const agent = new Agent();
  open.push({ server, agent });
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/file`), answers, agent };
}

/** Reads a body to its end, pausing now and then; resolves with the bytes and the end's error. */
function readAll(body: AnswerBody, pauseEvery = 0): Promise<{ bytes: Buffer; error: unknown }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let count = 0;
    body.read({
      onData(chunk) {
        chunks.push(chunk);
        count += 1;
        if (pauseEvery > 0 && count % pauseEvery === 0) {
          body.pause();
          setTimeout(() => body.resume(), 1);
        }
      },
      onEnd: (error) => resolve({ bytes: Buffer.concat(chunks), error }),
    });
  });
}

describe('answer body', () => {
  it('delivers every byte in order, also when the reader pauses and resumes', async () => {
    const body = randomBody(3 * MiB + 777);
    const served = await serve(body);
    for (const pauseEvery of [0, 3]) {
      const answer = await dispatchGet(served.agent, served.url, {}, new AbortController().signal);
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-length']).toBe(String(body.length));
      const { bytes, error } = await readAll(answer.body, pauseEvery);
      expect(error).toBeNull();
      expect(sha256(bytes)).toBe(sha256(body));
    }
  });

  it('holds the socket until a reader comes, without losing what arrived meanwhile', async () => {
    // More than loopback's socket buffers can take: up to 4 MiB sent and 32 MiB received
    // here (net.ipv4.tcp_wmem and tcp_rmem), which a 4 MiB body once filled entirely.
    const body = randomBody(64 * MiB);
    const served = await serve(body);
    const answer = await dispatchGet(served.agent, served.url, {}, new AbortController().signal);
    await new Promise((r) => setTimeout(r, 100));
    // Paused: the server is held back by the socket buffers, far short of the file.
    expect(served.answers[0]!.sent).toBeLessThan(body.length);
    const { bytes } = await readAll(answer.body);
    expect(sha256(bytes)).toBe(sha256(body));
  });

  it('ends the body with the signal reason when aborted midway, and closes the connection', async () => {
    const body = randomBody(32 * MiB);
    const served = await serve(body);
    const controller = new AbortController();
    const answer = await dispatchGet(served.agent, served.url, {}, controller.signal);
    const reason = new Error('stopped by the user');
    let received = 0;
    const ended = new Promise<unknown>((resolve) => {
      answer.body.read({
        onData(chunk) {
          received += chunk.length;
          if (received >= MiB && !controller.signal.aborted) controller.abort(reason);
        },
        onEnd: resolve,
      });
    });
    expect(await ended).toBe(reason);
    await served.answers[0]!.closed;
    expect(served.answers[0]!.finished).toBe(false);
    expect(received).toBeLessThan(body.length);
  });

  it('stops delivering and cuts the answer when destroyed', async () => {
    const body = randomBody(32 * MiB);
    const served = await serve(body);
    const answer = await dispatchGet(served.agent, served.url, {}, new AbortController().signal);
    let received = 0;
    let afterDestroy = 0;
    let ends = 0;
    let destroyed = false;
    answer.body.read({
      onData(chunk) {
        if (destroyed) afterDestroy += 1;
        received += chunk.length;
        if (received >= MiB) {
          destroyed = true;
          answer.body.destroy();
        }
      },
      onEnd: () => (ends += 1),
    });
    await served.answers[0]!.closed;
    expect(served.answers[0]!.finished).toBe(false);
    expect(afterDestroy).toBe(0);
    expect(ends).toBe(0);
  });

  it('rejects with the signal reason when aborted before the answer', async () => {
    const served = await serve(randomBody(1024));
    const controller = new AbortController();
    const reason = new Error('gone');
    controller.abort(reason);
    await expect(dispatchGet(served.agent, served.url, {}, controller.signal)).rejects.toBe(reason);
    const late = new AbortController();
    const pending = dispatchGet(served.agent, served.url, {}, late.signal);
    late.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('dumps a short body by reading it to its end, and cuts a long one', async () => {
    const short = await serve(randomBody(10_000));
    const answer = await dispatchGet(short.agent, short.url, {}, new AbortController().signal);
    await answer.body.dump();
    await short.answers[0]!.closed;
    expect(short.answers[0]!.finished).toBe(true);
    const long = await serve(randomBody(64 * MiB));
    const cut = await dispatchGet(long.agent, long.url, {}, new AbortController().signal);
    await cut.body.dump();
    await long.answers[0]!.closed;
    expect(long.answers[0]!.finished).toBe(false);
  });

  /**
   * Reads an answer of `served` until `bytes` came, pauses it (its write waits for the disk)
   * and dumps it: the answer must be read to its end, and the next request take the same
   * connection.
   */
  async function dumpKeepsConnection(served: Awaited<ReturnType<typeof serve>>, bytes: number): Promise<void> {
    const answer = await dispatchGet(served.agent, served.url, {}, new AbortController().signal);
    let got = 0;
    await new Promise<void>((resolve) =>
      answer.body.read({
        onData(chunk) {
          got += chunk.length;
          if (got < bytes) return;
          answer.body.pause();
          resolve();
        },
        onEnd: () => resolve(),
      }),
    );
    await answer.body.dump();
    await served.answers[0]!.closed;
    expect(served.answers[0]!.finished).toBe(true);
    // undici hands a kept-alive connection to the next request a turn of the loop later.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const next = await dispatchGet(served.agent, served.url, {}, new AbortController().signal);
    await next.body.dump();
    await served.answers[1]!.closed;
    expect(served.answers[1]!.finished).toBe(true);
    // Read to its end, not cut when the dump's wait ran out: the next request took the
    // same connection.
    expect(served.answers[1]!.port).toBe(served.answers[0]!.port);
  }

  it('dumps a body its reader paused: read to its end, the connection kept for the next request', async () => {
    // The reader pauses after its first chunk.
    await dumpKeepsConnection(await serve(randomBody(200_000)), 1);
  });

  it('dumps the short rest of a long body, keeping the connection for the next request', async () => {
    // A piece of 1 MiB read nearly to its end: what is left is read, not cut for the size
    // the answer announced.
    await dumpKeepsConnection(await serve(randomBody(MiB)), MiB - 200_000);
  });

  it('cuts a dumped body whose end does not come in time, closing its connection', async () => {
    // Every byte of a chunked body, but never its last chunk.
    let closed!: Promise<void>;
    const server = createServer((_req, res) => {
      closed = new Promise<void>((r) => res.on('close', r));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(randomBody(1000));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const agent = new Agent();
    open.push({ server, agent });
    const { port } = server.address() as AddressInfo;
    const answer = await dispatchGet(agent, new URL(`http://127.0.0.1:${port}/`), {}, new AbortController().signal);
    const started = performance.now();
    await answer.body.dump(100);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    await closed;
  });

  describe('a connection the server closes after its answer, while the reader holds the body', () => {
    /** Answers every request with `head` then `body` as they are, and closes the connection. */
    async function serveRaw(head: string, body: Buffer): Promise<{ url: URL; agent: Agent }> {
      const server = createRawServer((socket) => {
        socket.once('data', () => socket.end(Buffer.concat([Buffer.from(head), body])));
        socket.on('error', () => undefined);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const agent = new Agent();
      open.push({ server: Object.assign(server, { closeAllConnections: () => undefined }) as never, agent });
      const { port } = server.address() as AddressInfo;
      return { url: new URL(`http://127.0.0.1:${port}/file`), agent };
    }

    /**
     * Reads the body, pausing at its last byte (`size` of them) until the server's close
     * has surely come, then resuming: the end must still come, with every byte.
     */
    function readHoldingTheEnd(body: AnswerBody, size: number): Promise<{ bytes: Buffer; error: unknown }> {
      return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        let received = 0;
        body.read({
          onData(chunk) {
            chunks.push(chunk);
            received += chunk.length;
            if (received === size) {
              body.pause();
              setTimeout(() => body.resume(), 100);
            }
          },
          onEnd: (error) => resolve({ bytes: Buffer.concat(chunks), error }),
        });
      });
    }

    const framings = (size: number): [string, string][] => [
      ['a length', `HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`],
      ['no length (the close ends it)', 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n'],
      ['HTTP/1.0 without a length', 'HTTP/1.0 200 OK\r\n\r\n'],
    ];

    it.each(framings(0))('ends an empty body with %s, read only after the close came', async (_framing, head) => {
      const served = await serveRaw(head, Buffer.alloc(0));
      const answer = await dispatchGet(served.agent, served.url, {}, new AbortController().signal);
      await new Promise((r) => setTimeout(r, 100));
      const { bytes, error } = await readAll(answer.body);
      expect(error).toBeNull();
      expect(bytes.length).toBe(0);
    });

    it.each(framings(MiB + 333))(
      'ends a body with %s that its reader paused at the last byte',
      async (_framing, head) => {
        const body = randomBody(MiB + 333);
        const served = await serveRaw(head, body);
        const answer = await dispatchGet(served.agent, served.url, {}, new AbortController().signal);
        const { bytes, error } = await readHoldingTheEnd(answer.body, body.length);
        expect(error).toBeNull();
        expect(sha256(bytes)).toBe(sha256(body));
      },
    );

    it('fails a body shorter than its length, whose reader paused at its last byte', async () => {
      const body = randomBody(MiB);
      const served = await serveRaw(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length + 10}\r\n\r\n`, body);
      const answer = await dispatchGet(served.agent, served.url, {}, new AbortController().signal);
      const { bytes, error } = await readHoldingTheEnd(answer.body, body.length);
      expect(error).toBeInstanceOf(Error);
      expect(bytes.length).toBe(body.length);
    });
  });
});
