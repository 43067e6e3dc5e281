/** One Server-Sent Events frame, as the WHATWG spec dispatches it. */
export interface SseFrame {
  event: string;
  data: string;
  /** The last `id:` seen on the stream so far; sent back as Last-Event-ID on reconnect. */
  id: string | undefined;
}

/**
 * An incremental SSE parser: feed it text chunks as they arrive from a streaming fetch,
 * in any split (mid-line, mid-CRLF), and it calls `onFrame` once per complete frame.
 * We parse ourselves because EventSource cannot send an Authorization header.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private lastId: string | undefined;
  /** A chunk ended on CR: a following LF belongs to the same line break. */
  private pendingCr = false;

  constructor(private readonly onFrame: (frame: SseFrame) => void) {}

  get lastEventId(): string | undefined {
    return this.lastId;
  }

  push(chunk: string): void {
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) return;
      // A lone CR at the very end may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) this.pendingCr = true;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return; // a comment: keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    // `retry:` and unknown fields are ignored: our reconnect policy is our own.
  }

  private dispatch(): void {
    const hasData = this.data.length > 0;
    const frame = { event: this.event || 'message', data: this.data.join('\n'), id: this.lastId };
    this.event = '';
    this.data = [];
    if (hasData) this.onFrame(frame);
  }
}
