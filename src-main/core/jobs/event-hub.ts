import type { Job, JobEvent, Snapshot } from '../../../src-common/contract';
import type { Clock } from '../clock';
import { redactJob, redactSnapshot } from './secrets';

/** An event as delivered: `id` increases by one per event fanned out (SSE `id:`). */
export type SequencedEvent = JobEvent & { id: number };

export type ChangeType = 'added' | 'updated' | 'removed';

export interface EventHubOptions {
  clock: Clock;
  /** The live state, read when a subscriber starts or must be resynchronised. */
  snapshot(): Snapshot;
  /** Events a subscriber may have waiting before it counts as slow. @default 100 */
  bufferSize?: number;
  /** Progress throttle per job. @default { download: 500, plugin: 200, task: 200 } (event-stream API; tasks as plugin jobs) */
  throttleMs?: { download: number; plugin: number; task?: number };
  /** Recent events kept for reconnecting clients (Last-Event-ID). @default 1000 */
  replaySize?: number;
}

function toEvent(type: ChangeType, job: Job, id: number): SequencedEvent {
  // Credentials stay in the core: what goes out carries them redacted.
  if (job.source === 'download') return { id, event: type, data: { type, job: redactJob(job) } };
  if (job.source === 'task') return { id, event: `task_${type}`, data: { type, job } };
  return { id, event: `action_${type}`, data: { type, job } };
}

/**
 * One stream of job changes to any number of subscribers. Progress is throttled per job
 * (trailing edge: the last value always goes out); status changes, 100% and removals go
 * at once. Publishing never waits for a subscriber: a full buffer marks it for a fresh
 * `init` instead.
 */
export class EventHub {
  private sequence = 0;
  private readonly subscribers = new Set<Subscription>();
  private readonly recent: SequencedEvent[] = [];
  private readonly lastSent = new Map<string, number>();
  /** Progress held back by the throttle, each with when it is due. */
  private readonly trailing = new Map<string, { type: ChangeType; job: Job; due: number }>();
  /**
   * One timer for all of them, set for the earliest due: a timer a job cost a small file
   * about as much as the rest of publishing its events.
   */
  private timer: unknown;
  private timerDue = Infinity;
  readonly bufferSize: number;

  constructor(private readonly options: EventHubOptions) {
    this.bufferSize = options.bufferSize ?? 100;
  }

  get lastEventId(): number {
    return this.sequence;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** `urgent`: a status change or anything but a plain progress update. */
  publish(type: ChangeType, job: Job, urgent: boolean): void {
    const { clock } = this.options;
    const pending = this.trailing.get(job.id);
    const throttle = this.options.throttleMs ?? { download: 500, plugin: 200 };
    const interval = job.source === 'task' ? (throttle.task ?? throttle.plugin) : throttle[job.source];
    const last = this.lastSent.get(job.id);
    const now = clock.now();
    if (urgent || type !== 'updated' || job.progress >= 100 || last === undefined || now - last >= interval) {
      if (pending) this.trailing.delete(job.id);
      this.fanOut(type, job);
      return;
    }
    if (pending) {
      pending.job = job;
      return;
    }
    this.trailing.set(job.id, { type, job, due: last + interval });
    this.sendAt(last + interval, now);
  }

  /** Makes sure the timer fires by `due`. */
  private sendAt(due: number, now: number): void {
    if (due >= this.timerDue) return;
    const { clock } = this.options;
    if (this.timer !== undefined) clock.clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = clock.setTimeout(() => this.sendDue(), due - now);
  }

  /** Sends the held-back updates that are due, and sets the timer for the next. */
  private sendDue(): void {
    this.timer = undefined;
    this.timerDue = Infinity;
    const now = this.options.clock.now();
    let next = Infinity;
    for (const [id, entry] of this.trailing) {
      if (entry.due > now) next = Math.min(next, entry.due);
      else {
        this.trailing.delete(id);
        this.fanOut(entry.type, entry.job);
      }
    }
    if (next !== Infinity) this.sendAt(next, now);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
  }

  private fanOut(type: ChangeType, job: Job): void {
    const event = toEvent(type, job, ++this.sequence);
    if (type === 'removed') this.lastSent.delete(job.id);
    else this.lastSent.set(job.id, this.options.clock.now());
    this.recent.push(event);
    if (this.recent.length > (this.options.replaySize ?? 1000)) this.recent.shift();
    for (const subscriber of this.subscribers) subscriber.push(event);
  }

  /** Sends every held-back progress update now (before shutdown, or in tests). */
  flush(): void {
    this.stopTimer();
    for (const [id, entry] of [...this.trailing]) {
      this.trailing.delete(id);
      this.fanOut(entry.type, entry.job);
    }
  }

  /**
   * A new subscriber. It starts with `init`, or, given the id of the last event it saw
   * and the hub still holds everything after it, with exactly the events it missed.
   */
  subscribe(options: { lastEventId?: number } = {}): Subscription {
    const subscription = new Subscription(this, () => this.subscribers.delete(subscription));
    const after = options.lastEventId;
    const oldest = this.recent[0]?.id ?? this.sequence + 1;
    if (after !== undefined && after <= this.sequence && after >= oldest - 1) {
      for (const event of this.recent) if (event.id > after) subscription.push(event);
    } else {
      subscription.requestInit();
    }
    this.subscribers.add(subscription);
    return subscription;
  }

  initEvent(): SequencedEvent {
    return { id: this.sequence, event: 'init', data: redactSnapshot(this.options.snapshot()) };
  }

  close(): void {
    this.stopTimer();
    this.trailing.clear();
    for (const subscriber of [...this.subscribers]) subscriber.close();
  }
}

/** One subscriber's bounded buffer, read as an async iterator. */
export class Subscription implements AsyncIterableIterator<SequencedEvent> {
  private buffer: SequencedEvent[] = [];
  private needsInit = false;
  private closed = false;
  private waiter: ((result: IteratorResult<SequencedEvent>) => void) | undefined;
  /** How many times this subscriber fell behind and was resynchronised. */
  resyncs = 0;

  constructor(
    private readonly hub: EventHub,
    private readonly detach: () => void,
  ) {}

  requestInit(): void {
    this.buffer = [];
    this.needsInit = true;
    this.wake();
  }

  push(event: SequencedEvent): void {
    if (this.closed) return;
    if (this.needsInit) return; // the coming init already holds this change
    if (this.buffer.length >= this.hub.bufferSize) {
      this.resyncs += 1;
      this.requestInit();
      return;
    }
    this.buffer.push(event);
    this.wake();
  }

  /** Takes the next event without waiting; undefined when none is ready. */
  poll(): SequencedEvent | undefined {
    if (this.needsInit) {
      this.needsInit = false;
      return this.hub.initEvent();
    }
    return this.buffer.shift();
  }

  get pending(): number {
    return this.buffer.length + (this.needsInit ? 1 : 0);
  }

  next(): Promise<IteratorResult<SequencedEvent>> {
    const ready = this.poll();
    if (ready) return Promise.resolve({ value: ready, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<SequencedEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer = [];
    this.needsInit = false;
    this.detach();
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    const ready = this.poll();
    if (ready) waiter({ value: ready, done: false });
    else if (this.closed) waiter({ value: undefined, done: true });
    else this.waiter = waiter;
  }
}
