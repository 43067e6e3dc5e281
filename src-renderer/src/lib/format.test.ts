import { describe, expect, it } from 'vitest';
import { compactCount, formatBytes, formatEta, formatPercent, formatSpeed, formatTransfer } from './format';

describe('formatting', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
    expect(formatBytes(null)).toBe('—');
  });

  it('shows no speed for a stopped job', () => {
    expect(formatSpeed(0)).toBe('—');
    expect(formatSpeed(2048)).toBe('2.0 KB/s');
  });

  it('formats time left', () => {
    expect(formatEta(12)).toBe('12s');
    expect(formatEta(187)).toBe('3m 07s');
    expect(formatEta(7500)).toBe('2h 05m');
    expect(formatEta(null)).toBe('—');
  });

  it('never claims 100% before the job is done', () => {
    expect(formatPercent(99.9, false)).toBe('99%');
    expect(formatPercent(100, true)).toBe('100%');
  });

  it('leaves out what a running download does not know yet', () => {
    const mb = 1024 * 1024;
    expect(formatTransfer({ receivedBytes: 2.3 * mb, totalBytes: 8.6 * mb, speed: mb, eta: 7 })).toBe(
      '2.3 MB of 8.6 MB · 1.0 MB/s · 7s left',
    );
    expect(formatTransfer({ receivedBytes: 0, totalBytes: null, speed: 0, eta: null })).toBe('0 B');
    expect(formatTransfer({ receivedBytes: 3 * mb, totalBytes: null, speed: 2 * mb, eta: null })).toBe(
      '3.0 MB · 2.0 MB/s',
    );
  });

  it('shortens a count for a badge without ever rounding it up', () => {
    expect([0, 7, 999, 1000, 1250, 9999, 10_000, 99_999, 999_999, 1_500_000, 25_000_000].map(compactCount)).toEqual([
      '0',
      '7',
      '999',
      '1k',
      '1.2k',
      '9.9k',
      '10k',
      '99k',
      '999k',
      '1.5M',
      '25M',
    ]);
  });
});
