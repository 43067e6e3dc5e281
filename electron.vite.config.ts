import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // zod is bundled: one tree-shaken module instead of about a hundred files to load at
      // start (its own package is pure ESM, nothing to resolve at run time).
      externalizeDeps: {
        exclude: ['zod', 'fastify'],
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
