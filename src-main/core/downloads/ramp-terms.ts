import type { CounterPoint } from './ramp-window';

/**
 * What a sample of the connection ramp knows beyond the bytes received, the connections
 * open and the bytes still to fetch (see ConnectionRamp.sample). Each has its default.
 */
export interface RampSample {
  /** The share of the time since the last sample the main thread was busy, 0 to 1. @default 0 */
  busy?: number;
  /** This download was the only one moving bytes. @default true */
  alone?: boolean;
  /** Milliseconds its connections waited for the disk or a speed limit since the last sample, summed. @default 0 */
  diskWaitMs?: number;
  /**
   * The counter when bytes last arrived on one of the connections (the same one from
   * sample to sample while it runs); null before any did. A whole window's rate is taken
   * between such arrivals, not between the samples (see RampWindow.arrivalRate): a server
   * that paces each connection sends it a burst every so often, and a window of its own
   * length caught one burst more or less of each connection (with 256 KiB every 125 ms, a
   * window of 200 ms one or two), where from one arrival to another on a connection it
   * catches whole periods. @default the counter at the sample
   */
  arrival?: CounterPoint | null;
  /**
   * The rate (bytes/s) the server paces the connection that times windows to, read from
   * its bursts (see BurstMeter.pace), 0 when none is seen. Before the first trial, with the
   * main thread mostly idle (see nearTrialBusyShare), it is taken at once as the measure:
   * the connection idled between its bursts, so it was not warming up or filling the link,
   * and each connection added gets a share of its own, so the trial goes to the maximum.
   * A first trial taken from a window's own measure (the thread busier) goes to the
   * maximum too while the pace is known: 64 MiB at 20 MiB/s a connection, its pace seen
   * about 35 ms in with the thread busy (59-60% in the samples then), tried four and kept
   * them (0.78 s; going to eight, 0.42-0.46 s).
   * A bursty server misled the windows' warm-up: 8 MiB at 2 MiB/s a connection, in bursts
   * of 256 KiB, tried two connections only after 1.0 s and eight after 1.5 s. @default 0
   */
  paced?: number;
  /**
   * The connections open that have not answered yet, when the caller knows: once all of a
   * step's have, its window may start early (see StepAnswers).
   */
  waiting?: number;
  /** The connections' waits for their requests' first byte since the last sample, ms summed (see `fetching`). @default 0 */
  answerWaitMs?: number;
}

/**
 * What a window's rate is judged with beyond the connections that ran and the bytes
 * still to fetch (see ConnectionRamp.observe). Each has its default.
 */
export interface WindowTerms {
  /** The share of the window the main thread was busy. @default 0 */
  busy?: number;
  /** The download was the only one moving bytes. @default true */
  alone?: boolean;
  /** The share of the window its connections waited for the disk. @default 0 */
  disk?: number;
  /** The window ended early (see startPartShare). @default false */
  early?: boolean;
  /** The rate is the pace of the first connection's server (see RampSample.paced). @default false */
  paceKnown?: boolean;
  /**
   * The share of the window its connections were fetching, not waiting for a first byte:
   * a step's pace is judged on that time (see maxAnswerShare). @default 1
   */
  fetching?: number;
}
