import { describe, expect, it } from 'vitest';
import { downloadName } from './job-display';

describe('downloadName', () => {
  it('shows a name from the URL without its hidden characters before the engine names the file', () => {
    const job = { fileName: null, finalUrl: null, url: 'https://files.example/invoice%E2%80%AEfdp.exe' };
    expect(downloadName(job)).toBe('invoicefdp.exe');
    expect(downloadName({ ...job, fileName: 'a\u2066b.txt' })).toBe('ab.txt');
    expect(downloadName({ ...job, url: 'https://files.example/%E2%80%AE' })).toBe('files.example');
  });
});
