import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Haul keeps its database and token when no --data-dir is given. */
export function defaultDataDir(platform: string = process.platform, env = process.env): string {
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Haul');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Haul');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'haul');
}

export function defaultDownloadDir(): string {
  return join(homedir(), 'Downloads');
}
