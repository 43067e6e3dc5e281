/**
 * The messages between the plugin host (main thread) and a plugin's worker. Everything
 * is plain data (structured clone); plugin code and its handlers never leave the worker.
 */

/** Why sandboxed code stopped, as the worker reports it. */
export type FailureReason = 'thrown' | 'interrupted' | 'memory' | 'invalid';

export interface WorkerFailure {
  reason: FailureReason;
  message: string;
}

export interface WorkerInit {
  type: 'init';
  name: string;
  /** The text of main.js. */
  code: string;
  settings: Record<string, unknown>;
  memoryBytes: number;
  /** CPU deadline of activate and of any slice that has no deadline of its own. */
  sliceMs: number;
  /** Int32Array[1]: the task the host wants interrupted (0: none, -1: whatever runs). */
  control: SharedArrayBuffer;
  downloadDir: string;
}

export type CallOp =
  | {
      kind: 'action';
      actionId: string;
      params: Record<string, unknown>;
      resource: unknown;
      jobId: string | null;
    }
  | { kind: 'resolve'; url: string }
  | { kind: 'hook'; event: 'download.completed' | 'job.control'; payload: unknown }
  | { kind: 'job'; callbackId: number; jobId: string };

export type HostToWorker =
  | WorkerInit
  | {
      type: 'call';
      id: number;
      /** Identifies the work for deadlines and interrupts; a job keeps its task for its whole run. */
      task: number;
      /** CPU time one uninterrupted slice of this task may take. */
      sliceMs: number;
      op: CallOp;
    }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'settings'; values: Record<string, unknown> }
  | { type: 'folders'; downloadDir: string }
  | { type: 'ping'; id: number };

export type Registration =
  { what: 'action'; declaration: unknown } | { what: 'resolver'; pattern: string } | { what: 'hook'; event: string };

export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'activateFailed'; error: WorkerFailure }
  | { type: 'register'; registration: Registration }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: WorkerFailure }
  /** `id` 0: fire and forget (log, progress). */
  | { type: 'hostCall'; id: number; method: string; args: unknown[] }
  | { type: 'pong'; id: number };

/** Methods the sandbox may call on the host; the host checks each against the manifest. */
export const hostMethods = [
  'log',
  'startJob',
  'job.progress',
  'job.cancel',
  'tasks.create',
  'tasks.start',
  'tasks.progress',
  'tasks.complete',
  'tasks.fail',
  'tasks.suspend',
  'tasks.get',
  'tasks.list',
  'tasks.cleanup',
  'job.complete',
  'job.fail',
  'job.log',
  'http.fetch',
  'files.read',
  'files.hash',
  'files.move',
  'downloads.submit',
  'storage.get',
  'storage.set',
  'storage.delete',
  'storage.keys',
  'notify',
] as const;
