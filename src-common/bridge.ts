/** The desktop bridge: what the page sees as `window.haul`, and the IPC channel names. */
import type { CommandInput, CommandName, CommandOutput } from './commands';
import type { Envelope } from './errors';
import type { JobEvent } from './jobs';

/** What the renderer sees as `window.haul`, whichever transport is behind it. */
export interface HaulBridge {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Envelope<CommandOutput<C>>>;
  /** Subscribes to the job event stream; `init` comes first. Returns the unsubscribe. */
  onJobEvent?(listener: (event: JobEvent) => void): () => void;
  /** Desktop app: main asks the page to show something (a clicked notification, links from outside). */
  onShowRequest?(listener: (request: ShowRequest) => void): () => void;
}

/** The IPC channel the preload and the shell share for commands. Not exposed to the page. */
export const invokeChannel = 'haul:invoke';

/**
 * main -> page: show a job's details (a clicked notification), or open Add prefilled with
 * links handed over from outside, for the user to confirm.
 */
export const showChannel = 'haul:show';
/** page -> main: the page listens for show requests; main sends what it held back. */
export const showReadyChannel = 'haul:show:ready';
export type ShowRequest = { kind: 'job'; id: string } | { kind: 'add'; urls: string[] };

/** The job event channels between each window and main. */
export const jobEventChannels = {
  /** main -> page: an array of events, oldest first. */
  events: 'haul:job-events',
  /** page -> main: start, or restart with a fresh `init`. */
  subscribe: 'haul:job-events:subscribe',
  /** page -> main: no listener is left. */
  unsubscribe: 'haul:job-events:unsubscribe',
} as const;
