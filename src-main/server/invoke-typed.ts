import type { CommandName, CommandOutput, Envelope } from '../../src-common/contract';
import type { Core } from '../core/app';

/** A command's answer typed by its contract output (the facade's `invoke` answers `unknown`). */
export async function invokeTyped<C extends CommandName>(
  core: Pick<Core, 'invoke'>,
  command: C,
  input: unknown,
): Promise<Envelope<CommandOutput<C>>> {
  return (await core.invoke(command, input)) as Envelope<CommandOutput<C>>;
}
