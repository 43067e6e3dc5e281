import type { z } from 'zod';
import {
  commands,
  isCommandName,
  type CommandName,
  type CommandOutput,
  type Envelope,
  type ParsedInput,
} from '../../src-preload/contract';
import { HaulError, toErrorShape } from './errors';

/** One handler per contract command, typed from the contract. */
export type CommandHandlers = {
  [C in CommandName]: (input: ParsedInput<C>) => CommandOutput<C> | Promise<CommandOutput<C>>;
};

/** Names the first offending field, e.g. `url: Invalid URL`, so the user knows what to fix. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid input';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'input';
  return `${path}: ${issue.message}`;
}

/**
 * The single entry for every command from any transport (IPC, HTTP RPC): checks the
 * name, parses the input with the contract's schema, runs the handler and wraps the
 * outcome in the envelope. Never throws.
 */
export async function dispatch(
  handlers: CommandHandlers,
  name: unknown,
  rawInput: unknown,
): Promise<Envelope<unknown>> {
  try {
    if (!isCommandName(name)) throw new HaulError('not_found', `Unknown command: ${String(name)}`);
    const parsed = commands[name].input.safeParse(rawInput ?? {});
    if (!parsed.success) throw new HaulError('invalid_input', describeIssues(parsed.error));
    const handler = handlers[name] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toErrorShape(error) };
  }
}
