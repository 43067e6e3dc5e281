import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const src = resolve(import.meta.dirname, 'src');

/**
 * Plain Vite: four entry points, fixed file names the manifest can name, no minifying
 * (reviewers of add-on stores read the code). The content script imports nothing, so it
 * stays one classic script; the background and pages are ES modules.
 */
export default defineConfig({
  root: src,
  publicDir: resolve(import.meta.dirname, 'public'),
  base: './',
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    minify: false,
    modulePreload: false,
    target: 'es2022',
    rollupOptions: {
      input: {
        background: resolve(src, 'background.ts'),
        content: resolve(src, 'content.ts'),
        popup: resolve(src, 'popup.html'),
        options: resolve(src, 'options.html'),
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name].js',
        assetFileNames: 'assets/[name][extname]',
      },
    },
  },
});
