#!/usr/bin/env node
/**
 * `haul add|list|pause|resume|retry|cancel`: a small client of the running instance's local
 * API, found through `<data-dir>/server.json` and let in with `<data-dir>/api-token`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isEntry, runEntry } from './entry';
import {
  downloadName,
  statusLabels,
  type DownloadJob,
  type ErrorShape,
  type CommandOutput,
  type LineProblem,
} from '../src-common/contract';
import { defaultDataDir } from './core/paths';
import { instanceFilePath, readInstanceFile } from './server/instance-file';
import { tokenPath, tokenProof, tokensMatch } from './core/api-token';

export const cliUsage = `Usage:
  haul add <url>... [--dir DIR] [--name NAME]   queue downloads
  haul list                                     show the download list
  haul pause|resume|retry|cancel <id>...        act on downloads, one id after another
  haul serve [--port 8181] ...                  run Haul without a window
Options: --data-dir DIR (the running Haul's data folder), --port PORT (default: from DIR/server.json)`;

export type CliCommand =
  | { kind: 'add'; urls: string[]; dir?: string; name?: string }
  | { kind: 'list' }
  | { kind: 'pause' | 'resume' | 'retry' | 'cancel'; ids: string[] }
  | { kind: 'help' };

export interface CliArgs {
  command: CliCommand;
  dataDir: string;
  port?: number;
}

/** A mistake in how the CLI was called: shown with the usage, exit code 2. */
export class UsageError extends Error {}

export function parseCliArgs(argv: string[], cwd = process.cwd()): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      name: { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: false,
  });
  const unknown = Object.keys(values).find((key) => !['dir', 'name', 'data-dir', 'port', 'help'].includes(key));
  if (unknown) throw new UsageError(`unknown option --${unknown}`);
  const text = (key: 'dir' | 'name' | 'data-dir' | 'port') => {
    const value = values[key];
    if (value !== undefined && typeof value !== 'string') throw new UsageError(`--${key} needs a value`);
    return value;
  };
  const dataDir = resolve(cwd, text('data-dir') ?? defaultDataDir());
  const portText = text('port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!/^\d+$/.test(portText!) || port < 1 || port > 65535)) {
    throw new UsageError(`--port must be 1-65535, got ${portText}`);
  }
  const [verb, ...rest] = positionals;
  if (values.help || verb === undefined || verb === 'help') return { command: { kind: 'help' }, dataDir, port };
  if (verb === 'add') {
    if (rest.length === 0) throw new UsageError('add needs at least one URL');
    const name = text('name');
    if (name !== undefined && rest.length > 1) throw new UsageError('--name applies to a single URL');
    const dir = text('dir');
    return { command: { kind: 'add', urls: rest, dir: dir && resolve(cwd, dir), name }, dataDir, port };
  }
  if (verb === 'list') {
    if (rest.length > 0) throw new UsageError('list takes no arguments');
    return { command: { kind: 'list' }, dataDir, port };
  }
  if (verb === 'pause' || verb === 'resume' || verb === 'retry' || verb === 'cancel') {
    if (rest.length === 0) throw new UsageError(`${verb} needs at least one job id`);
    return { command: { kind: verb, ids: [...new Set(rest)] }, dataDir, port };
  }
  throw new UsageError(`unknown command "${verb}"`);
}

/** A problem talking to the running instance, worded for the user; exit code 1. */
export class CliFailure extends Error {}

/** The instance answered and refused the command (an unknown id, a finished job). */
class Refused extends CliFailure {
  constructor(
    message: string,
    /** The submitted lines it refused, each with why, when it refused a submit whole. */
    readonly lines: LineProblem[] = [],
  ) {
    super(message);
  }
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  fetch?: typeof fetch;
}

interface Instance {
  baseUrl: string;
  port: number;
  token: string;
  tokenFile: string;
}

/** Where the running instance listens and its token, or a message saying what is missing. */
export function locateInstance(args: CliArgs): Instance {
  const port = args.port ?? readInstanceFile(args.dataDir)?.port;
  if (port === undefined) {
    throw new CliFailure(
      `Haul is not running: there is no ${instanceFilePath(args.dataDir)}. ` +
        'Start it with `haul serve` (or pass --data-dir / --port of the running one).',
    );
  }
  let token: string;
  try {
    token = readFileSync(tokenPath(args.dataDir), 'utf8').trim();
  } catch {
    throw new CliFailure(
      `No API token at ${tokenPath(args.dataDir)}: start Haul once to create it, or pass --data-dir.`,
    );
  }
  if (!token)
    throw new CliFailure(`The API token file ${tokenPath(args.dataDir)} is empty; restart Haul to recreate it.`);
  return { baseUrl: `http://127.0.0.1:${port}`, port, token, tokenFile: tokenPath(args.dataDir) };
}

/** `fetch` to the instance, its failures worded for the user. */
async function reach(io: CliIo, where: Instance, path: string, init?: RequestInit): Promise<Response> {
  try {
    return await (io.fetch ?? fetch)(`${where.baseUrl}${path}`, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') {
      throw new CliFailure(
        `Haul is not running at ${where.baseUrl} (connection refused). Start it with \`haul serve\`.`,
      );
    }
    throw new CliFailure(`Could not reach Haul at ${where.baseUrl}: ${code ?? (error as Error).message}`);
  }
}

/**
 * Asks the program on the port to show it holds the token (see tokenProof) before the
 * token is sent: after a crash, server.json names a port any local user may have taken.
 */
async function proveInstance(io: CliIo, where: Instance): Promise<void> {
  const nonce = randomBytes(18).toString('base64url');
  const response = await reach(io, where, `/healthz?proof=${nonce}`);
  const answer = (await response.json().catch(() => undefined)) as { proof?: unknown } | undefined;
  const proof = answer?.proof;
  if (typeof proof !== 'string' || !tokensMatch(proof, tokenProof(where.token, where.port, nonce))) {
    throw new CliFailure(
      `The program at ${where.baseUrl} did not show that it holds the API token in ${where.tokenFile}, so the token ` +
        "was not sent. Is --data-dir (or --port) the running Haul's? If Haul stopped unexpectedly, start it again.",
    );
  }
}

type RestError = { error: ErrorShape };

async function request<T>(io: CliIo, where: Instance, method: string, path: string, body?: unknown): Promise<T> {
  const response = await reach(io, where, path, {
    method,
    headers: {
      Authorization: `Bearer ${where.token}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  let answer: unknown;
  try {
    answer = await response.json();
  } catch {
    answer = undefined;
  }
  // REST routes answer the value bare, or `{ error: { kind, message } }` with the status.
  if (response.ok && answer !== undefined) return answer as T;
  const error = (answer as Partial<RestError> | undefined)?.error;
  if (typeof error?.message !== 'string') {
    throw new CliFailure(`Unexpected answer from ${where.baseUrl} (HTTP ${response.status}): is that Haul?`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new CliFailure(`Haul refused the API token (${error.message}) Is --data-dir the running Haul's folder?`);
  }
  const lines = error.details?.lines;
  throw new Refused(error.message, Array.isArray(lines) ? lines : []);
}

/** One line a job: its id, its status and name as the UI shows them, how far it got. */
function describe(job: DownloadJob): string {
  const progress = `${Math.floor(job.progress)}%`.padStart(4);
  return `${job.id}  ${statusLabels[job.status].padEnd(11)} ${progress}  ${downloadName(job)}`;
}

/** Runs one CLI invocation; answers the process exit code. */
export async function runCli(argv: string[], io: CliIo, cwd = process.cwd()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv, cwd);
  } catch (error) {
    io.err(`haul: ${(error as Error).message}\n${cliUsage}`);
    return 2;
  }
  const { command } = args;
  if (command.kind === 'help') {
    io.out(cliUsage);
    return 0;
  }
  try {
    const where = locateInstance(args);
    await proveInstance(io, where);
    if (command.kind === 'add') {
      const input = { url: command.urls.join('\n'), dir: command.dir, fileName: command.name };
      // None taken: the core refuses the submit whole, each argument with its reason.
      const { jobs, invalid } = await request<CommandOutput<'downloads.submit'>>(
        io,
        where,
        'POST',
        '/v1/jobs/download/submit',
        input,
      ).catch((error: unknown) => {
        if (error instanceof Refused && error.lines.length > 0) return { jobs: [], invalid: error.lines };
        throw error;
      });
      for (const job of jobs) io.out(describe(job));
      for (const line of invalid) io.err(`haul: not added: ${line.text}: ${line.message}`);
      return invalid.length > 0 ? 1 : 0;
    }
    if (command.kind === 'list') {
      const { jobs } = await request<{ jobs: DownloadJob[] }>(io, where, 'GET', '/v1/jobs/queue');
      if (jobs.length === 0) io.out('No downloads.');
      for (const job of jobs) io.out(describe(job));
      return 0;
    }
    // Each id in turn: one refused is reported and the rest still go; Haul gone stops them all.
    let refused = 0;
    for (const id of command.ids) {
      try {
        io.out(describe(await request<DownloadJob>(io, where, 'POST', `/v1/jobs/${command.kind}`, { id })));
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        refused += 1;
        io.err(`haul: ${error.message}`);
      }
    }
    return refused > 0 ? 1 : 0;
  } catch (error) {
    io.err(`haul: ${(error as Error).message}`);
    return 1;
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'serve') {
    // Loaded only for `serve`: the client commands need no database or server code.
    const { runServe } = await import('./headless');
    await runServe(argv.slice(1));
    return;
  }
  process.exitCode = await runCli(argv, { out: (line) => console.log(line), err: (line) => console.error(line) });
}

if (isEntry(import.meta.url)) runEntry(() => main(process.argv.slice(2)));
