import type { PluginJob } from '../../src-common/contract';
import type { JobCenter } from '../core/jobs/job-center';
import type { PluginJobSpec } from '../core/jobs/plugin-job';
import type { PluginJobContext, PluginJobRunner } from '../core/jobs/runner';

export type TestPluginRun = (context: PluginJobContext) => Promise<Record<string, unknown> | void>;

/**
 * A plugin job runner for the job core's tests: each job runs the function it was queued
 * with, as a plugin's would. Counts what it keeps, so tests can see it is released.
 */
export class ClosureRunner implements PluginJobRunner {
  private readonly runs = new Map<string, TestPluginRun>();

  queue(center: JobCenter, spec: PluginJobSpec, run: TestPluginRun): PluginJob {
    return center.createPluginJob(spec, (job) => this.runs.set(job.id, run));
  }

  get kept(): number {
    return this.runs.size;
  }

  refusal(job: PluginJob): string | undefined {
    return this.runs.has(job.id) ? undefined : `Job ${job.id} cannot be run again: its function is gone.`;
  }

  run(context: PluginJobContext): Promise<Record<string, unknown> | void> {
    const run = this.runs.get(context.job.id);
    return run ? run(context) : Promise.reject(new Error('nothing to run'));
  }

  release(jobId: string): void {
    this.runs.delete(jobId);
  }
}
