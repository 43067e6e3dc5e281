/**
 * The hashing thread: SHA-256 (and a checksum) of each download, fed its bytes in file
 * order. Hashing costs about 0.65 s of CPU per GiB; here it runs beside the event loop
 * that reads the sockets instead of on it. One thread serves every download.
 */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { HasherToHost, HostToHasher } from './hash-protocol';

const port = parentPort;
if (!port) throw new Error('hash-worker must run in a worker thread');

const streams = new Map<number, Hash[]>();
const send = (message: HasherToHost, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.on('message', (message: HostToHasher) => {
  switch (message.type) {
    case 'open':
      streams.set(
        message.id,
        message.algorithms.map((algorithm) => createHash(algorithm)),
      );
      break;
    case 'update': {
      const bytes = new Uint8Array(message.memory, 0, message.length);
      for (const hash of streams.get(message.id) ?? []) hash.update(bytes);
      send({ type: 'hashed', id: message.id, memory: message.memory }, [message.memory]);
      break;
    }
    case 'digest': {
      const hashes = streams.get(message.id) ?? [];
      streams.delete(message.id);
      send({ type: 'digest', id: message.id, hex: hashes.map((hash) => hash.digest('hex')) });
      break;
    }
    case 'close':
      streams.delete(message.id);
      break;
  }
});
