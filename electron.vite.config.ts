import { isAbsolute, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { build } from 'rolldown';

/**
 * `haul serve`'s program again as CommonJS (out/main/serve.cjs and its chunks), made from
 * the ES module output just written: headless.js compiles it with V8's code cache, which
 * Node 20 offers for scripts only (see src-main/code-cache.ts). Packages and built-ins
 * stay outside as in the ES build; dynamic imports stay chunks loaded when first used.
 */
function serveAsCommonJs(): Plugin {
  return {
    name: 'haul:serve-commonjs',
    apply: 'build',
    async writeBundle(output) {
      const dir = output.dir!;
      await build({
        input: { serve: join(dir, 'serve.js') },
        external: (id) => !id.startsWith('.') && !isAbsolute(id),
        platform: 'node',
        logLevel: 'warn',
        output: {
          dir,
          format: 'cjs',
          entryFileNames: '[name].cjs',
          chunkFileNames: 'chunks/serve-[name]-[hash].cjs',
          // `import('ws')` becomes a require: a script's import() needs an experimental vm flag.
          dynamicImportInCjs: false,
        },
      });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [serveAsCommonJs()],
    build: {
      outDir: 'out/main',
      // zod is bundled: one tree-shaken module instead of about a hundred files to load at
      // start (its own package is pure ESM, nothing to resolve at run time). undici is
      // bundled into a chunk of its own, loaded at the first download: as a package it was
      // resolved and compiled from source at the first download of every start (about 60 ms
      // and 80 ms of CPU); as a chunk it runs from the code cache (src-main/code-cache.ts).
      externalizeDeps: {
        exclude: ['zod', 'fastify', 'undici'],
        // What bundled fastify requires only when asked: the schema compilers (no route has a
        // JSON schema, see server/http.ts), `inject` and the logger (off). Left out of the
        // bundle, they cost start-up nothing: 40% of its bytes, which V8 parsed at every start.
        include: ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'light-my-request', 'pino'],
      },
      rolldownOptions: {
        input: {
          // The Electron entry, and the plain Node entry of `haul serve`.
          index: resolve(__dirname, 'src-main/index.ts'),
          headless: resolve(__dirname, 'src-main/headless.ts'),
          // Its program, made into CommonJS after the build (serveAsCommonJs).
          serve: resolve(__dirname, 'src-main/serve.ts'),
          // `haul add|list|...`: a client of the running instance.
          cli: resolve(__dirname, 'src-main/cli.ts'),
          // A plugin's sandbox runs in a worker thread started from this file.
          'plugin-worker': resolve(__dirname, 'src-main/core/plugins/plugin-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require nothing but `electron`: bundle everything else.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rolldownOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
