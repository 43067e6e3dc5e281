import { BurstMeter, type ServerBursts } from './burst-meter';
import { ConnectionWaits } from './connection-waits';
import { WaitTime } from './wait-time';
import { JobFailure, type DownloadContext } from '../jobs/runner';
import type { EngineSettings } from './engine-options';
import { networkFailure, refusedAfterRedirect } from './failures';
import type { FileDigest } from './file-digest';
import type { PartBytes } from './part-file';
import { RangeRequests, type OpenAnswer } from './range-request';
import type { RateLimiter } from './rate-limiter';
import { checkRangeResponse } from './response-check';
import { batchBytesFor, queuedWritesFor, SegmentWriter } from './segment-writer';
import type { TransferState } from './resume-state';
import { segmentDone, type Segment } from './segments';

/** The failure of a connection whose range request was answered with the whole file or other bytes. */
function rangeRefused(kind: 'full' | 'no-ranges', server: string): JobFailure {
  const what = kind === 'full' ? 'the whole file' : 'an answer that does not fit the file';
  return new JobFailure('http', `${server} answered a range request with ${what}`, { transient: true });
}

/** A segment and the worker writing it, if any. */
export type LiveSegment = Segment & { owner: SegmentWorker | null };

/** Answers in a row that end early, each having brought bytes, before giving up. */
const maxShortReads = 32;

/** An answer that ends early having brought this much is progress: the count starts again. */
const progressBytes = 256 * 1024;

/** A restart from zero is needed: the file changed, or its ranges cannot be trusted. */
export class RestartNeeded extends Error {
  constructor(readonly kind: 'changed' | 'no-ranges') {
    super(`restart: ${kind}`);
  }
}

/** What a connection needs from the transfer it works for. */
export interface WorkerHost {
  readonly signal: AbortSignal;
  readonly settings: EngineSettings;
  readonly ctx: DownloadContext;
  readonly state: TransferState | null;
  /** Where the bytes go: the part file, or memory for a small answer. */
  readonly sink: PartBytes | null;
  readonly digest: FileDigest;
  readonly limiter: RateLimiter;
  ranges: boolean;
  /**
   * This round had an answer placed by its Content-Range inside the file (a range from a
   * byte after the first, or one ending before the last): the server does take ranges.
   */
  rangesHonoured: boolean;
  /** What this download's connections found its server sends at once (see BurstMeter). */
  readonly bursts: ServerBursts;
  /** `bytes` arrived on `worker`'s connection at `at` (ms, the settings' clock). */
  arrived(worker: SegmentWorker, bytes: number, at: number): void;
  /** Connections open now. */
  readonly connections: number;
  /** A request of this download was answered `ms` after it was sent. */
  answered(ms: number): void;
  claim(worker: SegmentWorker): LiveSegment | null;
  absorbNext(segment: LiveSegment, coveredEnd: number | null): boolean;
  /** Before asking again for `segment`'s rest: what it keeps of it (see WorkPlan.leavePiece). */
  leavePiece(segment: LiveSegment): void;
  fail(error: unknown): void;
  /** The server's name for messages: the host of the address answering. */
  serverName(): string;
  /**
   * The connection failed with `error`: true when the download goes on without it (other
   * connections still bring bytes), false when the error ends the download.
   */
  spare(worker: SegmentWorker, error: unknown): boolean;
  /** Bytes reached the part file. */
  landed(bytes: number): void;
  /** The file really ends at `total` (below the announced size). */
  endAt(total: number): void;
}

/**
 * One connection: fetches its segment into the part file at the right offsets, asks
 * again from where it stopped when an answer ends early, then takes more work.
 */
export class SegmentWorker {
  /** File offset of the next byte received; bytes before it are written or in a batch. */
  cursor: number;
  /** Last sign of life from the network; null while waiting on a speed limit or the disk. */
  activeAt: number | null;
  /** Ended because the ramp dropped back, not for want of work. */
  retired = false;
  /** Why the transfer stopped this connection alone (it stalled while others did not). */
  dropped: unknown = null;
  /** An answer of the server's has come on this connection (its head, to any request). */
  hasAnswered = false;
  /** How long its requests waited for their first byte. */
  private readonly answerWaits = new WaitTime();
  /** Its requests, which can be stopped apart from the transfer's. */
  private readonly requests: RangeRequests;
  /** Ends the answer being read, with the reason as its error. */
  private interrupt: ((reason: unknown) => void) | null = null;
  /** Its waits for the speed limits and the disk, and the time they held it. */
  private readonly waits: ConnectionWaits;
  /** What its server sends at once, from its reads. */
  private readonly bursts: BurstMeter;

  constructor(
    private readonly host: WorkerHost,
    private segment: LiveSegment,
    now: number,
  ) {
    this.cursor = segment.pos;
    this.activeAt = now;
    this.requests = new RangeRequests(host);
    this.waits = new ConnectionWaits(this, host, [host.limiter, host.settings.globalLimiter]);
    this.bursts = new BurstMeter(host.bursts);
  }

  /** Where the answer being read ends (exclusive), when it was asked for a bounded range; null otherwise. */
  answerEnd: number | null = null;
  /** The answer being read: where its first bytes went, when they came, and when the last did. */
  private reading: { pos: number; at: number; lastAt: number } | null = null;

  /** What the answer being read brings a second, from its first bytes to its last; 0 before 10 ms of it. */
  get bytesPerSecond(): number {
    const reading = this.reading;
    if (!reading || reading.lastAt - reading.at < 10) return 0;
    return ((this.cursor - reading.pos) * 1000) / (reading.lastAt - reading.at);
  }

  /** A request of its own is out and no byte of its answer has come yet. */
  get unanswered(): boolean {
    return this.answerWaits.waiting;
  }

  get inFlightEnd(): number {
    return this.bursts.inFlightEnd(this.cursor, this.now());
  }

  burstEdge(offset: number): number {
    return this.bursts.edgeAt(offset, this.now());
  }

  /** The rate its server paces this connection to; 0 while unknown (see BurstMeter.pace). */
  get pace(): number {
    return this.bursts.pace;
  }

  async run(first?: OpenAnswer): Promise<void> {
    let current = first ?? null;
    let shortReads = 0;
    try {
      for (;;) {
        if (this.host.signal.aborted) return;
        if (this.dropped !== null) throw this.dropped;
        if (segmentDone(this.segment)) {
          this.segment.owner = null;
          const next = this.host.claim(this);
          if (!next) return;
          this.segment = next;
          this.cursor = next.pos;
          current = null;
        }
        if (!current) {
          current = await this.open();
          if (!current && this.segment.owner !== this) return;
          if (!current) continue;
        }
        const { coveredEnd } = current;
        this.answerEnd = coveredEnd;
        const { got, error } = await this.stream(current);
        this.answerEnd = null;
        current = null;
        if (this.dropped !== null) throw this.dropped;
        const segment = this.segment;
        if (segmentDone(segment)) continue;
        // A stream of unknown length that ended cleanly is the whole file.
        if (segment.end === null && error === null) {
          segment.end = segment.pos;
          continue;
        }
        if (!this.host.state?.resumable || segment.end === null) {
          throw networkFailure(error, this.host.serverName());
        }
        // Every byte its Content-Range promised (the first piece, or a server that caps each
        // answer): not short. What it asks for next, a piece or all the rest: see leavePiece.
        if (error === null && coveredEnd !== null && this.cursor >= coveredEnd && got > 0) {
          this.host.leavePiece(segment);
          continue;
        }
        shortReads = got >= progressBytes ? 0 : shortReads + 1;
        if (got === 0) throw error === null ? this.shortFailure() : networkFailure(error, this.host.serverName());
        if (shortReads > maxShortReads) throw this.shortFailure();
        this.host.ctx.log(`The answer ended at byte ${segment.pos} of ${segment.end}: asking for the rest.`);
      }
    } catch (error) {
      if (!this.host.signal.aborted && !this.host.spare(this, error)) this.host.fail(error);
    } finally {
      if (this.segment.owner === this) this.segment.owner = null;
    }
  }

  /** Stops this connection alone: its answer ends, and `run` ends with `reason`. */
  drop(reason: unknown): void {
    if (this.dropped !== null) return;
    this.dropped = reason;
    // No sign of life is expected from it any more.
    this.activeAt = null;
    this.requests.abort(reason);
    this.interrupt?.(reason);
  }

  private shortFailure(): JobFailure {
    const total = this.host.state?.totalBytes ?? 0;
    return new JobFailure(
      'network',
      `The server keeps sending fewer bytes than it announced (stopped at byte ${this.segment.pos} of ${total}).`,
      { transient: true },
    );
  }

  private now(): number {
    return this.host.settings.now();
  }

  /** Asks for the rest of the segment. Null when there is nothing to read from it. */
  private async open(): Promise<OpenAnswer | null> {
    const segment = this.segment;
    const state = this.host.state!;
    const sent = this.now();
    this.activeAt = sent;
    this.answerWaits.begin(sent);
    const asked = { start: segment.pos, end: segment.end };
    // The server's bursts count from where the answer will start, before it comes.
    this.bursts.answer(segment.pos);
    const response = await this.requests.send(state, asked);
    this.hasAnswered = true;
    this.host.answered(this.now() - sent);
    let verdict: ReturnType<typeof checkRangeResponse>;
    try {
      verdict = checkRangeResponse(response, asked.start, state);
    } catch (error) {
      await response.body.dump().catch(() => undefined);
      throw error instanceof JobFailure ? refusedAfterRedirect(error, this.host.ctx.job.url, response.url) : error;
    }
    if (verdict.kind === 'range') {
      if (asked.start > 0) this.host.rangesHonoured = true;
      return { body: response.body, coveredEnd: verdict.end };
    }
    await response.body.dump().catch(() => undefined);
    if (verdict.kind === 'complete') {
      segment.pos = segment.end ?? segment.pos;
      return null;
    }
    if (verdict.kind === 'ends') {
      this.host.endAt(verdict.total);
      return null;
    }
    if (verdict.kind === 'changed') throw new RestartNeeded('changed');
    segment.owner = null;
    // A server that took ranges this round answers this one with the whole file or other
    // bytes (one of several machines behind its name that does not take them, a limit on
    // range requests): this connection ends alone, its piece goes back to the others, and
    // one more is tried again later (see ConnectionLimits). Not for the last connection.
    if (this.host.rangesHonoured && this.host.spare(this, rangeRefused(verdict.kind, this.host.serverName()))) {
      return null;
    }
    // The server does not really do ranges: leave the segment for a connection whose
    // answer already covers it, or for a restart on one connection.
    // Said once, by the first connection to find it.
    if (this.host.ranges) this.host.ctx.log('The server does not honour range requests: continuing on one connection.');
    this.host.ranges = false;
    return null;
  }

  /** Milliseconds its requests waited for their first byte since the last call (see ConnectionRamp.sample). */
  takeAnswerWait(now: number): number {
    return this.answerWaits.take(now);
  }

  /** Milliseconds held by the disk or a speed limit since the last call (see ConnectionWaits.takeHeld). */
  takeHeld(now: number): number {
    return this.waits.takeHeld(now);
  }

  /**
   * Reads one answer into the part file until the segment is full or the answer ends.
   * Chunks are handled as the parser delivers them, with no stream in between; the answer
   * is paused while the connection waits for the disk or a speed limit. Received bytes
   * are always written, even when the answer fails midway.
   */
  private async stream(answer: OpenAnswer): Promise<{ got: number; error: unknown }> {
    const segment = this.segment;
    const { body } = answer;
    const writer = new SegmentWriter(
      this.host.sink!,
      this.host.digest,
      segment,
      (bytes) => this.host.landed(bytes),
      // The body's chunks come straight from the socket and are read here only.
      {
        batch: batchBytesFor(this.host.connections),
        queue: queuedWritesFor(this.host.connections),
        release: true,
      },
    );
    this.cursor = segment.pos;
    this.bursts.answer(this.cursor);
    this.reading = null;
    let got = 0;
    let error: unknown;
    const full = (): boolean =>
      segment.end !== null && this.cursor >= segment.end && !this.host.absorbNext(segment, answer.coveredEnd);

    // Every byte of the answer is in: only its end is to come, and the connection then
    // serves the next request (closing it would cost a new connection per small file).
    const whole = (): boolean => answer.coveredEnd !== null && this.cursor >= answer.coveredEnd;
    let done = false;
    try {
      error = await new Promise<unknown>((resolve) => {
        const finish = (outcome: unknown): void => {
          if (done) return;
          done = true;
          this.interrupt = null;
          if (outcome === null && whole()) void body.dump();
          else body.destroy();
          resolve(outcome);
        };
        const hold = (work: Promise<void>, ended: boolean): void => {
          body.pause();
          this.bursts.held();
          work.then(
            () => (ended || full() ? finish(null) : body.resume()),
            (caught: unknown) => finish(caught),
          );
        };
        // A chunk that runs past the segment carries on into the next one when it can be
        // absorbed; only then is the rest cut off (it must never be dropped mid-stream).
        const clip = (chunk: Buffer): Buffer => {
          while (segment.end !== null && chunk.length > segment.end - this.cursor) {
            if (!this.host.absorbNext(segment, answer.coveredEnd)) {
              return chunk.subarray(0, Math.max(0, segment.end - this.cursor));
            }
          }
          return chunk;
        };
        /** Counts and gathers `chunk`, taken at `at`; what to wait for before reading on, if anything. */
        const take = (chunk: Buffer, at: number): { limited: Promise<void> | null; waiting: Promise<void> | null } => {
          const limited = this.waits.payLimits(chunk.length);
          if (this.reading) this.reading.lastAt = at;
          else this.reading = { pos: this.cursor, at, lastAt: at };
          this.cursor += chunk.length;
          got += chunk.length;
          this.host.arrived(this, chunk.length, at);
          return { limited, waiting: writer.add(chunk) };
        };
        /**
         * Under a speed limit, a socket read larger than a grant (64 KiB or more on a fast
         * link, seconds of traffic at a low limit) is taken a grant at a time, each after
         * the one before was paid for: the bytes on disk, and the progress shown, then grow
         * at the limit instead of a read at once and nothing while it is paid for.
         */
        const takeInGrants = async (chunk: Buffer): Promise<void> => {
          let rest = chunk;
          while (rest.length > 0 && !done) {
            // The limit may change, or be lifted, while the chunk is paid for.
            const piece = clip(rest.subarray(0, this.waits.grant() || rest.length));
            if (piece.length === 0) return;
            rest = rest.subarray(piece.length);
            const { limited, waiting } = take(piece, this.now());
            await this.waits.settle(limited, waiting);
          }
        };
        this.interrupt = finish;
        body.read({
          onData: (raw) => {
            if (done) return;
            try {
              const now = this.now();
              this.activeAt = now;
              this.bursts.read(raw.length, now, this.cursor);
              this.answerWaits.end(now);
              if (full()) return finish(null);
              const chunk = clip(raw);
              const grant = this.waits.grant();
              if (grant > 0 && chunk.length > grant) return hold(takeInGrants(chunk), false);
              const { limited, waiting } = take(chunk, now);
              const ended = full();
              if (limited || waiting) hold(this.waits.settle(limited, waiting), ended);
              else if (ended) finish(null);
            } catch (caught) {
              finish(caught);
            }
          },
          onEnd: finish,
        });
      });
      if (error !== null && this.host.signal.aborted && !(error instanceof JobFailure)) error = this.host.signal.reason;
    } finally {
      // Ended by finish() above unless reading could not start.
      if (!done) body.destroy();
      await writer.drain();
    }
    if (this.host.signal.aborted) throw this.host.signal.reason;
    return { got, error };
  }
}
