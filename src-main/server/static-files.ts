/**
 * The built UI for browsers: every file under the folder found at start gets its own GET
 * (and HEAD) route, so no path from a request ever reaches the file system. This replaces
 * @fastify/static, whose modules (send, glob, mime, http-errors) cost about a quarter of
 * start-up for a folder of three files.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sendError } from './reply';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Files below `root` (dot files and folders left out), as URL path -> file path. */
export function listStaticFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      else if (entry.isFile()) files.set(`/${encodeURI(relative(root, path).split(sep).join('/'))}`, path);
    }
  };
  walk(root, 0);
  return files;
}

export function registerStaticFiles(app: FastifyInstance, root: string): void {
  const files = listStaticFiles(root);
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  for (const [url, file] of files) {
    app.get(url, (_request, reply) => {
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        // Removed since start (a rebuild while running): as if it never existed.
        return sendError(reply, 'not_found', `No route: GET ${url}`);
      }
      return reply
        .type(contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream')
        .header('content-length', size)
        .header('cache-control', 'no-cache')
        .send(createReadStream(file));
    });
  }
}
