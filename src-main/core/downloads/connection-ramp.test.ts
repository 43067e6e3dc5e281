import { describe, expect, it } from 'vitest';
import { ConnectionRamp, initialConnections, payoffMs } from './connection-ramp';

const MiB = 1024 * 1024;
/** Bytes that take `ms` at `rate` bytes/s. */
const lasting = (rate: number, ms: number): number => (rate * ms) / 1000;

describe('connection ramp', () => {
  it('tries one connection per 16 MiB of a large file, within the maximum', () => {
    expect(initialConnections(8, 256 * MiB, 16 * MiB)).toBe(8);
    expect(initialConnections(8, 48 * MiB, 16 * MiB)).toBe(3);
    expect(initialConnections(8, 10 * MiB, 16 * MiB)).toBe(1);
    expect(initialConnections(1, 1024 * MiB, 16 * MiB)).toBe(1);
  });

  it('starts on one connection and keeps one when the rest ends soon at that speed', () => {
    const ramp = new ConnectionRamp(8, 8);
    expect(ramp.connections).toBe(1);
    expect(ramp.observe(100 * MiB, 1, lasting(100 * MiB, payoffMs / 2))).toBe(1);
    expect(ramp.settled).toBe(true);
    expect(ramp.observe(1 * MiB, 1, 1000 * MiB)).toBe(1);
  });

  it('keeps the trial connections when they raised throughput, then doubles while it pays', () => {
    const ramp = new ConnectionRamp(8, 2);
    expect(ramp.observe(10 * MiB, 1, 1000 * MiB)).toBe(2);
    // The window right after a step is not measured: the new connections were starting.
    expect(ramp.observe(11 * MiB, 2, 1000 * MiB)).toBe(2);
    expect(ramp.observe(20 * MiB, 2, 1000 * MiB)).toBe(4);
    expect(ramp.observe(20 * MiB, 4, 1000 * MiB)).toBe(4);
    expect(ramp.observe(40 * MiB, 4, 1000 * MiB)).toBe(8);
    expect(ramp.observe(40 * MiB, 8, 1000 * MiB)).toBe(8);
    expect(ramp.observe(80 * MiB, 8, 1000 * MiB)).toBe(8);
    expect(ramp.settled).toBe(true);
  });

  it('drops back to one connection when the trial did not raise throughput', () => {
    const ramp = new ConnectionRamp(8, 8);
    expect(ramp.observe(300 * MiB, 1, 1000 * MiB)).toBe(8);
    expect(ramp.trying).toBe(true);
    ramp.observe(0, 8, 1000 * MiB);
    expect(ramp.observe(310 * MiB, 8, 1000 * MiB)).toBe(1);
    expect(ramp.settled).toBe(true);
    expect(ramp.trying).toBe(false);
  });

  it('drops back to the count before a step that did not pay', () => {
    const ramp = new ConnectionRamp(8, 2);
    ramp.observe(10 * MiB, 1, 1000 * MiB);
    ramp.observe(0, 2, 1000 * MiB);
    expect(ramp.observe(20 * MiB, 2, 1000 * MiB)).toBe(4);
    ramp.observe(0, 4, 1000 * MiB);
    expect(ramp.observe(21 * MiB, 4, 1000 * MiB)).toBe(2);
  });

  it('waits while a step has not all its connections', () => {
    const ramp = new ConnectionRamp(8, 4);
    expect(ramp.observe(10 * MiB, 1, 1000 * MiB)).toBe(4);
    expect(ramp.observe(5 * MiB, 2, 1000 * MiB)).toBe(4);
    expect(ramp.settled).toBe(false);
  });

  it('never goes above the maximum, and one allowed connection is final', () => {
    const ramp = new ConnectionRamp(4, 9);
    expect(ramp.observe(10 * MiB, 1, 1000 * MiB)).toBe(4);
    expect(new ConnectionRamp(1, 8).settled).toBe(true);
  });

  it('measures over whole windows of received bytes, so a bursty server is not misread', () => {
    const ramp = new ConnectionRamp(8, 4, 100);
    expect(ramp.sample(0, 0, 1, 100 * MiB)).toBe(1);
    // A burst 10 ms in would look like 100 MiB/s; the window is not over yet.
    expect(ramp.sample(1 * MiB, 10, 1, 100 * MiB)).toBe(1);
    // Over the whole window: 1 MiB in 100 ms, 10 MiB/s, so the rest takes 10 s: try 4.
    expect(ramp.sample(1 * MiB, 100, 1, 100 * MiB)).toBe(4);
  });
});
