import { randomBytes } from 'node:crypto';

export type RandomHex = (bytes: number) => string;

/** Random bytes drawn ahead, so a submit of thousands of jobs asks the system once. */
let pool = Buffer.alloc(0);
let used = 0;

export const cryptoHex: RandomHex = (bytes) => {
  if (used + bytes > pool.length) {
    pool = randomBytes(Math.max(4096, bytes));
    used = 0;
  }
  const hex = pool.toString('hex', used, used + bytes);
  used += bytes;
  return hex;
};

/** Download jobs: 8 hex characters (event-stream API). */
export function newDownloadId(random: RandomHex = cryptoHex): string {
  return random(4);
}

/** Plugin jobs: 16 hex characters (event-stream API). */
export function newPluginJobId(random: RandomHex = cryptoHex): string {
  return random(8);
}
