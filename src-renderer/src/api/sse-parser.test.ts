import { describe, expect, it } from 'vitest';
import { SseParser, type SseFrame } from './sse-parser';

function parse(chunks: string[]): { frames: SseFrame[]; parser: SseParser } {
  const frames: SseFrame[] = [];
  const parser = new SseParser((frame) => frames.push(frame));
  for (const chunk of chunks) parser.push(chunk);
  return { frames, parser };
}

describe('SSE frame parser', () => {
  it('reads event, data and id of each frame', () => {
    const { frames, parser } = parse(['id: 7\nevent: updated\ndata: {"a":1}\n\nevent: init\ndata: {}\n\n']);
    expect(frames).toEqual([
      { event: 'updated', data: '{"a":1}', id: '7' },
      { event: 'init', data: '{}', id: '7' },
    ]);
    expect(parser.lastEventId).toBe('7');
  });

  it('gives the same frames whatever the chunking, CRLF included', () => {
    const text = ': hello\r\nevent: added\r\ndata: x\r\ndata: y\r\nid: 3\r\n\r\nevent: removed\r\ndata: z\r\n\r\n';
    const whole = parse([text]).frames;
    expect(whole).toEqual([
      { event: 'added', data: 'x\ny', id: '3' },
      { event: 'removed', data: 'z', id: '3' },
    ]);
    for (let size = 1; size < 7; size += 1) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(parse(chunks).frames).toEqual(whole);
    }
  });

  it('skips comments and frames without data, and defaults the event name', () => {
    const { frames } = parse([':keep-alive\n\nevent: ping\n\ndata:plain\n\n']);
    expect(frames).toEqual([{ event: 'message', data: 'plain', id: undefined }]);
  });

  it('holds an unfinished frame until its blank line arrives', () => {
    const frames: SseFrame[] = [];
    const parser = new SseParser((frame) => frames.push(frame));
    parser.push('event: updated\ndata: {"pro');
    expect(frames).toHaveLength(0);
    parser.push('gress":5}\n\n');
    expect(frames).toEqual([{ event: 'updated', data: '{"progress":5}', id: undefined }]);
  });
});
