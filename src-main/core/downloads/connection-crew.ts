import type { AnswerBody } from './answer-body';
import { SegmentWorker, type LiveSegment, type WorkerHost } from './segment-worker';

/**
 * The connections of one download: each one's worker and its run, and what they are doing
 * counted. Which connections to open, and how many may stay, is the transfer's decision;
 * this keeps the books.
 */
export class ConnectionCrew {
  private readonly workers = new Set<SegmentWorker>();
  private readonly running = new Set<Promise<void>>();
  /** Connections that found no more work and are ending, not yet out of `workers`. */
  private retiring = 0;

  constructor(
    private readonly host: WorkerHost,
    /** A connection's run ended: called once it left `workers`, before it leaves `running`. */
    private readonly ended: (worker: SegmentWorker) => void,
  ) {}

  /** Connections open, the ending ones too. */
  get size(): number {
    return this.workers.size;
  }

  /** Connections open and not ending. */
  get staying(): number {
    return this.workers.size - this.retiring;
  }

  /** Every connection open, for the checks that look at each one. */
  get all(): ReadonlySet<SegmentWorker> {
    return this.workers;
  }

  /** True while a connection's run has not ended. */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Settles once the first of the runs going now ends. */
  anyEnded(): Promise<void> {
    return Promise.race(this.running);
  }

  /** Settles once every run going now has ended, failed or not. */
  allEnded(): Promise<unknown> {
    return Promise.allSettled(this.running);
  }

  /** Opens a connection for `segment`; `response` is an answer that came already. */
  start(segment: LiveSegment, response?: { body: AnswerBody; coveredEnd: number | null }): void {
    const worker = new SegmentWorker(this.host, segment, this.host.settings.now());
    // A connection handed an answer that came already (the download's first) has answered.
    worker.hasAnswered = response !== undefined;
    segment.owner = worker;
    this.workers.add(worker);
    const task: Promise<void> = worker.run(response).finally(() => {
      if (worker.retired) this.retiring -= 1;
      this.workers.delete(worker);
      this.ended(worker);
      this.running.delete(task);
    });
    this.running.add(task);
  }

  /**
   * Ends `worker`, whose work is done, when more than `allowed` connections stay and
   * another one has had its answer (see Transfer.claim); false when it goes on.
   */
  retire(worker: SegmentWorker, allowed: number): boolean {
    if (this.staying > allowed && this.othersAnswered(worker)) {
      this.retiring += 1;
      worker.retired = true;
      return true;
    }
    return false;
  }

  /** Connections open that have had no answer yet (a step's, starting). */
  waitingForAnswers(): number {
    let waiting = 0;
    for (const worker of this.workers) if (!worker.retired && !worker.hasAnswered) waiting += 1;
    return waiting;
  }

  /** Connections that have had an answer and are not ending: those the rate measured is from. */
  delivering(): number {
    let count = 0;
    for (const worker of this.workers) if (worker.hasAnswered && !worker.retired) count += 1;
    return count;
  }

  /** True when a connection besides `worker` is neither ending nor waiting for its first byte. */
  private othersAnswered(worker: SegmentWorker): boolean {
    for (const other of this.workers) if (other !== worker && !other.retired && !other.unanswered) return true;
    return false;
  }

  /** Milliseconds the connections' requests waited for their first byte since last taken, summed. */
  takeAnswerWaits(now: number): number {
    let waited = 0;
    for (const worker of this.workers) waited += worker.takeAnswerWait(now);
    return waited;
  }

  /** Milliseconds the connections waited for the disk or a speed limit since last taken, summed. */
  takeHeld(now: number): number {
    let held = 0;
    for (const worker of this.workers) held += worker.takeHeld(now);
    return held;
  }
}
