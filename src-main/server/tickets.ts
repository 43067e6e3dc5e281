import { randomBytes } from 'node:crypto';

export interface TicketOptions {
  /** How long a ticket can be redeemed. @default 60_000 */
  ttlMs?: number;
  /** Outstanding tickets kept at most; the oldest go first. @default 1000 */
  max?: number;
  now?: () => number;
}

/**
 * Single-use tickets for EventSource clients, which cannot send an Authorization
 * header. A ticket is only issued to a caller holding the token, is good for one
 * stream, and only on the events route: it never stands in for the token elsewhere.
 */
export class TicketStore {
  private readonly tickets = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(options: TicketOptions = {}) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.max = options.max ?? 1000;
    this.now = options.now ?? Date.now;
  }

  issue(): { ticket: string; expiresAt: number } {
    this.prune();
    // Map keeps insertion order: the first key is the oldest ticket.
    while (this.tickets.size >= this.max) this.tickets.delete(this.tickets.keys().next().value!);
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.tickets.set(ticket, expiresAt);
    return { ticket, expiresAt };
  }

  /** True once for a live ticket; the ticket is spent either way. */
  redeem(ticket: string): boolean {
    const expiresAt = this.tickets.get(ticket);
    if (expiresAt === undefined) return false;
    this.tickets.delete(ticket);
    return this.now() < expiresAt;
  }

  get size(): number {
    return this.tickets.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [ticket, expiresAt] of this.tickets) if (expiresAt <= now) this.tickets.delete(ticket);
  }
}
