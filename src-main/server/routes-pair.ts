import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/app';
import { isExtensionOrigin } from './guards';
import { sendError, sendResult, sendValue } from './reply';

export const pairUrl = '/v1/pair';

/**
 * Pairing a browser extension: the extension calls with Haul's token from its own
 * origin, and that exact origin is added to `allowedOrigins`. Until then every other
 * route refuses it (the Origin check runs first). Unpairing removes it again.
 */
export function registerPairRoutes(app: FastifyInstance, core: Pick<Core, 'invoke' | 'info' | 'settings'>): void {
  async function setOrigins(change: (origins: string[]) => string[]) {
    const current = core.settings.get().allowedOrigins;
    return core.invoke('settings.update', { allowedOrigins: change([...current]) });
  }

  app.post(pairUrl, async (request, reply) => {
    const origin = request.headers.origin;
    if (!isExtensionOrigin(origin)) {
      return sendError(reply, 'invalid_input', 'Pairing is for browser extensions: call it from the extension.');
    }
    const updated = await setOrigins((origins) => (origins.includes(origin) ? origins : [...origins, origin]));
    if (!updated.ok) return sendResult(reply, updated);
    return sendValue(reply, { origin, version: core.info.version });
  });

  app.delete(pairUrl, async (request, reply) => {
    const origin = request.headers.origin;
    if (!isExtensionOrigin(origin)) return sendError(reply, 'invalid_input', 'Only an extension can unpair itself.');
    const updated = await setOrigins((origins) => origins.filter((o) => o !== origin));
    if (!updated.ok) return sendResult(reply, updated);
    return sendValue(reply, { origin });
  });
}
