/**
 * The rules of ConnectionRamp, each with its default and what it was measured on: when a
 * download tries more connections, what counts as a gain, and how a window is read.
 */

/** More throughput than this factor counts as growth: another step is tried. @default 1.15 */
export const growthFactor = 1.15;
/**
 * Less than this factor is no gain: the step is undone. Between the two the count stays:
 * wrongly dropping connections a throttling server needs costs far more than keeping a
 * few that a full link does not. @default 1.05
 */
export const gainFactor = 1.05;

/**
 * A step whose added connections each brought at least this share of what one brought
 * before shows a server that paces each connection, not a link the connections share:
 * the next step goes to the maximum at once instead of doubling, which would wait a
 * window for the new connections to start and another to measure them. Trials of two
 * connections on a server sending each 2 MiB/s in bursts of 256 KiB read 1.69-2.64 times
 * one connection's rate (24 trials), 9 of them under the 1.85 that 0.85 asked. @default 0.6
 */
export const pacedShare = 0.6;

/**
 * Whether a step's connections each brought their share (see pacedShare) is judged on the
 * time they were fetching, not waiting for a piece's first byte, at most this share of the
 * window taken off: one mostly spent waiting says little of a pace. Through a relay 25 ms
 * each way from nginx pacing 20 MiB/s a connection, two connections idling a round trip
 * between pieces read 30.0-30.3 MiB/s over a window, under the 30.7-31.7 that 1.6 times
 * one connection's rate asked, and stepped to four instead of eight. @default 0.5
 */
export const maxAnswerShare = 0.5;

/**
 * Extra connections are tried only when the rest would take longer than this on the
 * connections open: a download about to end does not pay for new requests. @default 1500
 */
export const payoffMs = 1500;

/**
 * The first trial's payoff is this many times what the first answer took to come (a
 * connection's setup and a round trip), within `minTrialPayoffMs` and `payoffMs`. A trial
 * costs about that long for its connections to start, and one cut of the first
 * connection's open request, with its bytes in flight (a round trip's worth, or a burst,
 * see BurstMeter): near the server both are small, and a download with a second or so
 * left on one connection pays for more. From the benchmark's server on loopback (first
 * answers in 13-18 ms), 16 MiB sent at 20 MiB/s a connection took 0.80 s settled on one
 * connection and 0.35-0.37 s trying two; 4 MiB at 2 MiB/s 1.89 s, and 1.26-1.33 s.
 * @default 20
 */
const trialPayoffSetups = 20;

/**
 * The least first-trial payoff: a trial is measured over a window after the one its
 * connections start in (400 ms with the default ramp interval), and a download ending
 * sooner keeps what it has. @default 300
 */
const minTrialPayoffMs = 300;

/**
 * A first trial with less left than the whole payoff (see trialPayoff) starts only from a
 * window in which the main thread was busy for less than this share, when the download is
 * the only one moving bytes: the thread could then carry four times the rate, so what
 * holds the download down is the server, which more connections get round. A fast
 * download keeps the thread busier, and with so little left a trial it drops again costs
 * more than it can bring: the gigabyte on loopback, 1.1 s left at 500 MiB/s with the thread
 * 36% busy, tried eight connections, dropped them, and took twice the CPU of curl; 16 MiB
 * from a server sending 20 MiB/s a connection, tried at 18%. A window that ended early
 * (see startPartShare) and was this busy does not settle: it may hold the engine's own
 * start (16 MiB at 20 MiB/s a connection, 34-45% busy 35-55 ms in, then 5-15%), and the
 * next whole window decides. @default 0.25
 */
export const nearTrialBusyShare = 0.25;

/**
 * The rate (bytes/s) from which a download's bytes can be what keeps the main thread busy
 * for `nearTrialBusyShare` of a window: here one connection's bytes cost the thread about
 * 1 ms a MiB (the gigabyte on loopback), a quarter of it at 250 MiB/s, and on a machine
 * four times slower at about 64 MiB/s. Slower, the busy time is other work's (the first
 * download of a start compiling, the API answering a client's polls, the window's events),
 * and the rule does not hold the trial back: on nginx pacing each connection to 20 MiB/s,
 * the first download of a fresh `haul serve` (32 MiB, polled every 5 ms) measured a whole
 * window 29% busy with 1.4 s left, stayed on one connection and took 1.7 s, where the
 * starts that tried two took 0.49-0.68 s. @default 64 MiB/s
 */
export const nearTrialMinRate = 64 * 1024 * 1024;

/** The first trial's payoff after a first answer that took `setupMs` (see trialPayoffSetups). */
export function trialPayoff(setupMs: number): number {
  if (!Number.isFinite(setupMs) || setupMs < 0) return payoffMs;
  return Math.min(payoffMs, Math.max(minTrialPayoffMs, trialPayoffSetups * setupMs));
}

/**
 * A first piece's trial on a slow link (see slowTrialPayoff) pays once the rest is over
 * this many times the first answer's time. @default 2
 */
const slowTrialSetups = 2;

/**
 * The least payoff of a first piece's trial on a slow link (see slowTrialPayoff). Such a
 * trial cuts nothing and is not measured to be kept: its connections take pieces nobody
 * asked for, and the download ends before a window could judge them. 25 ms from nginx
 * pacing 20 MiB/s a connection (first answers in 66-82 ms), 6 MiB had about 280 ms left
 * at its first window's early looks, under the 300 ms it had: the window ran whole, and
 * the download stayed on one connection (0.46-0.57 s, aria2c -x8 0.19-0.21 s); it takes
 * 0.27-0.29 s trying three. So did 8 MiB whenever its first window could not end early
 * (0.69 s with 221 ms left at its end, against 0.29-0.39 s). Near such a server, 5 and 6
 * MiB took 0.25 and 0.30 s, against 0.21 s. @default 150
 */
const minSlowTrialPayoffMs = 150;

/**
 * The first trial's payoff where the first answer ends by itself (a first piece, so the
 * trial cuts nothing) and one connection brings less than `nearTrialMinRate` (its bytes
 * cost the main thread little): the trial then costs the time its connections take to
 * start, about the first answer's (S). On n connections a rest of R then takes about
 * S + (R - S) / n: it pays from R = S, by at least half of S from twice S. Within
 * `minSlowTrialPayoffMs` (near the server) and the paced payoff. 25 ms
 * from nginx pacing 20 MiB/s a connection (first answers in about 100 ms), 8 MiB had 315
 * ms left at its first judgement, under the paced payoff's 500: it stayed on one
 * connection (0.59-0.67 s, aria2c -x8 0.25 s), and took 0.27-0.59 s trying more.
 * A fast link keeps the payoff it had: from loopback (the first answer 30-40 ms in a
 * fresh process), 256 MiB unthrottled tried more connections from early windows with
 * 300 ms of payoff and took 1.01-1.06 s in 27-40 requests, against 0.88-0.94 s in 12-17.
 */
export function slowTrialPayoff(setupMs: number): number {
  if (!Number.isFinite(setupMs) || setupMs < 0) return pacedPayoffMs;
  return Math.min(pacedPayoffMs, Math.max(minSlowTrialPayoffMs, slowTrialSetups * setupMs));
}

/**
 * The payoff after a step that showed a server pacing each connection (see pacedShare):
 * there more connections bring their share for sure, and they cost only their requests
 * (work is handed out in bounded pieces, so nothing is cut). 8 MiB from a server sending
 * 2 MiB/s a connection in steps of 100 KiB took 1.96-2.00 s settled on the trial's two (4
 * runs of 5), and 0.86-1.02 s stepping on to eight (5 of 5). @default 500
 */
export const pacedPayoffMs = payoffMs / 3;

/**
 * Where a step's connections all answered (see `waiting` in ConnectionRamp.sample), what
 * the next step costs is known: its connections bring bytes about that long after they
 * are asked for, and the ones open meanwhile go on. The paced payoff is then this many
 * times that answer's time, at least a window (a step is measured over one) and at most
 * `pacedPayoffMs`. nginx pacing each connection to 20 MiB/s (`limit_rate`), its steps
 * answered in 1-10 ms: 32 MiB measured two connections at 40 MiB/s with 17-21 MiB left
 * (0.41-0.53 s), and stayed on two where that was under the 500 ms (0.95 s); going on to
 * eight took 0.43-0.46 s, aria2c -x8 0.28 s. @default 4
 */
export const pacedStepAnswers = 4;

/**
 * A step's window starts this many times its connections' answer time after the step
 * (when that is within a window of it; otherwise the window after the step is left out):
 * a new connection sends slowly at first, its congestion window doubling each round trip
 * from ten segments, and an answer takes two round trips (three or four with TLS). At 20
 * MiB/s a connection and 50 ms away, that is about six round trips to its pace, and a
 * window measured from the answers would credit each new connection with a few percent
 * of it. Near the server both are milliseconds: nginx's answers took 1-10 ms. @default 3
 */
export const stepSetupAnswers = 3;

/**
 * A first window may end at half its length when the rest of the file would take this
 * many times the payoff at its speed. @default 6
 */
const slowFactor = 6;

/**
 * A first window may end before its half when it is steady and slow enough for more
 * connections to pay for their requests (the rest would take over the first trial's
 * payoff, see trialPayoff), measured in two parts: from its start to its first sample,
 * taken at this share of the window (the part holds the start: a server's first burst, or
 * TCP's slow start), then from there on, at least twice this share, no faster than the
 * first part by `growthFactor` and measured alone. Sampled at a twentieth of the window
 * and then every eighth, a steady window ends 0.175 of the way in instead of 0.5; one
 * still speeding up waits for half. On a server sending 20 MiB/s a connection, each
 * millisecond of the first window on one connection costs 7/8 of a millisecond of the
 * download on eight. @default 0.05
 */
export const startPartShare = 0.05;

/**
 * The most of a first window's steady part (see startPartShare) the main thread may have
 * been busy: ended early, the window must show the link holding the rate down, not Haul's
 * own start (code running for the first time, a collection). Downloading a gigabyte on
 * loopback, the thread was busy for 54-100% of each 25 ms early in the first window; on a
 * server sending 20 MiB/s a connection, 9-13%. @default 0.5
 */
export const steadyBusyShare = 0.5;

/** True when the rest, at `rate` bytes a second, would take `slowFactor` times the payoff. */
export function clearlySlowAt(rate: number, remaining: number): boolean {
  return (remaining / rate) * 1000 > slowFactor * payoffMs;
}

/**
 * The share of a window the main thread was busy from which Haul's own CPU, not the
 * server or the network, is taken to be the limit: more connections would only add work
 * (requests, reading back bytes that land ahead of the hashed prefix), so none are added.
 * @default 0.9
 */
export const cpuBoundShare = 0.9;

/**
 * A step measured while the main thread was busy for the window (its CPU the limit with
 * the added connections) is kept only when it raised throughput by this factor; a smaller
 * gain is then mostly the download still warming up on its first connection, and the
 * count goes back. On loopback, trials started from a one-connection window of 221-327
 * MiB/s where one connection reaches 350-480 MiB/s a second later, and 8 connections
 * "gained" 1.36-1.38 times with the thread 90-100% busy, for a third more CPU.
 * @default 1.5
 */
export const busyGainFactor = 1.5;

/**
 * A trial starts only from a window in which the main thread was busy for less than this
 * share, when the download is the only one moving bytes (so the busy time is its own):
 * busier, the thread could carry at most 1 / share of the rate, so the step would have to
 * gain what it cannot (busyGainFactor) or stay with the thread still waiting, which on
 * loopback under load meant trials of 8 connections dropped again (or kept by a noisy
 * window), about half a second of CPU and 1% more bytes a gigabyte. Beside other
 * downloads the thread's time is not this one's: the rules of the step decide, as before.
 * @default 1 / busyGainFactor
 */
export const trialBusyShare = 1 / busyGainFactor;

/**
 * The share of a window the connections spent waiting for the disk (their writes queued
 * up), summed over them, from which the disk is taken to be the limit: no trial starts,
 * since more connections would only fill the same queue, and each one dropped again is cut
 * with a socket's worth of bytes in flight. With this disk's writes held to 200 MB/s, one
 * connection waited 99-167 ms of each 200-300 ms window, and trials of 8 connections,
 * dropped again, cost 10-11 requests and 0.4-0.5% of a gigabyte; on the disk at full speed
 * the waits were 0-13 ms a window. The first trial reads the larger of its window's share
 * and the window's before: on a day this disk wrote a gigabyte in 2.1-3.2 s, one
 * connection's windows read 0.11-0.69, and the trials of eight came from windows of 0.12,
 * 0.16 and 0.19, after ones of 0.28, 0.22 and 0.19 (3 of 14 runs went to eight, 2.9-4.1 s
 * against 2.2-2.8 s). @default 0.15
 */
export const diskBoundShare = 0.15;

/**
 * Windows in a row, not faster than the best before, after which a download counts as
 * warmed up: with one, a noisy window (241 then 221 MiB/s) ended the warm-up of a
 * connection that reached 350-480 MiB/s a second later. @default 2
 */
export const warmFlatWindows = 2;

/**
 * A settled count is measured again after this long (doubling each time), since what
 * limited throughput (a busy CPU, another download) may have gone. @default 3000
 */
export const retryAfterMs = 3000;

/**
 * Connections to try at once for `remaining` bytes of a file whose size is known and
 * whose server takes ranges: one per `bytesPerConnection`, at least one, at most `max`.
 */
export function initialConnections(max: number, remaining: number, bytesPerConnection: number): number {
  return Math.max(1, Math.min(max, Math.floor(remaining / Math.max(1, bytesPerConnection))));
}
