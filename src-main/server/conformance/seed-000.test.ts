/**
 * Seed 000 (the event-stream API): two job sources in one SSE stream, the download queue's
 * routes and the plugin action routes, each walked against `haul serve` with the shapes the
 * seed's text gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SseReader } from '../test-support';
import { eventually, expectError, expectShape, startSeedServer, type SeedServer } from './seed-kit';

// Shapes as the seed writes them.
const downloadStatus = z.enum(['pending', 'downloading', 'processing', 'completed', 'failed', 'cancelled', 'paused']);
const DownloadJob = z.object({
  id: z.string().regex(/^[0-9a-f]{8}$/, 'a random 8-char hex id'),
  status: downloadStatus,
  progress: z.number().min(0).max(100),
});
const ActionJob = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/, 'a random 16-char hex id'),
  source: z.literal('plugin'),
  pluginName: z.string(),
  actionId: z.string(),
  label: z.string(),
  entityId: z.number().int().min(0),
  entityType: z.enum(['resource', 'note', 'group', 'custom']),
  status: z.enum(['pending', 'running', 'completed', 'failed']),
  progress: z.number().int().min(0).max(100),
  message: z.string(),
  result: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.number(),
});
const Init = z.object({ jobs: z.array(DownloadJob), actionJobs: z.array(ActionJob) });
const DownloadEvent = (type: string) => z.object({ type: z.literal(type), job: DownloadJob });
const ActionEvent = z.object({ job: ActionJob.partial().extend({ id: z.string(), source: z.literal('plugin') }) });

let haul: SeedServer;
let stream: SseReader;
beforeAll(async () => {
  haul = await startSeedServer();
  stream = new SseReader(haul.port, '/v1/jobs/events', { Authorization: `Bearer ${haul.token}` });
  await eventually(() => stream.events.length > 0, 'the init event');
});
afterAll(async () => {
  stream.close();
  await haul.stop();
});

const submit = async (url: string) => {
  const answer = await haul.call('POST', '/v1/jobs/download/submit', { url });
  expect(answer.status).toBe(200);
  return expectShape(z.object({ jobs: z.array(DownloadJob) }), answer.body, 'POST /v1/jobs/download/submit').jobs;
};
const job = async (id: string) => (await haul.call('GET', `/v1/jobs/${id}`)).body;

describe('seed 000: download jobs', () => {
  it('GET /v1/jobs/events starts with init {jobs, actionJobs}', () => {
    expect(stream.events[0]!.event).toBe('init');
    expectShape(Init, stream.events[0]!.data, 'the init event');
  });

  it('POST /v1/jobs/download/submit queues each URL; added and updated events follow it to completed', async () => {
    const jobs = await submit(`${haul.fileUrl('files/one.bin')}\n${haul.fileUrl('files/two.bin')}`);
    expect(jobs).toHaveLength(2);
    for (const { id } of jobs) {
      await eventually(
        () =>
          stream.events.some((e) => e.event === 'updated' && e.data.job.id === id && e.data.job.status === 'completed'),
        `download ${id} to complete on the stream`,
      );
      const added = stream.events.find((e) => e.event === 'added' && e.data.job.id === id)!;
      expectShape(DownloadEvent('added'), added.data, 'an added event');
      for (const event of stream.events.filter((e) => e.event === 'updated' && e.data.job.id === id)) {
        expectShape(DownloadEvent('updated'), event.data, 'an updated event');
      }
      const done = stream.events.findLast((e) => e.event === 'updated' && e.data.job.id === id)!;
      expect(done.data.job.progress).toBe(100);
    }
  });

  it('GET /v1/jobs/queue lists the retained download jobs, and only those', async () => {
    const answer = await haul.call('GET', '/v1/jobs/queue');
    expect(answer.status).toBe(200);
    const { jobs } = expectShape(z.object({ jobs: z.array(DownloadJob.passthrough()) }), answer.body, 'the queue');
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(jobs.every((j) => j.source === 'download')).toBe(true);
  });

  it('POST /v1/jobs/pause|resume|cancel|retry act on a download, each answered with the job', async () => {
    const [held] = await submit(haul.fileUrl('held/big.bin'));
    await eventually(async () => (await job(held!.id)).status === 'downloading', 'the download to start');
    const act = async (verb: string) => {
      const answer = await haul.call('POST', `/v1/jobs/${verb}`, { id: held!.id });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return expectShape(DownloadJob, answer.body, `POST /v1/jobs/${verb}`);
    };
    expect((await act('pause')).status).toBe('paused');
    expect(['pending', 'downloading']).toContain((await act('resume')).status);
    expect((await act('cancel')).status).toBe('cancelled');
    expect(['pending', 'downloading']).toContain((await act('retry')).status);
    expect((await act('cancel')).status).toBe('cancelled');
    await eventually(
      () =>
        stream.events.some(
          (e) => e.event === 'updated' && e.data.job.id === held!.id && e.data.job.status === 'paused',
        ),
      'the pause on the stream',
    );
    expectError(await haul.call('POST', '/v1/jobs/pause', { id: held!.id }), 409, 'conflict');
    expectError(await haul.call('POST', '/v1/jobs/pause', { id: '0badf00d' }), 404, 'not_found');
    expectError(await haul.call('POST', '/v1/jobs/resume', {}), 400, 'invalid_input', 'id');
  });

  it('a removed event when a download leaves the list', async () => {
    const [gone] = await submit(haul.fileUrl('files/removed.bin'));
    await eventually(async () => (await job(gone!.id)).status === 'completed', 'the download to complete');
    expect((await haul.call('DELETE', `/v1/jobs/${gone!.id}`)).status).toBe(200);
    await eventually(() => stream.events.some((e) => e.event === 'removed' && e.data.job.id === gone!.id), 'removed');
    const removed = stream.events.find((e) => e.event === 'removed' && e.data.job.id === gone!.id)!;
    expectShape(DownloadEvent('removed'), removed.data, 'a removed event');
  });

  it('refuses a submit without a URL and a bad line, naming them', async () => {
    expectError(await haul.call('POST', '/v1/jobs/download/submit', {}), 400, 'invalid_input', 'url');
    expectError(await haul.call('POST', '/v1/jobs/download/submit', { url: 'not a url' }), 400, 'invalid_input');
  });
});

describe('seed 000: plugin action jobs', () => {
  it('POST /v1/jobs/action/run queues an async action; GET /v1/jobs/action/job?id= follows it to its result', async () => {
    const { jobs } = (await haul.call('GET', '/v1/jobs/queue')).body;
    const resourceId = jobs.find((j: { status: string }) => j.status === 'completed').resourceId as number;
    const run = await haul.call('POST', '/v1/jobs/action/run', {
      pluginName: 'checksum',
      actionId: 'checksum',
      resourceId,
      params: { algorithm: 'sha256' },
    });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const queued = expectShape(z.object({ job: ActionJob }), run.body, 'POST /v1/jobs/action/run').job;
    expect(queued).toMatchObject({ pluginName: 'checksum', actionId: 'checksum', entityType: 'resource' });
    expect(queued.entityId).toBe(resourceId);

    let read: z.output<typeof ActionJob> | undefined;
    await eventually(async () => {
      const answer = await haul.call('GET', `/v1/jobs/action/job?id=${queued.id}`);
      read = expectShape(ActionJob, answer.body, 'GET /v1/jobs/action/job');
      return read.status === 'completed';
    }, 'the action job to complete');
    expect(read!.result).toMatchObject({ algorithm: 'sha256', digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(read!.progress).toBe(100);

    await eventually(
      () => stream.events.some((e) => e.event === 'action_updated' && e.data.job.status === 'completed'),
      'action_updated to completed on the stream',
    );
    for (const event of stream.events.filter((e) => e.event.startsWith('action_'))) {
      expect(['action_added', 'action_updated', 'action_removed']).toContain(event.event);
      expectShape(ActionEvent, event.data, `an ${event.event} event`);
    }
    // Plugin jobs never appear in the download listing.
    const listed = (await haul.call('GET', '/v1/jobs/queue')).body.jobs;
    expect(listed.some((j: { id: string }) => j.id === queued.id)).toBe(false);
  });

  it('refuses a missing id, a download id, an unknown action and an unknown query parameter', async () => {
    expectError(await haul.call('GET', '/v1/jobs/action/job'), 400, 'invalid_input', 'id');
    const download = (await haul.call('GET', '/v1/jobs/queue')).body.jobs[0].id;
    expectError(await haul.call('GET', `/v1/jobs/action/job?id=${download}`), 404, 'not_found');
    expectError(
      await haul.call('GET', '/v1/jobs/action/job?id=00000000deadbeef&verbose=1'),
      400,
      'invalid_input',
      'verbose',
    );
    const unknown = await haul.call('POST', '/v1/jobs/action/run', { pluginName: 'nope', actionId: 'x' });
    expectError(unknown, 404, 'not_found');
    expectError(await haul.call('GET', '/v1/jobs/queue?status=failed'), 400, 'invalid_input', 'status');
  });
});
