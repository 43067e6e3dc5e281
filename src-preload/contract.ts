/**
 * The one declaration of every command, event and shape that crosses a process or
 * network boundary. Main's handlers, the preload bridge, the HTTP routes and the
 * renderer's client all derive their types from this file; nothing is declared twice.
 */
import { z } from 'zod';

/** The closed list of error kinds. Every error that leaves the core carries one. */
export const errorKinds = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'unavailable',
  'internal',
] as const;
export type ErrorKind = (typeof errorKinds)[number];

export const ErrorShape = z.object({
  kind: z.enum(errorKinds),
  message: z.string(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

/** What every command answers, over IPC and HTTP alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  downloadDir: z.string(),
  platform: z.string(),
  /** `electron` inside the desktop app, `headless` under `haul serve`. */
  runtime: z.enum(['electron', 'headless']),
  schemaVersion: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfo>;

const NoInput = z.object({}).strict();

/**
 * Every command: its input schema (parsed at the boundary) and its output schema
 * (documentation, the OpenAPI description and tests).
 */
export const commands = {
  'app.info': { input: NoInput, output: AppInfo },
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<C extends CommandName> = z.input<Commands[C]['input']>;
export type ParsedInput<C extends CommandName> = z.output<Commands[C]['input']>;
export type CommandOutput<C extends CommandName> = z.output<Commands[C]['output']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

/** What the renderer sees as `window.haul`, whichever transport is behind it. */
export interface HaulBridge {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Envelope<CommandOutput<C>>>;
}

/** The IPC channel the preload and the shell share. Not exposed to the page. */
export const invokeChannel = 'haul:invoke';
