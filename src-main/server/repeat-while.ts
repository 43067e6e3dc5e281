/**
 * Runs `fn` every `everyMs` from `arm()` until a run finds `keepGoing()` false: a check
 * with nothing to check (no stream open, a setting off) does not wake an idle process.
 */
export function repeatWhile(fn: () => void, keepGoing: () => boolean, everyMs: number): { arm(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  return {
    arm() {
      if (timer) return;
      timer = setInterval(() => {
        fn();
        if (!keepGoing()) stop();
      }, everyMs);
      timer.unref();
    },
    stop,
  };
}
