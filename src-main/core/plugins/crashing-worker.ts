/**
 * Test fixture: the real plugin worker, except that a call to an action named `crash`
 * kills the worker thread, as a bug in the sandbox or an out-of-memory kill would.
 */
import { parentPort } from 'node:worker_threads';
import type { HostToWorker } from './protocol';

const port = parentPort!;
const on = port.on.bind(port);
// Wraps the real worker's message handler so the crash comes before it can answer.
port.on = ((event: string, handler: (message: HostToWorker) => void) =>
  on(event, (message: HostToWorker) => {
    if (message.type === 'call' && message.op.kind === 'action' && message.op.actionId === 'crash') process.exit(3);
    handler(message);
  })) as typeof port.on;
await import('./plugin-worker');
