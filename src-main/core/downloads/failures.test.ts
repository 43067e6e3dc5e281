import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { diskFailure, failureFromStatus, networkFailure, parseRetryAfter } from './failures';

describe('failures', () => {
  it('parses Retry-After as seconds or as a date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Jan 2029 00:00:30 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('retries 408, 429 and 5xx only', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(failureFromStatus(status).transient).toBe(true);
    for (const status of [400, 401, 403, 404, 410, 451]) expect(failureFromStatus(status).transient).toBe(false);
    expect(failureFromStatus(404).message).toBe('The server answered 404 Not Found. Check the address.');
  });

  it('names the cause of a network failure', () => {
    expect(networkFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'h:1')).toMatchObject({
      kind: 'network',
      transient: true,
      message: 'h:1 refused the connection.',
    });
    expect(networkFailure(Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), 'h')).toMatchObject({
      kind: 'timeout',
    });
    expect(networkFailure(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'h')).toMatchObject({
      kind: 'stalled',
      message: 'h did not answer in time (no complete headers).',
    });
    expect(networkFailure(Object.assign(new Error('x'), { code: 'UND_ERR_BODY_TIMEOUT' }), 'h')).toMatchObject({
      kind: 'stalled',
      message: 'h stopped sending data.',
    });
    const mismatch = Object.assign(new Error('Response body length does not match content-length header'), {
      code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    });
    expect(networkFailure(mismatch, 'h')).toMatchObject({
      kind: 'network',
      transient: true,
      message: 'h sent a body of another length than its Content-Length said.',
    });
  });

  it('tells a server that cannot be reached at all (the network down) from one that answers badly', () => {
    const failure = (code: string) => networkFailure(Object.assign(new Error('x'), { code }), 'h');
    for (const code of ['ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH', 'EHOSTDOWN']) {
      expect(failure(code)).toMatchObject({
        transient: true,
        unreachable: true,
        message: `h cannot be reached (${code}): is the network down?`,
      });
    }
    // No name server answered: unreachable; the name does not exist: a wrong address.
    expect(failure('EAI_AGAIN')).toMatchObject({ unreachable: true, message: 'The name h could not be resolved.' });
    for (const code of ['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET']) expect(failure(code).unreachable).toBe(false);
  });

  it('turns a full disk into a "disk" failure that keeps the partial file', async () => {
    // /dev/full answers every write with ENOSPC: a real full disk, no mock.
    const handle = await open('/dev/full', 'w');
    const error = await handle.write(Buffer.alloc(10), 0, 10, 0).catch((e: unknown) => e);
    await handle.close();
    const failure = diskFailure(error, '/downloads/x.part');
    expect(failure).toBeInstanceOf(JobFailure);
    expect(failure).toMatchObject({ kind: 'disk', transient: false });
    expect(failure!.message).toMatch(/^The disk is full \(\/downloads\/x\.part\)\. The partial file was kept/);
    // Before a part file exists, none is said to be kept.
    expect(diskFailure(error, '/downloads', false)!.message).toBe(
      'The disk is full (/downloads). Fix this and try again.',
    );
    expect(diskFailure(new Error('other'), 'x')).toBeNull();
  });

  it('says a file too large for the file system (EFBIG) needs another disk', async () => {
    const failure = diskFailure(Object.assign(new Error('file too large'), { code: 'EFBIG' }), '/usb/x.part');
    expect(failure).toMatchObject({ kind: 'disk', transient: false });
    expect(failure!.message).toBe(
      "The file is too large for this folder's file system, FAT32 perhaps, which keeps files under 4 GiB (/usb/x.part). Download it into a folder on another disk.",
    );
  });
});
