/** Milliseconds the main thread has been busy (`active`) and not (`idle`), cumulative. */
export interface ThreadTime {
  active: number;
  idle: number;
}

/** This thread's CPU time so far, microseconds (`process.threadCpuUsage`). */
type ThreadCpuUsage = () => { user: number; system: number };

/** What the runtime offers to tell the main thread's busy time. */
export interface ThreadTimeSources {
  /** True once Node measures its event loop (see measuresLoop). */
  loopMeasured: () => boolean;
  /** The event loop's busy and idle time (`performance.eventLoopUtilization`). */
  loopUtilization: () => ThreadTime;
  /** Where the runtime has it: Node 22.15 and 23.9 on. */
  threadCpu?: ThreadCpuUsage;
  /** Milliseconds, monotonic. */
  now: () => number;
}

/**
 * The main thread's busy time from the source that works in this process, chosen at the
 * first reading and kept (the readings are subtracted from each other, so they must all
 * come from one clock).
 *
 * Node's utilization reads 0 busy and 0 idle until the loop's start is marked, and counts
 * idle time only where the loop is set up to measure it: both where Node runs the loop
 * itself (`node`, `haul serve`). Electron's main process runs Chromium's message loop and
 * steps Node's from it; its source (shell/common/node_bindings.cc) marks no loop start
 * and turns on no idle-time metrics, so the connection ramp would never see a busy thread
 * there (and, with the start marked but no idle time, would see it always busy). The
 * thread's own CPU time stands in then (Electron 45 declares Node 24's types, and Node has
 * it from 22.15): all the thread ran, Chromium's tasks included, which is what keeps a
 * download's bytes waiting. Where neither is there, nothing reads as busy. Not run in
 * Electron here (no Electron binary on the development machine).
 */
export function mainThreadClock(sources: ThreadTimeSources): () => ThreadTime {
  let read: (() => ThreadTime) | null = null;
  const fromCpu = (threadCpu: ThreadCpuUsage): (() => ThreadTime) => {
    const since = sources.now();
    const used = (): number => {
      const { user, system } = threadCpu();
      return (user + system) / 1000;
    };
    const base = used();
    return () => {
      const active = used() - base;
      return { active, idle: Math.max(0, sources.now() - since - active) };
    };
  };
  return () => {
    read ??= sources.loopMeasured() || !sources.threadCpu ? sources.loopUtilization : fromCpu(sources.threadCpu);
    return read();
  };
}

/**
 * True when Node measures its event loop: its start marked and some idle time counted (the
 * loop waits for the first time within milliseconds of starting). See mainThreadClock.
 */
export function measuresLoop(timing: { loopStart: number; idleTime: number }): boolean {
  return timing.loopStart > 0 && timing.idleTime > 0;
}

/** The main thread's clock of this process (see mainThreadClock). */
export function processThreadClock(): () => ThreadTime {
  const threadCpu = (process as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage;
  return mainThreadClock({
    loopMeasured: () => measuresLoop(performance.nodeTiming),
    loopUtilization: () => performance.eventLoopUtilization(),
    threadCpu: threadCpu ? () => threadCpu.call(process) : undefined,
    now: () => performance.now(),
  });
}
