/** Messages between the download engine and its hashing thread (hash-worker.ts). */

export type HashAlgorithm = 'sha256' | 'sha1' | 'md5';

export type HostToHasher =
  | { type: 'open'; id: number; algorithms: HashAlgorithm[] }
  /** `memory` is transferred; its first `length` bytes are the next bytes of the file. */
  | { type: 'update'; id: number; memory: ArrayBuffer; length: number }
  | { type: 'digest'; id: number }
  | { type: 'close'; id: number };

export type HasherToHost =
  /** An update was hashed: its memory comes back for reuse. */
  | { type: 'hashed'; id: number; memory: ArrayBuffer }
  /** Hex digests, one per algorithm of `open`, in that order. */
  | { type: 'digest'; id: number; hex: string[] };
