import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskJob } from '../../src-common/contract';
import { tempDir } from '../test/temp-dir';
import { eventually, startTestApi, type TestApi } from './test-support';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'job-script.sh');

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

/** Runs docs/job-script.sh against the test server; at most 30 s. */
function runScript(args: string[], stepSeconds: string, path = process.env['PATH']) {
  const child = spawn('bash', [script, ...args], {
    env: { ...process.env, PATH: path, HAUL_URL: api.server.url, HAUL_TOKEN: api.token, STEP_SECONDS: stepSeconds },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return { exit, output: () => output };
}

const tasks = (api: TestApi) => api.core.jobs.registry.snapshot().tasks;

describe('docs/job-script.sh', () => {
  it('creates a task with curl, reports each step with its metadata and completes it', async () => {
    const run = runScript(['Script test', '3'], '0');
    expect(await run.exit, run.output()).toBe(0);
    const [task] = tasks(api);
    expect(task).toMatchObject({
      name: 'Script test',
      creator: 'job-script.sh',
      status: 'completed',
      progress: 100,
      metadata: { steps: 3, step: 3 },
      result: { steps: 3 },
    });
    expect(run.output()).toContain(`task ${task!.id}`);
  });

  it("never puts the token on curl's command line, which other users can read", async () => {
    const dir = tempDir();
    try {
      // A curl that writes down its arguments, then is the real one.
      const seen = join(dir.path, 'arguments');
      const shim = join(dir.path, 'curl');
      writeFileSync(shim, `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> '${seen}'\nexec /usr/bin/curl "$@"\n`);
      chmodSync(shim, 0o755);
      const run = runScript(['Quiet', '2'], '0', `${dir.path}:${process.env['PATH']}`);
      expect(await run.exit, run.output()).toBe(0);
      expect(tasks(api)[0]).toMatchObject({ status: 'completed' });
      const argv = readFileSync(seen, 'utf8');
      expect(argv.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(4);
      expect(argv).not.toContain(api.token);
    } finally {
      dir.remove();
    }
  });

  it('waits while paused from the panel and stops when cancelled', async () => {
    const run = runScript(['Long job', '200'], '0.05');
    await eventually(() => (tasks(api)[0]?.progress ?? 0) > 0, 'the first report');
    const id = tasks(api)[0]!.id;
    await api.call('POST', `/v1/jobs/${id}/pause`);
    const paused = (api.core.jobs.registry.get(id) as TaskJob).progress;
    // While paused the script only polls: progress stays where it was.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(api.core.jobs.registry.get(id)).toMatchObject({ status: 'paused', progress: paused });
    await api.call('POST', `/v1/jobs/${id}/resume`);
    await eventually(() => (api.core.jobs.registry.get(id) as TaskJob).progress > paused, 'progress after resume');
    await api.call('POST', `/v1/jobs/${id}/cancel`);
    expect(await run.exit, run.output()).toBe(130);
    expect(run.output()).toContain('cancelled from Haul');
    expect(api.core.jobs.registry.get(id).status).toBe('cancelled');
  });
});
