import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the bundled plugins are when the caller did not say: `resources/plugins` of the
 * app, found from the built bundle (out/main → ../../resources/plugins) or, in a packaged
 * Electron app, under process.resourcesPath. Running from source (tests, tsx) there is
 * no default: a test names the plugins it wants.
 */
export function findBundledPluginsDir(moduleUrl: string = import.meta.url): string | undefined {
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith('.ts')) return undefined;
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    ...(resourcesPath ? [join(resourcesPath, 'plugins'), join(resourcesPath, 'resources', 'plugins')] : []),
  ];
  for (let dir = dirname(here), i = 0; i < 4; dir = dirname(dir), i += 1) {
    candidates.push(join(dir, 'resources', 'plugins'));
  }
  return candidates.find((dir) => existsSync(dir));
}
