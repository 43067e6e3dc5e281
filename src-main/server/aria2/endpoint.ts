/**
 * The aria2-compatible endpoint as the settings say: started when enabled, restarted
 * on another port, stopped when switched off, all without restarting Haul. Used by the
 * desktop app and by `haul serve` alike.
 */
import type { AppInfo } from '../../../src-common/contract';
import { run, type Aria2Core } from './gids';
import type { RunningTransport } from './transport';

export interface Aria2EndpointOptions {
  core: Aria2Core;
  /** @default '127.0.0.1' */
  host?: string;
  /** Overrides the port of the settings (tests: 0 picks a free one). */
  port?: number;
  /** See RpcOptions.wrongSecretDelayMs. @default 1000 */
  wrongSecretDelayMs?: number;
  /** Told when the endpoint cannot start (e.g. the port is taken). @default console.error */
  onError?(message: string): void;
}

export interface Aria2Endpoint {
  /** Settles once the first start (or none, when disabled) is done; never rejects. */
  readonly ready: Promise<void>;
  /** The running endpoint's URL, or undefined while it is off. */
  url(): string | undefined;
  close(): Promise<void>;
}

export function startAria2Endpoint(options: Aria2EndpointOptions): Aria2Endpoint {
  const { core } = options;
  const report = options.onError ?? ((message: string) => console.error(`haul: ${message}`));
  let running: { transport: RunningTransport; stop(): void } | undefined;
  let closed = false;
  // Starts and stops run one after another, in the order the settings changed.
  let queue: Promise<void> = Promise.resolve();

  const stop = async () => {
    const current = running;
    running = undefined;
    if (!current) return;
    current.stop();
    await current.transport.close();
  };

  const start = async () => {
    // Off by default: the RPC, its WebSocket server (ws) and its methods load when switched on.
    const [{ Aria2Rpc }, { startTransport }, { followJobs }] = await Promise.all([
      import('./rpc'),
      import('./transport'),
      import('./notifications'),
    ]);
    const settings = core.settings.get();
    const port = options.port ?? settings.aria2Port;
    const rpc = new Aria2Rpc({
      context: {
        core,
        downloadDir: async () => (await run<AppInfo>(core, 'app.info', {})).downloadDir,
      },
      secret: () => core.settings.get().aria2Secret,
      version: core.info.version,
      wrongSecretDelayMs: options.wrongSecretDelayMs,
    });
    try {
      const transport = await startTransport({
        rpc,
        host: options.host,
        port,
        allowedOrigins: () => core.settings.get().aria2AllowedOrigins,
      });
      const notifications = followJobs(core, (message) => transport.broadcast(message));
      running = { transport, stop: () => notifications.close() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      report(
        code === 'EADDRINUSE'
          ? `the aria2 endpoint did not start: port ${port} is in use. Choose another port in Settings.`
          : `the aria2 endpoint did not start: ${String(error)}`,
      );
    }
  };

  const apply = () => {
    queue = queue
      .then(async () => {
        await stop();
        if (!closed && core.settings.get().aria2Enabled) await start();
      })
      .catch((error: unknown) => report(`the aria2 endpoint failed: ${String(error)}`));
    return queue;
  };

  const unsubscribe = core.settings.onChange((_next, changed) => {
    if (closed) return;
    // The secret and the origins are read at each request; only these need a restart.
    if ('aria2Enabled' in changed || 'aria2Port' in changed) void apply();
  });

  return {
    ready: apply(),
    url: () => running?.transport.url,
    close: async () => {
      closed = true;
      unsubscribe();
      await apply();
    },
  };
}
