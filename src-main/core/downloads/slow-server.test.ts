import { describe, expect, it } from 'vitest';
import { SlowServerRules } from './slow-server';

const settings = { stallTimeoutMs: 30_000, minSpeed: () => 1000, minSpeedWindowMs: 60_000 };
const host = () => 'files.example';

describe('SlowServerRules', () => {
  it('finds the connections that have sent nothing for the stall timeout, not those waiting for the disk', () => {
    const rules = new SlowServerRules(settings, () => 0);
    rules.restart(0, 0);
    const waiting = { activeAt: null };
    const recent = { activeAt: 39_000 };
    const old = { activeAt: 10_000 };
    // Waiting on a speed limit or the disk: no sign of life expected.
    expect(rules.stalled(40_000, [waiting, recent, old])).toEqual([]);
    expect(rules.stalled(40_001, [waiting, recent, old])).toEqual([old]);
    expect(rules.stallFailure(host)).toMatchObject({
      kind: 'stalled',
      transient: true,
      message: 'files.example sent no data for 30 s.',
    });
  });

  it('fails a download below the minimum speed over a whole window, checked once a window', () => {
    const rules = new SlowServerRules(settings, () => 0);
    rules.restart(0, 0);
    // 500 bytes/s so far, but the window is not over.
    expect(rules.check(30_000, 15_000, host)).toBeNull();
    expect(rules.check(60_000, 60_000, host)).toBeNull();
    // The next window: 100 bytes/s.
    const failure = rules.check(120_000, 66_000, host);
    expect(failure).toMatchObject({ kind: 'stalled', transient: true });
    expect(failure?.message).toBe('files.example sent 100 bytes/s over 60 s, below the minimum of 1000 bytes/s.');
  });

  it('does not blame the server for a window a speed limit or the disk held the download back', () => {
    const rules = new SlowServerRules(settings, () => 0);
    rules.restart(0, 0);
    rules.heldBack(15_000);
    expect(rules.check(60_000, 6_000, host)).toBeNull();
    // The next window, held less than a quarter of it: judged.
    rules.heldBack(14_000);
    expect(rules.check(120_000, 12_000, host)?.message).toMatch(/sent 100 bytes\/s/u);
  });

  it("asks no more than the user's own speed limit, and nothing with no minimum set", () => {
    const limited = new SlowServerRules(settings, () => 400);
    limited.restart(0, 0);
    expect(limited.check(60_000, 60_000 * 0.5, host)).toBeNull();
    expect(limited.check(120_000, 30_000 + 60 * 300, host)?.message).toMatch(/below the minimum of 400 bytes\/s/u);

    const none = new SlowServerRules({ ...settings, minSpeed: () => 0 }, () => 0);
    none.restart(0, 0);
    expect(none.check(60_000, 0, host)).toBeNull();

    const trickle = new SlowServerRules(settings, () => 0);
    trickle.restart(0, 0);
    expect(trickle.check(60_000, 20, host)?.message).toMatch(/sent 0\.3 bytes\/s over 60 s/u);
  });
});
