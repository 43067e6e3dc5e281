import { runGapMs } from './burst-meter';

/**
 * Two periods of a server's bursts whose rates differ by more than this factor are not
 * one pace: a link still speeding up (TCP's slow start over a long round trip sends a run
 * each round trip, each twice the last) or a thread reading in fits. @default 1.15
 */
const steadyFactor = 1.15;

/** A run of reads close together (see runGapMs): when it began and the bytes in it. */
interface Run {
  from: number;
  bytes: number;
}

/**
 * The rate a server paces one connection to, read from that connection's bursts, so the
 * connection ramp need not wait out whole windows to learn it. A burst is a run of reads
 * ended by a pause longer than the run lasted (as BurstMeter counts them): the connection
 * sat idle for most of the time, so it is the server, not the link, that held the rate
 * down, and another connection gets its own share. The pace is known once three bursts
 * began, and the two periods between them, each a burst's bytes over the time to the next
 * burst's start, agree within `steadyFactor`: on the benchmark's server at 2 MiB/s a
 * connection, 250 ms after the first answer, where the ramp's windows waited out the
 * warm-up for 0.6-0.8 s. A stream that flows on has no such pause and no pace.
 */
export class PaceMeter {
  /** The run being read, and the bursts before it, newest last (at most two kept). */
  private run: Run | null = null;
  private runLast = 0;
  private bursts: Run[] = [];
  /** Bytes/s of the last two periods when they agree; 0 until then or when they do not. */
  rate = 0;

  /** `bytes` arrived at `now` (ms). True when this read made the pace known. */
  read(bytes: number, now: number): boolean {
    const run = this.run;
    if (run && now - this.runLast <= runGapMs) {
      run.bytes += bytes;
      this.runLast = now;
      return false;
    }
    const known = this.rate > 0;
    if (run) {
      const pause = now - this.runLast;
      if (pause > this.runLast - run.from) this.burst(run, now);
      else this.reset();
    }
    this.run = { from: now, bytes };
    this.runLast = now;
    return !known && this.rate > 0;
  }

  /** The connection ended or answered anew: its bursts are counted from its next read. */
  reset(): void {
    this.run = null;
    this.bursts = [];
    this.rate = 0;
  }

  /** `run` was a burst, and the next one begins at `next`. */
  private burst(run: Run, next: number): void {
    this.bursts.push(run);
    if (this.bursts.length > 2) this.bursts.shift();
    const [first, second] = this.bursts;
    if (!first || !second) return;
    const one = first.bytes / (second.from - first.from);
    const two = second.bytes / (next - second.from);
    const steady = Math.max(one, two) <= Math.min(one, two) * steadyFactor;
    this.rate = steady ? ((first.bytes + second.bytes) * 1000) / (next - first.from) : 0;
  }
}
