import { z } from 'zod';
import { CreateTaskInput } from '../../src-common/contract';
import type { Method } from './route-table';
import { Seed001Job, Seed001JobWithOutput } from './routes-seed-001';
import { Seed003Job } from './routes-seed-003';

/** What openapi.ts reads of a hand-written route (its RouteDoc, without the options these never use). */
interface SeedRouteDoc {
  method: Method;
  url: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  output: z.ZodType;
}

const seed003 = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), data });
const seed003Statuses = 'pending, running, completed or failed (comma-separated for several)';

/** The seeds' own paths (seeds 001 and 003), each in its seed's shapes; errors are `{ error }` as everywhere. */
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
    summary: "Every job (the newest 1000) as seed 001's job structure, a bare array; user_id is always local.",
    output: z.array(Seed001Job),
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
    output: z.array(Seed001Job),
  },
];
