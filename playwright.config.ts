import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './e2e/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  projects: [
    {
      name: 'browser',
      testMatch: /.*\.browser\.spec\.ts/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumPath,
          args: [...chromiumArgs],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
    // Launches its own Chromium with the built extension (extension/dist) loaded.
    { name: 'extension', testMatch: /extension\.spec\.ts/ },
    // The desktop app's journeys, through the Electron stand-in (e2e/desktop/electron-standin).
    // Each journey starts the app (Node, the core, Chromium) once or twice, so it gets longer.
    { name: 'desktop', testMatch: /.*\.desktop\.spec\.ts/, timeout: 90_000 },
  ],
});
