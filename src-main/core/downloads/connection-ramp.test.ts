import { describe, expect, it } from 'vitest';
import { ConnectionRamp, initialConnections } from './connection-ramp';

const MiB = 1024 * 1024;

describe('connection ramp', () => {
  it('opens one connection per 16 MiB of a large file at once, within the maximum', () => {
    expect(initialConnections(8, 256 * MiB, 16 * MiB)).toBe(8);
    expect(initialConnections(8, 48 * MiB, 16 * MiB)).toBe(3);
    expect(initialConnections(8, 10 * MiB, 16 * MiB)).toBe(1);
    expect(initialConnections(1, 1024 * MiB, 16 * MiB)).toBe(1);
    expect(initialConnections(8, 0, 16 * MiB)).toBe(1);
  });

  it('starts where it is told and still doubles while throughput grows', () => {
    const ramp = new ConnectionRamp(8, 2);
    expect(ramp.connections).toBe(2);
    expect(ramp.observe(100, 2)).toBe(4);
    expect(ramp.observe(200, 4)).toBe(8);
  });

  it('stops adding once a step brings no clear gain', () => {
    const ramp = new ConnectionRamp(8, 2);
    expect(ramp.observe(100, 2)).toBe(4);
    expect(ramp.observe(105, 4)).toBe(4);
    expect(ramp.observe(1000, 4)).toBe(4);
  });

  it('never starts above the maximum or below one', () => {
    expect(new ConnectionRamp(4, 9).connections).toBe(4);
    expect(new ConnectionRamp(4, 0).connections).toBe(1);
  });
});
