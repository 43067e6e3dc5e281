import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './test-support';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

async function submit(url: string, extra: Record<string, unknown> = {}) {
  const res = await api.call('POST', '/v1/jobs/download/submit', { url, ...extra });
  expect(res.status).toBe(200);
  return res.json().jobs as { id: string; status: string; url: string }[];
}

describe('event-stream API routes', () => {
  it('submits several URLs, one per line, and reports a bad line by number', async () => {
    const res = await api.call('POST', '/v1/jobs/download/submit', {
      url: 'https://example.com/a.iso\nnot a url\nhttps://example.com/b.iso',
      paused: true,
    });
    expect(res.status).toBe(200);
    const { jobs, invalid } = res.json();
    expect(jobs.map((j: { url: string }) => j.url)).toEqual(['https://example.com/a.iso', 'https://example.com/b.iso']);
    expect(jobs.every((j: { id: string }) => /^[0-9a-f]{8}$/.test(j.id))).toBe(true);
    expect(invalid).toEqual([expect.objectContaining({ line: 2, text: 'not a url' })]);
  });

  it('400 naming the field for a malformed submit', async () => {
    const res = await api.call('POST', '/v1/jobs/download/submit', { url: 'https://example.com/x', connections: 99 });
    expect(res.status).toBe(400);
    expect(res.json().error).toMatchObject({ kind: 'invalid_input', message: expect.stringContaining('connections') });
    // A digest that could never match is refused before a byte is fetched.
    const short = await api.call('POST', '/v1/jobs/download/submit', {
      url: 'https://example.com/x',
      checksum: { algorithm: 'sha256', value: '0123456789abcdef' },
    });
    expect(short.status).toBe(400);
    expect(short.json().error).toEqual({
      kind: 'invalid_input',
      message: 'checksum.value: a SHA-256 digest is 64 hexadecimal characters, not 16',
      details: { field: 'checksum.value' },
    });
    const notUrl = await api.call('POST', '/v1/jobs/download/submit', { url: 'ftp://nope' });
    expect(notUrl.status).toBe(400);
    expect(notUrl.json().error.message).toContain('line 1');
  });

  it('409 for the same URL twice while the first is active', async () => {
    await submit('https://example.com/twice.bin', { paused: true });
    const again = await api.call('POST', '/v1/jobs/download/submit', { url: 'https://example.com/twice.bin' });
    expect(again.status).toBe(409);
    expect(again.json().error.kind).toBe('conflict');
  });

  it('lists the live download jobs in /v1/jobs/queue', async () => {
    const [job] = await submit('https://example.com/queue.bin', { paused: true });
    const res = await api.call('GET', '/v1/jobs/queue');
    expect(res.status).toBe(200);
    expect(res.json().jobs.map((j: { id: string }) => j.id)).toContain(job!.id);
  });

  it('pauses, resumes, cancels and retries by id, with 409 for an illegal move and 404 for no such job', async () => {
    const [job] = await submit('https://example.com/lifecycle.bin');
    const paused = await api.call('POST', '/v1/jobs/pause', { id: job!.id });
    expect(paused.json()).toMatchObject({ id: job!.id, status: 'paused' });
    const resumed = await api.call('POST', '/v1/jobs/resume', { id: job!.id });
    expect(resumed.json().status).toMatch(/pending|downloading/);
    const cancelled = await api.call('POST', '/v1/jobs/cancel', { id: job!.id });
    expect(cancelled.json().status).toBe('cancelled');
    const illegal = await api.call('POST', '/v1/jobs/pause', { id: job!.id });
    expect(illegal.status).toBe(409);
    const retried = await api.call('POST', '/v1/jobs/retry', { id: job!.id });
    expect(retried.json().status).toMatch(/pending|downloading/);
    const missing = await api.call('POST', '/v1/jobs/pause', { id: '0badf00d' });
    expect(missing.status).toBe(404);
    const badId = await api.call('POST', '/v1/jobs/pause', { id: 'nope' });
    expect(badId.status).toBe(400);
    expect(badId.json().error.message).toContain('id');
  });

  it('takes the id in the path too: POST /v1/jobs/:id/pause|resume|cancel|retry', async () => {
    const [job] = await submit('https://example.com/path-form.bin');
    const at = (verb: string, id = job!.id) => api.call('POST', `/v1/jobs/${id}/${verb}`);
    expect((await at('pause')).json()).toMatchObject({ id: job!.id, status: 'paused' });
    expect((await at('resume')).json().status).toMatch(/pending|downloading/);
    expect((await at('cancel')).json().status).toBe('cancelled');
    expect((await at('pause')).status).toBe(409);
    expect((await at('retry')).json().status).toMatch(/pending|downloading/);
    expect((await at('pause', '0badf00d')).status).toBe(404);
    const bad = await at('cancel', 'nope');
    expect(bad.status).toBe(400);
    expect(bad.json().error.details).toEqual({ field: 'id' });
  });
});

describe('the job-queue and job-package APIs routes', () => {
  it('lists with filters, converting numbers, and 400 naming a bad field', async () => {
    await submit('https://example.com/list-1.bin', { paused: true });
    await submit('https://example.com/list-2.bin', { paused: true });
    const res = await api.call('GET', '/v1/jobs?status=paused&source=download&limit=1&offset=0&order=-createdAt');
    expect(res.status).toBe(200);
    const { jobs, total } = res.json();
    expect(jobs).toHaveLength(1);
    expect(total).toBeGreaterThanOrEqual(2);
    expect(jobs[0].status).toBe('paused');
    for (const [query, field] of [
      ['limit=ten', 'limit'],
      ['limit=0', 'limit'],
      ['offset=-1', 'offset'],
      ['order=sideways', 'order'],
      ['source=ftp', 'source'],
      ['colour=red', 'colour'],
      ['limit=1&limit=2', 'limit'],
      ['status=queued,done', 'status'],
    ]) {
      const bad = await api.call('GET', `/v1/jobs?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.json().error.message, query).toContain(field);
    }
  });

  it('names the unknown statuses, and pages 100 jobs when no limit is given', async () => {
    const bad = await api.call('GET', '/v1/jobs?status=paused,queued,done');
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatchObject({ kind: 'invalid_input', details: { field: 'status' } });
    expect(bad.json().error.message).toMatch(/^status: unknown status queued, done \(known: pending, /);
    await submit(Array.from({ length: 120 }, (_, i) => `https://example.com/page-${i}.bin`).join('\n'), {
      paused: true,
    });
    const page = (await api.call('GET', '/v1/jobs')).json();
    expect(page.total).toBeGreaterThanOrEqual(120);
    expect(page.jobs).toHaveLength(100);
  });

  it('gets one job with its log, 404 when unknown', async () => {
    const [job] = await submit('https://example.com/get.bin', { paused: true });
    const res = await api.call('GET', `/v1/jobs/${job!.id}`);
    expect(res.json()).toMatchObject({
      id: job!.id,
      jobId: job!.id,
      name: 'https://example.com/get.bin',
      type: 'download',
      status: 'paused',
      log: expect.any(Array),
    });
    expect((await api.call('GET', '/v1/jobs/0badf00d')).status).toBe(404);
  });

  it('deletes a job, with deleteFile parsed as a boolean', async () => {
    const [job] = await submit('https://example.com/delete.bin', { paused: true });
    expect((await api.call('DELETE', `/v1/jobs/${job!.id}?deleteFile=maybe`)).status).toBe(400);
    const res = await api.call('DELETE', `/v1/jobs/${job!.id}?deleteFile=true`);
    expect(res.json()).toEqual({ removed: true });
    expect((await api.call('GET', `/v1/jobs/${job!.id}`)).status).toBe(404);
  });

  it('cleans up by age and clears completed jobs', async () => {
    const cleanup = await api.call('DELETE', '/v1/jobs/cleanup?daysOld=30');
    expect(cleanup.json()).toMatchObject({ removed: expect.any(Number) });
    expect((await api.call('DELETE', '/v1/jobs/cleanup')).json().error.message).toContain('daysOld');
    expect((await api.call('DELETE', '/v1/jobs/cleanup?daysOld=-3')).status).toBe(400);
    const cleared = await api.call('POST', '/v1/jobs/clearCompleted');
    expect(cleared.json()).toEqual({ removed: 0 });
  });
});

describe('queues, settings and the rest', () => {
  it('counts every queue by status (queues API)', async () => {
    const res = await api.call('GET', '/v1/jobs/queues');
    const { queues } = res.json();
    expect(queues.map((q: { name: string }) => q.name)).toEqual(['download', 'plugin', 'task']);
    const { counts } = queues[0];
    expect(counts.paused).toBeGreaterThan(0);
    // The queues API's keys beside Haul's own, from the same numbers.
    expect(counts).toMatchObject({ active: counts.downloading + counts.processing, delayed: 0 });
    expect(counts.waiting).toBe(counts.pending);
    expect(queues[1].counts).toMatchObject({ active: 0, waiting: 0, delayed: 0, paused: 0 });
  });

  it('reads and changes settings, refusing a bad value by name', async () => {
    expect((await api.call('GET', '/v1/settings')).json().maxConcurrentDownloads).toBe(3);
    const changed = await api.call('PATCH', '/v1/settings', { maxConcurrentDownloads: 5 });
    expect(changed.json().maxConcurrentDownloads).toBe(5);
    const bad = await api.call('PATCH', '/v1/settings', { maxConcurrentDownloads: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toContain('maxConcurrentDownloads');
  });

  it('answers app info and runs any command through /v1/rpc', async () => {
    expect((await api.call('GET', '/v1/info')).json().version).toBe('1.2.3');
    expect((await api.call('POST', '/v1/rpc/jobs.queues', {})).json().ok).toBe(true);
  });

  it('404 in the envelope for an unknown route', async () => {
    const res = await api.call('GET', '/v1/nothing/here');
    expect(res.status).toBe(404);
    expect(res.json().error.kind).toBe('not_found');
  });
});
