import type { AnswerBody } from './answer-body';
import type { AttemptContext } from './attempt-context';
import { ServerBursts } from './burst-meter';
import { JobFailure } from '../jobs/runner';
import { Checkpoints } from './checkpoints';
import { ConnectionCrew } from './connection-crew';
import { ConnectionLimits } from './connection-limits';
import { initialConnections } from './ramp-rules';
import type { EngineSettings } from './engine-options';
import { PartGone } from './failures';
import { FileDigest } from './file-digest';
import { establish } from './first-response';
import { HeldAnswer } from './held-answer';
import { MemoryPart, type PartBytes, type PartFile } from './part-file';
import { RampFeed } from './ramp-feed';
import { createRateLimiter, type RateLimiter } from './rate-limiter';
import { decodeState, syncedSegments, type TransferState } from './resume-state';
import type { Segment } from './segments';
import { SlowServerRules } from './slow-server';
import { StopSwitch } from './stop-switch';
import { TransferProgress } from './transfer-progress';
import type { LiveSegment, SegmentWorker, WorkerHost } from './segment-worker';
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
  /** A small answer's bytes while they are held instead of a part file. */
  private readonly heldAnswer = new HeldAnswer(this);
  /** Who fetches which bytes of the file. */
  readonly plan: WorkPlan<SegmentWorker>;
  ranges = false;
  /** See WorkerHost.rangesHonoured. */
  rangesHonoured = false;
  readonly digest: FileDigest;
  readonly limiter: RateLimiter;
  private readonly stops: StopSwitch;
  private readonly crew = new ConnectionCrew(this, (worker) => this.feed.ended(worker));
  /** This round's connection ramp; before the first, one that keeps one connection. */
  private feed: RampFeed;
  private readonly progress = new TransferProgress(this);
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
      const running = this.crew.staying;
      return {
        connections: this.feed.ramp.sharing,
        settled: this.feed.ramp.settled,
        smallestPiece: smallestPiece(this.feed.rate, running, this.roundTripMs),
        burstBytes: this.bursts.largest,
        running,
        joining: this.joining,
        roundTripBytes: roundTripBytes(this.feed.rate, running, this.roundTripMs),
        cutBytes: roundTripBytes(this.feed.rate, this.crew.delivering(), this.roundTripMs),
        ...(Number.isFinite(this.roundTripMs) ? { roundTripMs: this.roundTripMs } : {}),
        ...(Number.isFinite(this.firstAnswerMs) ? { firstAnswerMs: this.firstAnswerMs } : {}),
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
    this.stops = new StopSwitch(ctx, () => this.maxConnections());
  }

  /** The transfer is over: the job's signal no longer holds it. */
  release(): void {
    this.stops.release();
  }

  get segments(): LiveSegment[] {
    return this.plan.segments;
  }

  /** A small answer's bytes, held instead of a part file; its names are not claimed yet. */
  get held(): MemoryPart | null {
    return this.heldAnswer.bytes;
  }

  get sink(): PartBytes | null {
    return this.part ?? this.held;
  }

  get signal(): AbortSignal {
    return this.stops.signal;
  }

  get connections(): number {
    return this.crew.size;
  }

  answered(ms: number): void {
    this.roundTripMs = Math.min(this.roundTripMs, ms);
    this.feed.answered(this.crew.waitingForAnswers());
  }

  private maxConnections(): number {
    return Math.max(1, this.ctx.job.options.connections ?? this.settings.maxConnections());
  }

  /** Connections to try at once when one may not be enough: several for a large file. */
  private trialConnections(): number {
    const total = this.state?.totalBytes ?? null;
    if (!this.ranges || total === null) return 1;
    const remaining = total - this.plan.done();
    return initialConnections(this.maxConnections(), remaining, this.settings.trialBytes);
  }

  /** The download goes on without `worker`, which failed (see ConnectionLimits). */
  spare(worker: SegmentWorker, error: unknown): boolean {
    return this.ranges && this.limits.spare(worker, error, this.crew.all, this.settings.now());
  }

  /** Records the first fatal error and stops every connection. */
  fail(error: unknown): void {
    this.stops.fail(error);
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
      this.heldAnswer.clear();
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
      if (start.part instanceof MemoryPart) this.heldAnswer.hold(start.part);
      else this.part = start.part;
      this.ranges = start.ranges;
      this.plan.reset(start.segments);
      if (start.fromZero) this.digest.reset();
      // A resumed file's bytes are hashed from disk while the rest downloads.
      this.digest.follow(start.part, this.plan.landed());
      this.ctx.progress({ ...this.progress.fields(), fileName: start.state.fileName, finalUrl: start.state.url });
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
    // A first answer placed inside the file: a resume's, or a first piece shorter than it.
    this.rangesHonoured = this.ranges && (first.pos > 0 || cutFree);
    this.feed = new RampFeed(this.settings, max, this.trialConnections(), this.received, this.firstAnswerMs, cutFree);
    const now = this.settings.now();
    this.heldMs = 0;
    this.progress.restart(now);
    this.slow.restart(now, this.plan.done());
    this.limits.restart(now, this.received);
    this.checkpoints.restart(durable);
    const { progressIntervalMs, rampIntervalMs } = this.settings;
    this.ticker = setInterval(() => this.tick(), Math.min(progressIntervalMs, rampIntervalMs));
    this.feed.begin((at) => this.sampleRamp(at));
    try {
      // The first connection reads the whole file until the ramp finds that more pay.
      this.crew.start(first, { body, coveredEnd });
      while (this.crew.busy) {
        await this.crew.anyEnded();
        if (!this.crew.busy && this.stops.error === null && !this.signal.aborted) this.spawn();
      }
    } finally {
      this.feed.stop();
      clearInterval(this.ticker);
      this.ticker = null;
      await this.heldAnswer.spilling;
    }
    const restart = this.stops.restart();
    if (restart) {
      await this.endCheckpoints();
      return restart;
    }
    if (this.stops.error !== null || this.signal.aborted) {
      // The job shows what its part file keeps for the next attempt (a pause's too), not
      // the last report.
      const kept = this.stops.error instanceof PartGone ? { receivedBytes: 0 } : {};
      if (this.part) this.ctx.progress({ ...this.progress.fields(), ...kept });
      throw this.stops.error ?? this.signal.reason;
    }
    const open = this.plan.unfinished();
    // No checkpoint of its own: the processing step syncs and records the finished file
    // with what it is about to publish, and a next round closes this part file first. One
    // still running or due (a delayed mark) must not sync or save after that.
    await this.endCheckpoints();
    return open && open.end !== null ? 'no-ranges' : 'done';
  }

  /** No checkpoint is made after this; resolves once the one running, if any, is over. */
  private async endCheckpoints(): Promise<void> {
    this.checkpoints.stop();
    await this.checkpoints.settled();
  }

  /** Adds one connection if there is work for it; false when there is none. */
  spawn(): boolean {
    if (!this.ranges || this.state?.totalBytes === null) return false;
    const segment = this.claim(null);
    if (!segment) return false;
    this.crew.start(segment);
    return true;
  }

  /** The next piece of work (see WorkPlan.take), or null: none, or the connection is to end. */
  claim(worker: SegmentWorker | null): LiveSegment | null {
    if (!this.ranges) return null;
    // The ramp dropped back: a connection whose work is done ends instead, unless every
    // other one still waits for its request's answer (a server that leaves one unanswered
    // would otherwise be left with only that one, and its stall would end the download).
    if (worker && this.crew.retire(worker, this.allowed())) return null;
    return this.plan.take(worker);
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

  private tick(): void {
    const now = this.settings.now();
    const limit = this.ctx.job.options.speedLimit ?? 0;
    if (limit !== this.limiter.rate) this.limiter.setRate(limit);
    const done = this.plan.done();
    this.gatherHeld(now);
    const stalled = this.slow.stalled(now, this.crew.all);
    const failure = (): JobFailure => this.slow.stallFailure(this.serverName);
    const stall = this.limits.stalls(now, this.received, stalled, this.crew.all, failure, this.ranges);
    if (stall) return this.fail(stall);
    const slow = this.slow.check(now, done, this.serverName);
    if (slow) return this.fail(slow);
    this.progress.tick(now, done);
    if (this.feed.due(now)) this.sampleRamp(now);
    this.heldAnswer.tick(now);
    this.checkpoints.tick();
  }

  /**
   * Takes the connections' waits for the disk or a speed limit: neither the ramp (no
   * connection is tried while something else holds the download back) nor the minimum
   * speed count them against the link.
   */
  private gatherHeld(now: number): void {
    const held = this.crew.takeHeld(now);
    this.heldMs += held;
    this.slow.heldBack(held);
  }

  /** Feeds the ramp the bytes received so far; opens the connections it asks for. */
  private sampleRamp(now: number): void {
    this.gatherHeld(now);
    const open = this.crew.staying;
    const remaining = this.totalBytes() - this.plan.done();
    const waiting = this.crew.waitingForAnswers();
    const answerWaits = this.crew.takeAnswerWaits(now);
    const wanted = this.feed.sample(now, this.received, open, remaining, {
      diskWaitMs: this.heldMs,
      waiting,
      answerWaitMs: answerWaits,
    });
    this.limits.recover(now, wanted, open);
    const target = Math.min(wanted, this.limits.ceiling);
    this.heldMs = 0;
    this.joining = target;
    if (target > open) this.plan.makeRoom();
    while (this.crew.staying < target && this.spawn());
    this.joining = 0;
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
    this.stops.stopAll();
    while (this.crew.busy) await this.crew.allEnded();
    await this.heldAnswer.spilling;
    if (this.ticker) clearInterval(this.ticker);
    this.feed.stop();
    await this.endCheckpoints();
  }

  /** The total once every byte is in: the announced size, or where the stream ended. */
  totalBytes(): number {
    return this.state?.totalBytes ?? this.plan.done();
  }
}
