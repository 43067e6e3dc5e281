import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { showReadyChannel, type ShowRequest } from '../../src-common/contract';
import { createShowRequests } from './show-requests';

const rendererDir = '/opt/haul/out/renderer';
const ownPage = pathToFileURL(join(rendererDir, 'index.html')).href;

function page(id: number) {
  const sent: ShowRequest[] = [];
  return {
    sent,
    target: { id, send: (_channel: string, r: ShowRequest) => void sent.push(r), isDestroyed: () => false },
  };
}

describe('show requests', () => {
  it('holds requests for a page that does not listen yet, then sends them in order', () => {
    const ipc = new EventEmitter();
    const requests = createShowRequests(ipc as never, { rendererDir });
    const window = page(1);
    requests.send(window.target, { kind: 'add', urls: ['https://example.com/a'] });
    requests.send(window.target, { kind: 'job', id: 'abcd1234' });
    expect(window.sent).toEqual([]);

    ipc.emit(showReadyChannel, { sender: window.target, senderFrame: { url: ownPage } });
    expect(window.sent).toEqual([
      { kind: 'add', urls: ['https://example.com/a'] },
      { kind: 'job', id: 'abcd1234' },
    ]);
    requests.send(window.target, { kind: 'job', id: 'ffff0000' });
    expect(window.sent).toHaveLength(3);
  });

  it('ignores a "ready" from a foreign page: held links are not handed to it', () => {
    const ipc = new EventEmitter();
    const requests = createShowRequests(ipc as never, { rendererDir });
    const window = page(2);
    requests.send(window.target, { kind: 'add', urls: ['https://example.com/b'] });
    ipc.emit(showReadyChannel, { sender: window.target, senderFrame: { url: 'https://evil.example/' } });
    expect(window.sent).toEqual([]);
  });

  it('stops listening when stopped', () => {
    const ipc = new EventEmitter();
    createShowRequests(ipc as never, { rendererDir }).stop();
    expect(ipc.listenerCount(showReadyChannel)).toBe(0);
  });
});
