import { z } from 'zod';
import { CreateTaskInput } from '../../src-common/contract';
import type { Method } from './route-table';
import { Seed001Job, Seed001JobWithOutput } from './routes-seed-001';
import { Seed003Job } from './routes-seed-003';
import { Seed004Job } from './routes-seed-004';
import { ApiJobGroup, ApiJobGroupList, ApiJobType, ApiJobTypeList } from './routes-job-types';
import { createBodyDoc } from './seed-job-package';

/** What openapi.ts reads of a hand-written route (its RouteDoc, without the options these never use). */
interface SeedRouteDoc {
  method: Method;
  url: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  output: z.ZodType;
  okStatus?: number;
}

const seed003 = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), data });
const seed003Statuses = 'pending, running, completed or failed (comma-separated for several)';

const paging = {
  page: z.number().int().min(1).describe('@default 1').optional(),
  limit: z.number().int().min(1).max(1000).describe('@default 100').optional(),
};
const seed004Verb = (verb: string, what: string): SeedRouteDoc => ({
  method: 'POST',
  url: `/jobs/:id/${verb}`,
  summary: `${what} (seed 004); answers the job. Unknown: 404; not possible in its status: 409.`,
  output: Seed004Job,
});

/** The seeds' own paths (seeds 001, 003 and 004), each in its seed's shapes; errors are `{ error }` as everywhere. */
export const seedRouteDocs: SeedRouteDoc[] = [
  {
    method: 'GET',
    url: '/api/v1/jobs',
    summary:
      'Lists jobs as the job-queue API (seed 003) writes them: { success: true, data: [...] }, newest first. ' +
      '`source` filters by creator (a plugin or script name), not by the kind of job as on /v1/jobs.',
    query: z.object({
      status: z.string().describe(seed003Statuses).optional(),
      type: z.string().optional(),
      source: z.string().optional(),
      limit: z.number().int().min(1).max(1000).describe('@default 100').optional(),
      offset: z.number().int().min(0).optional(),
    }),
    output: seed003(z.array(Seed003Job)),
  },
  {
    method: 'POST',
    url: '/api/v1/jobs',
    summary: 'Creates a task from the seed-003 body (name, type, description, source...); answers 201 with it.',
    body: CreateTaskInput,
    output: seed003(Seed003Job),
    okStatus: 201,
  },
  {
    method: 'GET',
    url: '/api/v1/jobs/:jobId',
    summary: 'One job (seed 003). Unknown: 404.',
    output: seed003(Seed003Job),
  },
  {
    method: 'DELETE',
    url: '/api/v1/jobs/cleanup',
    summary: 'Deletes finished jobs older than daysOld days (seed 003).',
    query: z.object({ daysOld: z.number().int().min(0).describe('@default 30').optional() }),
    output: seed003(z.object({ removed: z.number().int() })),
  },
  {
    method: 'GET',
    url: '/api/jobs',
    summary:
      "Every job (the newest 1000) as seed 001's job structure with its output (the last 500 log lines), a bare " +
      'array; user_id is always local. No `command`: Haul runs no command line for a job.',
    output: z.array(Seed001JobWithOutput),
  },
  {
    method: 'GET',
    url: '/api/jobs/:id',
    summary: 'One job with its output (the last 500 log lines), seed 001. Unknown: 404.',
    output: Seed001JobWithOutput,
  },
  {
    method: 'POST',
    url: '/api/jobs/:id/cancel',
    summary: 'Cancels a job (seed 001); one that cannot be cancelled: 409.',
    output: Seed001Job,
  },
  {
    method: 'DELETE',
    url: '/api/jobs/:id',
    summary: 'Deletes a completed, failed or cancelled job record (seed 001); a live job: 409, cancel it first.',
    output: z.object({ removed: z.literal(true) }),
  },
  {
    method: 'GET',
    url: '/api/admin/users/:userId/jobs',
    summary: "A user's jobs (seed 001). Haul has one user, local: the same list as GET /api/jobs; any other id: 404.",
    output: z.array(Seed001JobWithOutput),
  },
  {
    method: 'GET',
    url: '/jobs',
    summary:
      'Lists jobs as the job-package API (seed 004) writes them, field for field: progress 0.0-1.0, times in unix ' +
      'milliseconds, error/result/params as strings. status: its names, comma-separated (those Haul never produces ' +
      'match nothing); order: scheduled_at, updated_at or started_at, - first for newest first.',
    query: z.object({
      ...paging,
      status: z.string().optional(),
      order: z.string().describe('@default -scheduled_at').optional(),
    }),
    output: z.object({
      page: z.number().int(),
      limit: z.number().int(),
      total: z.number().int(),
      jobs: z.array(Seed004Job),
    }),
  },
  {
    method: 'POST',
    url: '/jobs',
    summary:
      'Schedules a job from { type, idempotency_key, params } (seed 004; timeout_sec, max_retries, retry_delay_sec and ' +
      "Haul's create fields also taken); the same idempotency_key answers the first job. Answers 201 with it.",
    body: createBodyDoc(),
    output: Seed004Job,
    okStatus: 201,
  },
  { method: 'GET', url: '/jobs/:id', summary: 'One job (seed 004). Unknown: 404.', output: Seed004Job },
  seed004Verb('cancel', 'Cancels a job'),
  seed004Verb('suspend', 'Suspends a job created suspendable (others: 409)'),
  seed004Verb('resume', 'Resumes a suspended or paused job'),
  {
    method: 'DELETE',
    url: '/jobs/:id',
    summary: 'Deletes a job, cancelling it first (seed 004).',
    output: z.object({ removed: z.literal(true) }),
  },
  {
    method: 'GET',
    url: '/job-types',
    summary: 'Job types (seed 004): the same as GET /v1/job-types.',
    query: z.object(paging),
    output: ApiJobTypeList,
  },
  { method: 'GET', url: '/job-types/:id', summary: 'One job type (seed 004). Unknown: 404.', output: ApiJobType },
  {
    method: 'GET',
    url: '/job-groups',
    summary: 'Job groups (seed 004): the same as GET /v1/job-groups.',
    query: z.object(paging),
    output: ApiJobGroupList,
  },
  { method: 'GET', url: '/job-groups/:id', summary: 'One job group (seed 004). Unknown: 404.', output: ApiJobGroup },
];
