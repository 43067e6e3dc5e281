/**
 * The single-instance lock: a Unix socket in the user-data folder (Chromium's is
 * `SingletonSocket` there too). The first process listens; a later one connects, hands
 * over its argv, working directory and additionalData, and is told to quit.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

export interface SecondInstance {
  argv: string[];
  cwd: string;
  additionalData: unknown;
}

/**
 * Electron's requestSingleInstanceLock() is synchronous, so the handshake runs in a short
 * child process: it tries to hand the arguments over; its exit code says whether it did.
 */
function handOver(socket: string, payload: string): boolean {
  const script = `
    const s = require('node:net').connect(${JSON.stringify(socket)});
    s.on('connect', () => s.end(${JSON.stringify(payload)}));
    s.on('data', () => process.exit(0));
    s.on('error', () => process.exit(3));
    setTimeout(() => process.exit(4), 5000);`;
  try {
    execFileSync(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 6000 });
    return true;
  } catch {
    return false;
  }
}

export function acquireSingleInstanceLock(
  userData: string,
  argv: string[],
  additionalData: unknown,
  onSecond: (second: SecondInstance) => void,
): { primary: boolean; lock?: { release(): void } } {
  // Windows has named pipes where Unix has socket files.
  const windows = process.platform === 'win32';
  const socket = windows
    ? `\\\\.\\pipe\\haul-standin-${createHash('sha256').update(userData).digest('hex').slice(0, 16)}`
    : join(userData, 'SingletonSocket');
  if (windows || existsSync(socket)) {
    const payload = JSON.stringify({ argv, cwd: process.cwd(), additionalData: additionalData ?? {} });
    if (handOver(socket, payload)) return { primary: false };
    if (!windows) unlinkSync(socket); // left by a process that is gone
  }
  const server: Server = createServer((connection) => {
    let text = '';
    connection.setEncoding('utf8');
    connection.on('data', (chunk: string) => (text += chunk));
    connection.on('end', () => {
      connection.end('ack');
      try {
        onSecond(JSON.parse(text) as SecondInstance);
      } catch {
        // Not a second instance of ours: ignore it, as Chromium does.
      }
    });
  });
  server.listen(socket);
  server.unref();
  return {
    primary: true,
    lock: {
      release() {
        server.close();
        if (windows) return;
        try {
          unlinkSync(socket);
        } catch {
          // already gone
        }
      },
    },
  };
}
