import type { Dispatcher } from 'undici';

/** What a reader of an answer's body is called with. */
export interface BodyReader {
  /** One chunk as the socket delivered it; it never changes afterwards. */
  onData(chunk: Buffer): void;
  /** The body ended: null when complete, else why it stopped. Called once. */
  onEnd(error: unknown): void;
}

/** Bytes `dump()` reads to keep the connection before it closes it instead. @default 256 KiB */
const dumpLimit = 256 * 1024;
/**
 * How long `dump()` waits for the end before it closes the connection instead: a server
 * that never ends its answer (a chunked body without its last chunk) must not hold a
 * connection for good. @default 1000
 */
const dumpWaitMs = 1000;

/**
 * The body of one answer, read straight from undici's dispatch handler: a chunk goes from
 * the HTTP parser to the reader in one call, with no stream, no buffering and no promise
 * per chunk. A reader that must wait (the disk, a speed limit) pauses it, which stops
 * the parser and so the socket. Chunks that come before a reader is attached wait here,
 * with the socket paused.
 */
export class AnswerBody {
  private controller: Dispatcher.DispatchController | null = null;
  private reader: BodyReader | null = null;
  private queued: Buffer[] = [];
  /** Set once the answer ended or failed (null error: complete). */
  private outcome: { error: unknown } | null = null;
  private paused = false;
  private delivering = false;
  /** Closed by the caller or ended for the reader: nothing more is delivered. */
  private closed = false;
  private detach: () => void = () => undefined;
  /** Bytes its Content-Length announced that have not come yet; null when it named none. */
  private unread: number | null = null;

  /** @internal The dispatch handler's side. */
  attach(controller: Dispatcher.DispatchController, detach: () => void, announced: number | null = null): void {
    this.controller = controller;
    this.detach = detach;
    this.unread = announced;
    // Held until a reader comes: the parser stops instead of buffering the file here.
    if (this.reader === null || this.paused) controller.pause();
  }

  /** @internal */
  push(chunk: Buffer): void {
    if (this.unread !== null) this.unread -= chunk.length;
    if (this.closed) return;
    if (this.reader && !this.paused && this.queued.length === 0 && !this.delivering) {
      this.reader.onData(chunk);
      return;
    }
    this.queued.push(chunk);
    this.controller?.pause();
  }

  /** @internal The answer is over: `error` null when complete. */
  end(error: unknown): void {
    if (this.outcome !== null) return;
    this.outcome = { error };
    this.detach();
    this.deliver();
  }

  /** Starts delivering to `reader`, chunks that already came first. */
  read(reader: BodyReader): void {
    this.reader = reader;
    this.deliver();
  }

  /** No chunk until `resume()`; the socket stops being read. */
  pause(): void {
    this.paused = true;
    this.controller?.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.deliver();
  }

  private deliver(): void {
    // A reader called back into resume() from onData: the outer loop carries on.
    if (this.delivering || this.closed || this.reader === null) return;
    this.delivering = true;
    try {
      while (!this.paused && !this.closed && this.queued.length > 0) this.reader.onData(this.queued.shift()!);
    } finally {
      this.delivering = false;
    }
    if (this.paused || this.closed) return;
    if (this.outcome !== null) {
      this.closed = true;
      this.reader.onEnd(this.outcome.error);
      return;
    }
    // May deliver the parser's next chunks at once, before returning.
    this.controller?.resume();
  }

  /** Stops the answer (closing its connection if it is still coming); nothing more is delivered. */
  destroy(): void {
    if (this.closed && this.outcome !== null) return;
    this.closed = true;
    this.queued = [];
    this.reader = null;
    if (this.outcome === null) {
      this.outcome = { error: null };
      this.detach();
      this.controller?.abort(new Error('The answer was no longer needed.'));
    }
  }

  /**
   * Reads the rest of a body to its end so the connection can serve the next request; a
   * long rest (at once when its Content-Length says so: a whole file sent for a range), or
   * one whose end does not come within `waitMs`, is cut instead. Never rejects.
   */
  dump(waitMs = dumpWaitMs): Promise<void> {
    if ((this.outcome !== null && this.queued.length === 0) || (this.unread ?? 0) > dumpLimit) {
      this.destroy();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let bytes = 0;
      const cut = (): void => {
        clearTimeout(timer);
        this.destroy();
        resolve();
      };
      const timer = setTimeout(cut, waitMs);
      timer.unref();
      // The dump is the body's reader now: a pause the one before left (its write waiting
      // for the disk) would hold the parser, and the end would never come.
      this.paused = false;
      this.read({
        onData: (chunk) => {
          bytes += chunk.length;
          if (bytes > dumpLimit) cut();
        },
        onEnd: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** The body bytes an answer's Content-Length announces (as sent, whatever the encoding), or null. */
export function contentLength(headers: DispatchedAnswer['headers']): number | null {
  const raw = headers['content-length'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d+$/u.test(value.trim())) return null;
  const length = Number(value);
  return Number.isSafeInteger(length) ? length : null;
}

export interface DispatchedAnswer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: AnswerBody;
}

/**
 * A GET through `dispatcher`, answered once its status and headers are in. Rejects with
 * the network error, or with the signal's reason when it aborts first; an abort later
 * ends the body with that reason.
 */
export function dispatchGet(
  dispatcher: Dispatcher,
  target: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<DispatchedAnswer> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const body = new AnswerBody();
    let controller: Dispatcher.DispatchController | null = null;
    let answered = false;
    const onAbort = (): void => {
      const reason = signal.reason as Error;
      if (controller) controller.abort(reason);
      // Not sent yet: undici aborts it when it starts.
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const detach = (): void => signal.removeEventListener('abort', onAbort);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (signal.aborted) started.abort(signal.reason as Error);
      },
      onResponseStart(started, statusCode, responseHeaders) {
        // 1xx answers come before the real one.
        if (statusCode < 200 || answered) return;
        answered = true;
        body.attach(started, detach, contentLength(responseHeaders));
        resolve({ statusCode, headers: responseHeaders, body });
      },
      onResponseData(_controller, chunk) {
        body.push(chunk);
      },
      onResponseEnd() {
        body.end(null);
      },
      onResponseError(_controller, error) {
        if (!answered) {
          detach();
          reject(signal.aborted ? (signal.reason as Error) : error);
          return;
        }
        body.end(signal.aborted ? signal.reason : error);
      },
    };
    try {
      dispatcher.dispatch(
        { origin: target.origin, path: `${target.pathname}${target.search}`, method: 'GET', headers },
        handler,
      );
    } catch (error) {
      detach();
      reject(error);
    }
  });
}
