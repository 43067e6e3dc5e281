import type { AnswerBody } from './answer-body';
import type { DownloadContext } from '../jobs/runner';
import type { EngineSettings } from './engine-options';
import { openResponse, type OpenedResponse } from './http-request';
import { ifRangeValue, type TransferState } from './resume-state';

/** An answer to a range request, its bytes still to be read. */
export interface OpenAnswer {
  body: AnswerBody;
  /** Where the answer's bytes end (exclusive), when known. */
  coveredEnd: number | null;
}

/** What a connection's requests use of the transfer. */
export interface RequestHost {
  readonly signal: AbortSignal;
  readonly settings: Pick<EngineSettings, 'dispatcher' | 'userAgent'>;
  readonly ctx: Pick<DownloadContext, 'job'>;
}

/**
 * The requests of one connection: each asks for a range of the file the job names, with
 * the job's headers and hosts and the validator of the bytes already had (If-Range), and
 * all of them can be stopped apart from the rest of the transfer.
 */
export class RangeRequests {
  /** Stops this connection's requests alone; made at its first request of its own. */
  private own: { controller: AbortController; signal: AbortSignal } | null = null;

  constructor(private readonly host: RequestHost) {}

  /** Asks for `asked` of the file `state` describes. */
  send(state: TransferState, asked: { start: number; end: number | null }): Promise<OpenedResponse> {
    return openResponse(state.url, {
      dispatcher: this.host.settings.dispatcher,
      headers: this.host.ctx.job.options.headers ?? {},
      signal: this.signal(),
      range: asked,
      ifRange: ifRangeValue(state),
      userAgent: this.host.settings.userAgent,
      allowedHosts: this.host.ctx.job.options.allowedHosts,
      owner: this.host.ctx.job.url,
    });
  }

  /**
   * Aborts the connection's own signal with `reason`, once a request has made it: the
   * request out now stops, and any later one with it.
   */
  abort(reason: unknown): void {
    this.own?.controller.abort(reason);
  }

  /** The transfer's signal, joined by this connection's own so it can be stopped alone. */
  private signal(): AbortSignal {
    if (!this.own) {
      const controller = new AbortController();
      this.own = { controller, signal: AbortSignal.any([this.host.signal, controller.signal]) };
    }
    return this.own.signal;
  }
}
