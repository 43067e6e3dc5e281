/** Fixtures for the desktop journeys: a fresh profile, the app launcher, a file server. */
import { expect, test as base } from '@playwright/test';
import { startFileServer, type FileServer } from '../file-server';
import { DesktopApp, makeProfile, secondLaunch, type Profile } from './harness';

export interface Desktop {
  profile: Profile;
  /** Starts the app on this test's profile; every app started is quit after the test. */
  launch(args?: string[]): Promise<DesktopApp>;
  /** A second launch on the same profile, as `haul <args>` or a clicked haul:// link. */
  secondLaunch(args: string[]): Promise<{ code: number | null; output: string }>;
}

export const test = base.extend<{ desktop: Desktop }, { files: FileServer }>({
  // Playwright reads the fixture list from this destructuring: it must stay an object pattern.
  // eslint-disable-next-line no-empty-pattern
  desktop: async ({}, use, testInfo) => {
    const profile = await makeProfile();
    const apps: DesktopApp[] = [];
    await use({
      profile,
      launch: async (args = []) => {
        const app = await DesktopApp.launch(profile, args);
        apps.push(app);
        return app;
      },
      secondLaunch: (args) => secondLaunch(profile, args),
    });
    // An uncaught error in a page or a failed preload fails the journey, whatever it checked.
    const errors: string[] = [];
    for (const app of apps) {
      if (app.child.exitCode === null) errors.push(...(await app.state().catch(() => ({ errors: [] }))).errors);
      await app.close();
    }
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('app output', { body: apps.map((a) => a.output).join('\n---\n') });
    }
    profile.remove();
    expect(errors, 'errors in the app').toEqual([]);
  },
  files: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const files = await startFileServer();
      await use(files);
      await files.close();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
