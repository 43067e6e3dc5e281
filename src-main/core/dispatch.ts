import {
  commands,
  isCommandName,
  type CommandName,
  type CommandOutput,
  type Envelope,
  type ParsedInput,
} from '../../src-common/contract';
import { HaulError, invalidInput, toErrorShape } from './errors';
import { redactOutput } from './jobs/secrets';

/** One handler per contract command, typed from the contract. */
export type CommandHandlers = {
  [C in CommandName]: (input: ParsedInput<C>) => CommandOutput<C> | Promise<CommandOutput<C>>;
};

/**
 * The single entry for every command from any transport (IPC, HTTP RPC): checks the
 * name, parses the input with the contract's schema, runs the handler and wraps the
 * outcome in the envelope. Never throws; `onError` sees what a handler threw.
 */
export async function dispatch(
  handlers: CommandHandlers,
  name: unknown,
  rawInput: unknown,
  onError?: (error: unknown) => void,
): Promise<Envelope<unknown>> {
  try {
    if (!isCommandName(name)) throw new HaulError('not_found', `Unknown command: ${String(name)}`);
    const parsed = commands[name].input.safeParse(rawInput ?? {});
    if (!parsed.success) throw invalidInput(parsed.error);
    const handler = handlers[name] as (input: unknown) => unknown;
    // Jobs leave the core with their credentials redacted (headers, user:pass@).
    return { ok: true, value: redactOutput(await handler(parsed.data)) };
  } catch (error) {
    onError?.(error);
    return { ok: false, error: toErrorShape(error) };
  }
}
