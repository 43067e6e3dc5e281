import { setMaxListeners } from 'node:events';
import type { AnswerBody } from './answer-body';
import type { AttemptContext } from './attempt-context';
import { ServerBursts } from './burst-meter';
import { JobFailure } from '../jobs/runner';
import { Checkpoints } from './checkpoints';
import { ConnectionLimits } from './connection-limits';
import { initialConnections } from './ramp-rules';
import { SpeedMeter } from './speed-meter';
import type { EngineSettings } from './engine-options';
import { PartGone } from './failures';
import { FileDigest } from './file-digest';
import { partSuffix } from './file-name';
import { claimPart, establish } from './first-response';
import { MemoryPart, type PartBytes, type PartFile } from './part-file';
import { RampFeed } from './ramp-feed';
import { createRateLimiter, type RateLimiter } from './rate-limiter';
import { decodeState, syncedSegments, type TransferState } from './resume-state';
import type { Segment } from './segments';
import { SlowServerRules } from './slow-server';
import { SegmentWorker, RestartNeeded, type LiveSegment, type WorkerHost } from './segment-worker';
import { roundTripBytes, smallestPiece, WorkPlan } from './work-plan';

/** Rounds per attempt: each restart from zero (file changed, ranges broken) is one. */
const maxRounds = 3;

/**
 * One attempt at getting every byte of a download into its `.part` file: opens the
 * first connection, adds more while throughput grows, steals work for connections that
 * finish early, reports progress and saves flushed state. Ends with all bytes written,
 * or throws (after saving what is durable).
 */
export class Transfer implements WorkerHost {
  state: TransferState | null = null;
  part: PartFile | null = null;
  /** A small answer's bytes, held instead of a part file; its names are not claimed yet. */
  held: MemoryPart | null = null;
  /** When the bytes began to be held. */
  private heldSince = 0;
  /** The held bytes moving to a part file. */
  private spilling: Promise<void> | null = null;
  /** Who fetches which bytes of the file. */
  readonly plan: WorkPlan<SegmentWorker>;
  ranges = false;
  readonly digest: FileDigest;
  readonly limiter: RateLimiter;
  private internal: AbortController;
  private readonly workers = new Set<SegmentWorker>();
  private readonly running = new Set<Promise<void>>();
  private error: unknown = null;
  /** This round's connection ramp; before the first, one that keeps one connection. */
  private feed: RampFeed;
  private readonly meter = new SpeedMeter();
  private lastProgressAt = 0;
  /** The quickest answer to a connection's request so far, in milliseconds. */
  private roundTripMs = Number.POSITIVE_INFINITY;
  /** How long this round's first answer took to come (with its part file opened), ms. */
  private firstAnswerMs = Number.POSITIVE_INFINITY;
  /** What its server sends at once, from all its connections' reads. */
  readonly bursts = new ServerBursts();
  /** Bytes received (not yet necessarily written): what the ramp measures. */
  received = 0;
  /** Connections' waits for the disk or a speed limit since the last ramp sample, ms summed. */
  private heldMs = 0;
  /** Connections that found no more work and are ending, not yet out of `workers`. */
  private retiring = 0;
  private readonly limits: ConnectionLimits;
  private readonly slow: SlowServerRules;
  private readonly checkpoints: Checkpoints;
  private ticker: NodeJS.Timeout | null = null;
  /** While a step opens connections: the count it opens to (see Pace.joining); 0 otherwise. */
  private joining = 0;

  constructor(
    readonly ctx: AttemptContext,
    readonly settings: EngineSettings,
    readonly folder: string,
  ) {
    this.digest = new FileDigest(ctx.job.options.checksum, settings.fingerprint(), {
      onFailure: (error) => this.fail(error),
    });
    this.limiter = createRateLimiter(ctx.job.options.speedLimit ?? 0);
    this.feed = new RampFeed(settings, 1, 1, 0);
    this.plan = new WorkPlan(settings, () => {
      const running = this.workers.size - this.retiring;
      return {
        connections: this.feed.ramp.sharing,
        settled: this.feed.ramp.settled,
        smallestPiece: smallestPiece(this.feed.rate, running, this.roundTripMs),
        burstBytes: this.bursts.largest,
        running,
        joining: this.joining,
        roundTripBytes: roundTripBytes(this.feed.rate, running, this.roundTripMs),
        cutBytes: roundTripBytes(this.feed.rate, this.delivering(), this.roundTripMs),
        ...(Number.isFinite(this.roundTripMs) ? { roundTripMs: this.roundTripMs } : {}),
      };
    });
    this.slow = new SlowServerRules(settings, () => ctx.job.options.speedLimit ?? 0);
    this.limits = new ConnectionLimits(settings.stallTimeoutMs, (line) => ctx.log(line), settings.recoverAfterMs);
    this.checkpoints = new Checkpoints(
      settings,
      this,
      (state) => ctx.saveState(state),
      (error) => this.fail(error),
    );
    this.internal = this.newController();
    if (ctx.signal.aborted) this.stopOnAbort();
    else ctx.signal.addEventListener('abort', this.stopOnAbort, { once: true });
  }

  /** Aborts whichever internal controller is current. */
  private readonly stopOnAbort = (): void => this.internal.abort(this.ctx.signal.reason);

  /**
   * Each connection listens to the internal signal while its request is open and while
   * it waits for the speed limit. Workers are at most the connections plus as many
   * retiring, so past this bound a listener would be a leak worth Node's warning.
   */
  private newController(): AbortController {
    const controller = new AbortController();
    setMaxListeners(4 * this.maxConnections() + 4, controller.signal);
    return controller;
  }

  /** The transfer is over: the job's signal no longer holds it. */
  release(): void {
    this.ctx.signal.removeEventListener('abort', this.stopOnAbort);
  }

  get segments(): LiveSegment[] {
    return this.plan.segments;
  }

  get sink(): PartBytes | null {
    return this.part ?? this.held;
  }

  get signal(): AbortSignal {
    return this.internal.signal;
  }

  get connections(): number {
    return this.workers.size;
  }

  answered(ms: number): void {
    this.roundTripMs = Math.min(this.roundTripMs, ms);
    this.feed.answered(this.waitingForAnswers());
  }

  /** Connections open that have had no answer yet (a step's, starting). */
  private waitingForAnswers(): number {
    let waiting = 0;
    for (const worker of this.workers) if (!worker.retired && !worker.hasAnswered) waiting += 1;
    return waiting;
  }

  private maxConnections(): number {
    return Math.max(1, this.ctx.job.options.connections ?? this.settings.maxConnections());
  }

  /** Connections to try at once when one may not be enough: several for a large file. */
  private trialConnections(): number {
    const total = this.state?.totalBytes ?? null;
    if (!this.ranges || total === null) return 1;
    const remaining = total - this.plan.done();
    return initialConnections(this.maxConnections(), remaining, this.settings.initialSegmentBytes);
  }

  /** The download goes on without `worker`, which failed (see ConnectionLimits). */
  spare(worker: SegmentWorker, error: unknown): boolean {
    return this.ranges && this.limits.spare(worker, error, this.workers, this.settings.now());
  }

  /** Records the first fatal error and stops every connection. */
  fail(error: unknown): void {
    if (this.error === null) this.error = error;
    this.internal.abort(error);
  }

  /** Runs rounds until every byte is in the part file. */
  async run(): Promise<void> {
    const saved = decodeState(this.ctx.resumeState);
    let noRanges = false;
    let reason = '';
    for (let round = 0; round < maxRounds; round += 1) {
      // Names held in memory were never claimed: a later round looks for free ones again.
      const names = this.state && !this.held ? { fileName: this.state.fileName, partName: this.state.partName } : null;
      // A later round starts from zero: stop reading back the old bytes before closing.
      if (round > 0) this.digest.reset();
      await this.part?.close();
      this.part = null;
      this.held = null;
      this.spilling = null;
      const asked = this.settings.now();
      const start = await establish({
        ctx: this.ctx,
        folder: this.folder,
        dispatcher: this.settings.dispatcher,
        userAgent: this.settings.userAgent,
        signal: this.signal,
        saved: round === 0 ? saved : null,
        names,
        noRanges,
        firstPiece: this.maxConnections() > 1,
        holdUpTo: this.settings.heldAnswerBytes,
      });
      this.firstAnswerMs = this.settings.now() - asked;
      this.state = start.state;
      if (start.part instanceof MemoryPart) {
        this.held = start.part;
        this.heldSince = this.settings.now();
      } else this.part = start.part;
      this.ranges = start.ranges;
      this.plan.reset(start.segments);
      if (start.fromZero) this.digest.reset();
      // A resumed file's bytes are hashed from disk while the rest downloads.
      this.digest.follow(start.part, this.plan.landed());
      this.ctx.progress({ ...this.progressFields(), fileName: start.state.fileName, finalUrl: start.state.url });
      if (!start.first) return;
      const first = this.segments.find((s) => s.start === start.first?.segment.start) ?? this.segments[0]!;
      // What the saved state proved durable stays so until this round's first sync.
      const durable = round === 0 && !start.fromZero ? syncedSegments(this.ctx.resumeState) : null;
      const outcome = await this.round(first, start.first.body, start.first.coveredEnd, durable);
      if (outcome === 'done') return;
      reason = outcome;
      noRanges ||= outcome === 'no-ranges';
      this.ctx.log(
        outcome === 'changed'
          ? 'The file changed on the server: starting over.'
          : 'Ranges failed: starting over on one connection.',
      );
    }
    throw new JobFailure(
      'network',
      reason === 'changed'
        ? 'The file kept changing on the server while it downloaded.'
        : 'The server kept cutting the connection and does not support resuming.',
      { transient: true },
    );
  }

  private async round(
    first: LiveSegment,
    body: AnswerBody,
    coveredEnd: number | null,
    durable: Segment[] | null,
  ): Promise<'done' | 'changed' | 'no-ranges'> {
    const ranged = this.ranges && this.state?.totalBytes !== null;
    const max = ranged ? this.maxConnections() : 1;
    const total = this.state?.totalBytes ?? null;
    const cutFree = coveredEnd !== null && total !== null && coveredEnd < total;
    this.feed = new RampFeed(this.settings, max, this.trialConnections(), this.received, this.firstAnswerMs, cutFree);
    this.meter.reset();
    const now = this.settings.now();
    this.heldMs = 0;
    this.lastProgressAt = now;
    this.slow.restart(now, this.plan.done());
    this.limits.restart(now, this.received);
    this.checkpoints.restart(durable);
    const { progressIntervalMs, rampIntervalMs } = this.settings;
    this.ticker = setInterval(() => this.tick(), Math.min(progressIntervalMs, rampIntervalMs));
    this.feed.begin((at) => this.sampleRamp(at));
    try {
      // The first connection reads the whole file until the ramp finds that more pay.
      this.start(first, { body, coveredEnd });
      while (this.running.size > 0) {
        await Promise.race(this.running);
        if (this.running.size === 0 && this.error === null && !this.signal.aborted) this.spawn();
      }
    } finally {
      this.feed.stop();
      clearInterval(this.ticker);
      this.ticker = null;
      await this.spilling;
    }
    if (this.error instanceof RestartNeeded) {
      const kind = this.error.kind;
      this.error = null;
      await this.resetAbort();
      return kind;
    }
    if (this.error !== null || this.signal.aborted) {
      // The job shows what its part file keeps for the next attempt (a pause's too), not
      // the last report.
      const kept = this.error instanceof PartGone ? { receivedBytes: 0 } : {};
      if (this.part) this.ctx.progress({ ...this.progressFields(), ...kept });
      throw this.error ?? this.signal.reason;
    }
    const open = this.plan.unfinished();
    // No checkpoint of its own: the processing step syncs and records the finished file
    // with what it is about to publish, and a next round closes this part file first. One
    // still running or due (a delayed mark) must not sync or save after that.
    this.checkpoints.stop();
    await this.checkpoints.settled();
    return open && open.end !== null ? 'no-ranges' : 'done';
  }

  /** After a restart, the internal controller is spent: a fresh one, still tied to ctx. */
  private async resetAbort(): Promise<void> {
    // The listener added at construction aborts whichever controller is current.
    this.internal = this.newController();
    if (this.ctx.signal.aborted) this.stopOnAbort();
    this.checkpoints.stop();
    await this.checkpoints.settled();
  }

  private start(segment: LiveSegment, response?: { body: AnswerBody; coveredEnd: number | null }): void {
    const worker = new SegmentWorker(this, segment, this.settings.now());
    // A connection handed an answer that came already (the download's first) has answered.
    worker.hasAnswered = response !== undefined;
    segment.owner = worker;
    this.workers.add(worker);
    const task: Promise<void> = worker.run(response).finally(() => {
      if (worker.retired) this.retiring -= 1;
      this.workers.delete(worker);
      this.feed.ended(worker);
      this.running.delete(task);
    });
    this.running.add(task);
  }

  /** Adds one connection if there is work for it; false when there is none. */
  spawn(): boolean {
    if (!this.ranges || this.state?.totalBytes === null) return false;
    const segment = this.claim(null);
    if (!segment) return false;
    this.start(segment);
    return true;
  }

  /** The next piece of work (see WorkPlan.take), or null: none, or the connection is to end. */
  claim(worker: SegmentWorker | null): LiveSegment | null {
    if (!this.ranges) return null;
    // The ramp dropped back: a connection whose work is done ends instead, unless every
    // other one still waits for its request's answer (a server that leaves one unanswered
    // would otherwise be left with only that one, and its stall would end the download).
    if (worker && this.workers.size - this.retiring > this.allowed() && this.othersAnswered(worker)) {
      this.retiring += 1;
      worker.retired = true;
      return null;
    }
    return this.plan.take(worker);
  }

  /** Connections that have had an answer and are not ending: those the rate measured is from. */
  private delivering(): number {
    let count = 0;
    for (const worker of this.workers) if (worker.hasAnswered && !worker.retired) count += 1;
    return count;
  }

  /** True when a connection besides `worker` is neither ending nor waiting for its first byte. */
  private othersAnswered(worker: SegmentWorker): boolean {
    for (const other of this.workers) if (other !== worker && !other.retired && !other.unanswered) return true;
    return false;
  }

  /** Connections the ramp wants, within what the server takes. */
  private allowed(): number {
    return Math.min(this.feed.ramp.connections, this.limits.ceiling);
  }

  arrived(worker: SegmentWorker, bytes: number, at: number): void {
    this.received += bytes;
    this.feed.arrived(worker, this.received, at);
  }

  absorbNext(segment: LiveSegment, coveredEnd: number | null): boolean {
    return this.plan.absorbNext(segment, coveredEnd);
  }

  leavePiece(segment: LiveSegment): void {
    this.plan.leavePiece(segment);
  }

  private progressFields(): { receivedBytes: number; totalBytes: number | null; connections: number; speed: number } {
    return {
      receivedBytes: this.plan.done(),
      totalBytes: this.state?.totalBytes ?? null,
      connections: this.workers.size,
      speed: this.meter.speed,
    };
  }

  private tick(): void {
    const now = this.settings.now();
    const limit = this.ctx.job.options.speedLimit ?? 0;
    if (limit !== this.limiter.rate) this.limiter.setRate(limit);
    const done = this.plan.done();
    this.gatherHeld(now);
    const stalled = this.slow.stalled(now, this.workers);
    const failure = (): JobFailure => this.slow.stallFailure(this.serverName);
    const stall = this.limits.stalls(now, this.received, stalled, this.workers, failure, this.ranges);
    if (stall) return this.fail(stall);
    const slow = this.slow.check(now, done, this.serverName);
    if (slow) return this.fail(slow);
    if (now - this.lastProgressAt >= this.settings.progressIntervalMs) {
      this.lastProgressAt = now;
      this.meter.sample(done, now);
      this.ctx.progress(this.progressFields());
    }
    if (this.feed.due(now)) this.sampleRamp(now);
    if (this.held && this.spilling === null && now - this.heldSince >= this.settings.checkpointIntervalMs) {
      this.spilling = this.spill(this.held).catch((error: unknown) => this.fail(error));
    }
    this.checkpoints.tick();
  }

  /**
   * Takes the connections' waits for the disk or a speed limit: neither the ramp (no
   * connection is tried while something else holds the download back) nor the minimum
   * speed count them against the link.
   */
  private gatherHeld(now: number): void {
    let held = 0;
    for (const worker of this.workers) held += worker.takeHeld(now);
    this.heldMs += held;
    this.slow.heldBack(held);
  }

  /** Feeds the ramp the bytes received so far; opens the connections it asks for. */
  private sampleRamp(now: number): void {
    this.gatherHeld(now);
    const open = this.workers.size - this.retiring;
    const remaining = this.totalBytes() - this.plan.done();
    const wanted = this.feed.sample(now, this.received, open, remaining, this.heldMs, this.waitingForAnswers());
    this.limits.recover(now, wanted, open);
    const target = Math.min(wanted, this.limits.ceiling);
    this.heldMs = 0;
    if (target > open) this.plan.makeRoom();
    this.joining = target;
    while (this.workers.size - this.retiring < target && this.spawn());
    this.joining = 0;
  }

  /**
   * A held answer still coming after a checkpoint interval goes to a part file, as if it
   * had been too large to hold: its name is claimed, the bytes so far are written, and
   * from then on it is checkpointed and resumable like any other download.
   */
  private async spill(held: MemoryPart): Promise<void> {
    const { fileName, part } = await claimPart(this.ctx, this.folder, this.state!.fileName, this.state!.url);
    try {
      await held.spill(part);
    } catch (error) {
      await this.ctx.discard(part);
      throw error;
    }
    this.state = { ...this.state!, fileName, partName: fileName + partSuffix };
    this.part = part;
    this.held = null;
  }

  /**
   * The server said (in a 416's Content-Range) that the file ends at `total`, below the
   * size it announced: the file is that long, and the download ends there.
   */
  endAt(total: number): void {
    if (!this.state || this.state.totalBytes === total) return;
    this.ctx.log(
      `The server announced ${this.state.totalBytes} bytes but says the file ends at byte ${total}: finishing with ${total} bytes.`,
    );
    this.state = { ...this.state, totalBytes: total };
    this.plan.clip(total);
  }

  /** The server's name for messages. */
  readonly serverName = (): string => new URL(this.state?.url ?? this.ctx.job.url).host;

  /** Bytes reached the part file: a checkpoint may be due. */
  landed(bytes: number): void {
    this.checkpoints.landed(bytes);
    const sink = this.sink;
    if (sink) this.digest.follow(sink, this.plan.landed());
  }

  /** Syncs the part file, then records the offsets that were written before the sync. */
  checkpoint(force: boolean): Promise<void> {
    return this.checkpoints.run(force);
  }

  /** Waits for every connection to stop, after an error or an abort. */
  async settle(): Promise<void> {
    this.internal.abort(this.error ?? this.ctx.signal.reason);
    while (this.running.size > 0) await Promise.allSettled(this.running);
    await this.spilling;
    if (this.ticker) clearInterval(this.ticker);
    this.feed.stop();
    this.checkpoints.stop();
    await this.checkpoints.settled();
  }

  /** The total once every byte is in: the announced size, or where the stream ended. */
  totalBytes(): number {
    return this.state?.totalBytes ?? this.plan.done();
  }
}
