import type { Dispatcher } from 'undici';
import { Agent, EnvHttpProxyAgent, ProxyAgent } from './undici-parts';
import { createRateLimiter, type RateLimiter } from './rate-limiter';
import { pinningConnector, type CertificatePins } from './tls-trust';
import { processThreadClock, type ThreadTime } from './main-thread-time';

export interface DownloadEngineOptions {
  /**
   * Connections per download when the job does not set `connections`; a function is read
   * at each download's start (a setting). @default 8
   */
  maxConnections?: number | (() => number);
  /** Shared by every download of this engine; change its rate at any time. @default unlimited */
  globalLimiter?: RateLimiter;
  /**
   * A proxy URL for every request. `null` connects directly; absent, HTTPS_PROXY,
   * HTTP_PROXY and NO_PROXY from the environment apply.
   */
  proxy?: string | null;
  /**
   * Certificates trusted by fingerprint for one `host:port` each (a setting), read at each
   * new connection. Direct connections only: through a proxy, certificates are verified
   * as usual. @default none
   */
  trustedCertificates?: CertificatePins;
  /** Replaces the undici dispatcher built from the options above (tests, benchmarks). */
  dispatcher?: Dispatcher;
  /** No byte for this long fails the attempt as a transient `stalled`. @default 30_000 */
  stallTimeoutMs?: number;
  /**
   * Bytes per second a download must average over `minSpeedWindowMs`, read at each check
   * (a setting); below it the attempt fails as a transient `stalled` and its slot goes to
   * the next download. 0: no minimum. A per-download speed limit below it lowers it.
   * @default () => 0
   */
  minSpeed?: () => number;
  /** @default 60_000 */
  minSpeedWindowMs?: number;
  /** @default 30_000 */
  connectTimeoutMs?: number;
  /**
   * The largest the smallest piece gets: a segment is never split into halves smaller
   * than the smallest piece, which follows the link (twice a connection's rate times the
   * request round trip, at least 64 KiB) up to this. @default 1 MiB
   */
  minSegmentBytes?: number;
  /**
   * The largest piece one range request asks for while several connections share the
   * file. @default 16 MiB
   */
  initialSegmentBytes?: number;
  /**
   * When one connection may not be enough, a download whose size is known and whose
   * server takes ranges tries one connection per this many bytes of the rest at once (up
   * to the maximum). From a server 25 ms away pacing each connection to 20 MiB/s (part f
   * of the bench), ten rounds each against one connection per 16 MiB: 32 MiB took
   * 0.60-0.84 s trying four against 0.83-0.96 s trying two (one run of each settled on
   * one connection, 1.8 s), 64 MiB 0.72-0.94 s trying eight against 0.90-1.05 s trying
   * four, every byte sent once. One per 4 MiB against one per 8 MiB, six rounds: 16 MiB
   * 0.49-0.66 s trying four against 0.70-0.79 s trying two, 32 MiB 0.61-0.69 s trying
   * eight against 0.65-0.74 s trying four (64 MiB tries eight either way); near the
   * server, paced or not, within the runs' spread. One per 2 MiB against one per 4 MiB,
   * six rounds: 12 MiB 0.40-0.47 s against 0.48-0.52 s, 16 MiB 0.42-0.53 s trying eight
   * against 0.50-0.57 s trying four. @default an eighth of initialSegmentBytes (2 MiB)
   */
  trialBytes?: number;
  /**
   * A new download whose answer announces at most this many bytes holds them in memory
   * while they come, and its name, part file and write wait for the processing step,
   * which frees the download's slot sooner. 0: every answer goes to a part file as it
   * comes. @default 256 KiB
   */
  heldAnswerBytes?: number;
  /** How often throughput is measured to decide whether more connections pay (a measurement lasts two). @default 100 */
  rampIntervalMs?: number;
  /**
   * After a server refused a connection (a status, a reset), one connection more is tried
   * again this long after, and again after as long while the server takes them; refused
   * again, the wait doubles, up to a minute (see ConnectionLimits.recover). @default 5000
   */
  recoverAfterMs?: number;
  /**
   * The part file is synced and its durable progress handed to `saveState` at least this
   * often while bytes land. Between syncs the written offsets are saved without a sync
   * (see Checkpoints), which is what a killed process resumes from; a sync only guards
   * against a system crash and stalls the writes behind it. @default 1000
   */
  checkpointIntervalMs?: number;
  /**
   * ...and also once this many bytes landed since the last sync (at most every 50 ms),
   * so a system crash on a fast link loses little. @default 32 MiB
   */
  checkpointBytes?: number;
  /** `progress` is called at most this often. @default 250 */
  progressIntervalMs?: number;
  /** @default 'Haul/0.1' */
  userAgent?: string;
  /** Records the source URL on the finished file (Linux `user.xdg.origin.url`). @default true */
  recordOrigin?: boolean;
  /**
   * A SHA-256 of every downloaded file in its outcome, read at each download's start (a
   * setting). Off, only a download with a checksum to verify is hashed: SHA-256 was more
   * than half of the CPU a large download cost (docs/performance.md). @default false
   */
  fingerprint?: boolean | (() => boolean);
  /** Milliseconds, monotonic. @default performance.now */
  now?: () => number;
  /**
   * Milliseconds the main thread has been busy (`active`) and waiting (`idle`) so far:
   * a download adds no connection while its own work keeps the thread busy, since the
   * limit is then Haul's CPU, not the server. @default the event loop's utilization, or
   * the thread's CPU time where Node does not run the loop (see main-thread-time.ts)
   */
  loopTime?: () => ThreadTime;
}

export type EngineSettings = Required<
  Omit<DownloadEngineOptions, 'proxy' | 'dispatcher' | 'maxConnections' | 'trustedCertificates' | 'fingerprint'>
> & {
  dispatcher: Dispatcher;
  maxConnections: () => number;
  fingerprint: () => boolean;
};

function hasProxyEnv(): boolean {
  const env = process.env;
  return !!(env['HTTPS_PROXY'] || env['https_proxy'] || env['HTTP_PROXY'] || env['http_proxy']);
}

/** The dispatcher for the options: a fixed proxy, the environment's, or direct. */
export function createDispatcher(options: DownloadEngineOptions, stallTimeoutMs: number): Dispatcher {
  const common = {
    connect: { timeout: options.connectTimeoutMs ?? 30_000 },
    headersTimeout: stallTimeoutMs,
    // Bodies are read at the pace of the speed limit; the engine watches stalls itself.
    bodyTimeout: 0,
  };
  if (options.proxy) return new ProxyAgent({ uri: options.proxy, ...common });
  if (options.proxy === undefined && hasProxyEnv()) return new EnvHttpProxyAgent(common);
  const pins = options.trustedCertificates ?? (() => ({}));
  return new Agent({ ...common, connect: pinningConnector({ timeout: common.connect.timeout, pins }) });
}

export function resolveSettings(options: DownloadEngineOptions): EngineSettings {
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const maxConnections = options.maxConnections ?? 8;
  const fingerprint = options.fingerprint ?? false;
  const initialSegmentBytes = Math.max(1, options.initialSegmentBytes ?? 16 << 20);
  return {
    maxConnections: typeof maxConnections === 'function' ? maxConnections : () => maxConnections,
    fingerprint: typeof fingerprint === 'function' ? fingerprint : () => fingerprint,
    globalLimiter: options.globalLimiter ?? createRateLimiter(0),
    stallTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
    minSpeed: options.minSpeed ?? (() => 0),
    minSpeedWindowMs: options.minSpeedWindowMs ?? 60_000,
    minSegmentBytes: Math.max(1, options.minSegmentBytes ?? 1 << 20),
    initialSegmentBytes,
    trialBytes: Math.max(1, options.trialBytes ?? Math.floor(initialSegmentBytes / 8)),
    heldAnswerBytes: Math.max(0, options.heldAnswerBytes ?? 256 << 10),
    rampIntervalMs: options.rampIntervalMs ?? 100,
    recoverAfterMs: options.recoverAfterMs ?? 5000,
    checkpointIntervalMs: options.checkpointIntervalMs ?? 1000,
    checkpointBytes: Math.max(1, options.checkpointBytes ?? 32 << 20),
    progressIntervalMs: options.progressIntervalMs ?? 250,
    userAgent: options.userAgent ?? 'Haul/0.1',
    recordOrigin: options.recordOrigin ?? true,
    now: options.now ?? (() => performance.now()),
    loopTime: options.loopTime ?? processThreadClock(),
    dispatcher: options.dispatcher ?? createDispatcher(options, stallTimeoutMs),
  };
}
