import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The web site the extension's test browses: a page of download links, a file behind a
 * session cookie, and "gated" files that send their first bytes and then wait until the
 * test opens the gate (so a download is reliably still running while the popup acts on it).
 */
export interface TestSite {
  url: string;
  /** The bytes served as `name`. */
  bytes(name: string): Buffer;
  /** Requests seen for a path, with the headers that matter here. */
  requests(path: string): SeenRequest[];
  /** The same server under another site's name (`localhost`), whose page links to `url`'s files. */
  otherSiteUrl: string;
  openGate(): void;
  close(): Promise<void>;
}

/** A request as the site saw it; `fromBrowser`: it carried the browser's Sec-Fetch headers. */
export interface SeenRequest {
  cookie?: string;
  referer?: string;
  userAgent?: string;
  fromBrowser: boolean;
}

export const sessionCookie = 'session=s3cr3t-42';
/** Set with SameSite=Strict: a browser sends it only to requests from the site's own pages. */
export const strictCookie = 'guard=strict-7';
const gateLimitMs = 20_000;

export function fileContent(name: string): Buffer {
  const size = name.startsWith('gated') ? 1024 * 1024 : 64 * 1024 + name.length;
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) out[i] = (i * 13 + name.charCodeAt(i % name.length)) & 0xff;
  return out;
}

const page = `<!doctype html><html><head><title>Downloads</title></head><body>
<h1>Files</h1>
<ul>
  <li><a id="plain" href="/files/plain.bin">plain.bin</a></li>
  <li><a id="report" href="/private/report.bin">report.bin (members only)</a></li>
  <li><a id="alt" href="/files/alt.bin">alt.bin</a></li>
  <li><a id="faked-alt" href="/files/faked-alt.bin">faked-alt.bin</a></li>
  <li><a id="excluded" href="/files/notes.txt">notes.txt</a></li>
  <li><a id="gated-pause" href="/files/gated-pause.bin">gated-pause.bin</a></li>
  <li><a id="gated-cancel" href="/files/gated-cancel.bin">gated-cancel.bin</a></li>
  <li><a id="offline" href="/files/offline.bin">offline.bin</a></li>
</ul></body></html>`;

export async function startTestSite(): Promise<TestSite> {
  const seen = new Map<string, SeenRequest[]>();
  let gateOpen = false;
  const waiting = new Set<() => void>();

  async function sendFile(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const content = fileContent(name);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': content.length,
      'Content-Disposition': `attachment; filename="${name}"`,
    });
    if (req.method === 'HEAD') return void res.end();
    if (!name.startsWith('gated') || gateOpen) return void res.end(content);
    res.write(content.subarray(0, 64 * 1024));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, gateLimitMs);
      const release = () => (clearTimeout(timer), resolve());
      waiting.add(release);
      req.once('close', release);
    });
    if (!res.destroyed) res.end(content.subarray(64 * 1024));
  }

  let url = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const list = seen.get(path) ?? [];
    list.push({
      cookie: req.headers.cookie,
      referer: req.headers.referer,
      userAgent: req.headers['user-agent'],
      fromBrowser: req.headers['sec-fetch-mode'] !== undefined,
    });
    seen.set(path, list);
    if (path === '/') {
      // Visiting the page signs in: the cookie the protected file needs.
      res.writeHead(200, {
        'Content-Type': 'text/html',
        'Set-Cookie': [`${sessionCookie}; Path=/; HttpOnly`, `${strictCookie}; Path=/; HttpOnly; SameSite=Strict`],
      });
      return void res.end(page);
    }
    if (path === '/elsewhere') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return void res.end(
        `<!doctype html><title>Elsewhere</title><a id="cross" href="${url}/files/cross.bin">cross.bin</a>`,
      );
    }
    if (path.startsWith('/private/')) {
      if (!(req.headers.cookie ?? '').split('; ').includes(sessionCookie)) {
        res.writeHead(403, { 'Content-Type': 'text/plain' });
        return void res.end('sign in first');
      }
      return void sendFile(req, res, path.slice('/private/'.length));
    }
    if (path.startsWith('/files/')) return void sendFile(req, res, path.slice('/files/'.length));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    otherSiteUrl: `http://localhost:${port}`,
    bytes: fileContent,
    requests: (path) => seen.get(path) ?? [],
    openGate() {
      gateOpen = true;
      for (const release of waiting) release();
      waiting.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of waiting) release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
