// `node --import tsx --import ./register.mjs out/main/index.js`: every `import 'electron'`
// of the app resolves to the stand-in instead of the npm package (which only finds a binary).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
