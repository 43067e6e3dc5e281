import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src-main/**/*.test.ts',
      'src-preload/**/*.test.ts',
      'src-common/**/*.test.ts',
      'src-renderer/**/*.test.{ts,tsx}',
      'scripts/**/*.test.ts',
      'extension/src/**/*.test.ts',
    ],
    environment: 'node',
    globalSetup: ['src-main/test/temp-root.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
