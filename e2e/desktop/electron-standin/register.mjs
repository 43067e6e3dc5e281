// `node --import ./register.mjs out/main/index.js`: every `import 'electron'` of the app
// resolves to the stand-in instead of the npm package (which only finds a binary).
// HAUL_ELECTRON_STANDIN names the stand-in module (the tests build electron.ts into one
// file once per run); without it, electron.ts is used as it is (needs `--import tsx` first).
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const standIn = process.env.HAUL_ELECTRON_STANDIN
  ? pathToFileURL(process.env.HAUL_ELECTRON_STANDIN).href
  : new URL('./electron.ts', import.meta.url).href;

register('./hooks.mjs', { parentURL: import.meta.url, data: { standIn } });
