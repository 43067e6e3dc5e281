import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const child = join(root, 'src-main/test/download-child.ts');

/**
 * Runs download-child.ts with `args`: SIGKILLs it `killAfterMs` after it prints READY, or
 * once it prints DONE when null; never lets it run past `guardMs`. Answers the job ids it
 * acknowledged (ACK lines) and whether it got to DONE. A child that exits by itself failed.
 */
export function runDownloadChild(
  args: string[],
  killAfterMs: number | null,
  guardMs: number,
): Promise<{ acks: string[]; done: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { cwd: root, stdio: 'pipe' });
    let out = '';
    let err = '';
    let killer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => proc.kill('SIGKILL'), guardMs);
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killAfterMs !== null && !killer && out.includes('READY\n')) {
        killer = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
      }
      if (killAfterMs === null && out.includes('DONE\n')) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('exit', (code, signal) => {
      clearTimeout(guard);
      clearTimeout(killer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited by itself (${code}):\n${err}`));
      else
        resolvePromise({
          acks: [...out.matchAll(/^ACK ([0-9a-f]+)$/gm)].map((m) => m[1]!),
          done: out.includes('DONE\n'),
        });
    });
  });
}
