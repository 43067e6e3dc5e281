import { describe, expect, it } from 'vitest';
import { allowedActions, downloadName } from './job-display';

describe('downloadName', () => {
  it('shows a name from the URL without its hidden characters before the engine names the file', () => {
    const job = { fileName: null, finalUrl: null, url: 'https://files.example/invoice%E2%80%AEfdp.exe' };
    expect(downloadName(job)).toBe('invoicefdp.exe');
    expect(downloadName({ ...job, fileName: 'a\u2066b.txt' })).toBe('ab.txt');
    expect(downloadName({ ...job, url: 'https://files.example/%E2%80%AE' })).toBe('files.example');
  });

  it('drops every control and text-direction character, the same way however often it is asked', () => {
    // One pattern serves every call: no state may carry over from one name to the next.
    for (let i = 0; i < 3; i += 1) {
      expect(downloadName({ fileName: 'a\u0000b\u001fc\u007fd\u009fe\u200ef\u202eg', url: 'https://x' })).toBe(
        'abcdefg',
      );
      expect(downloadName({ fileName: 'Ünïcødé 文件 (1).zip', url: 'https://x' })).toBe('Ünïcødé 文件 (1).zip');
    }
  });
});

describe('allowedActions for tasks', () => {
  const can = (status: Parameters<typeof allowedActions>[0]['status'], suspendable = false) =>
    Object.entries(allowedActions({ source: 'task', status, suspendable }))
      .filter(([, yes]) => yes)
      .map(([name]) => name);

  it('offers what the task transitions allow, suspend only to a suspendable task', () => {
    expect(can('running')).toEqual(['pause', 'cancel']);
    expect(can('running', true)).toEqual(['pause', 'suspend', 'cancel']);
    expect(can('paused', true)).toEqual(['resume', 'suspend', 'cancel']);
    expect(can('suspending', true)).toEqual(['cancel']);
    expect(can('suspended', true)).toEqual(['resume', 'cancel']);
    expect(can('failed')).toEqual(['retry']);
    expect(can('timeout')).toEqual(['retry']);
    expect(can('completed')).toEqual([]);
  });

  it('leaves plugin jobs without pause or suspend', () => {
    expect(allowedActions({ source: 'plugin', status: 'running' })).toMatchObject({ pause: false, suspend: false });
  });
});
