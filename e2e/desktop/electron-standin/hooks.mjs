// Module resolution hooks (on Node's loader thread): `electron` is the stand-in. It is
// resolved through the rest of the chain, so tsx can compile it when it is TypeScript.
let standIn;

export function initialize(data) {
  standIn = data.standIn;
}

export async function resolve(specifier, context, next) {
  return next(specifier === 'electron' ? standIn : specifier, context);
}
