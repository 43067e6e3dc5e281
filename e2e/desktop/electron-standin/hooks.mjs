// Module resolution hook (runs on Node's loader thread): `electron` is the stand-in.
// Resolved through the rest of the chain, so tsx compiles the TypeScript on the way.
const standIn = new URL('./electron.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  return next(specifier === 'electron' ? standIn : specifier, context);
}
