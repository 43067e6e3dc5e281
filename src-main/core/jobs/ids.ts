import { randomBytes } from 'node:crypto';

export type RandomHex = (bytes: number) => string;

export const cryptoHex: RandomHex = (bytes) => randomBytes(bytes).toString('hex');

/** Download jobs: 8 hex characters (event-stream API). */
export function newDownloadId(random: RandomHex = cryptoHex): string {
  return random(4);
}

/** Plugin jobs: 16 hex characters (event-stream API). */
export function newPluginJobId(random: RandomHex = cryptoHex): string {
  return random(8);
}
