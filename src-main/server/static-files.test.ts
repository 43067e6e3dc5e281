import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';
import { registerStaticFiles } from './static-files';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
  mkdirSync(join(dir.path, 'ui', 'assets'), { recursive: true });
  writeFileSync(join(dir.path, 'ui', 'index.html'), '<!doctype html><title>Haul</title>');
  writeFileSync(join(dir.path, 'ui', 'assets', 'app-1.js'), 'console.log(1);');
  writeFileSync(join(dir.path, 'ui', '.secret'), 'no');
  writeFileSync(join(dir.path, 'outside.txt'), 'no');
});
afterEach(() => dir.remove());

async function app() {
  const fastify = Fastify();
  registerStaticFiles(fastify, join(dir.path, 'ui'));
  await fastify.ready();
  return fastify;
}

describe('the UI files', () => {
  it('serves index.html at / and each file with its type and length', async () => {
    const fastify = await app();
    const page = await fastify.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe('<!doctype html><title>Haul</title>');
    const script = await fastify.inject('/assets/app-1.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['content-length']).toBe('15');
    expect(script.body).toBe('console.log(1);');
    const head = await fastify.inject({ method: 'HEAD', url: '/index.html' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    await fastify.close();
  });

  it('answers 404 for dot files, paths that climb out, files added later and files removed since start', async () => {
    const fastify = await app();
    writeFileSync(join(dir.path, 'ui', 'later.txt'), 'late');
    rmSync(join(dir.path, 'ui', 'assets', 'app-1.js'));
    for (const url of [
      '/.secret',
      '/../outside.txt',
      '/assets/../../outside.txt',
      '/%2e%2e/outside.txt',
      '/later.txt',
    ]) {
      expect((await fastify.inject(url)).statusCode, url).toBe(404);
    }
    expect((await fastify.inject('/assets/app-1.js')).statusCode).toBe(404);
    await fastify.close();
  });
});
