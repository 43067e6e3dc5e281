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
 * header (nor a WebSocket). A ticket is only issued to a caller holding the token, is good
 * for one stream, and only on the event routes (SSE and the job WebSocket): it never stands
 * in for the token elsewhere.
 */
export class TicketStore {
  /** Ticket -> when it expires and which token (by its tag) it was issued under. */
  private readonly tickets = new Map<string, { expiresAt: number; owner: string }>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(options: TicketOptions = {}) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.max = options.max ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** `owner`: a tag of the token the caller showed; the ticket dies with that token. */
  issue(owner = ''): { ticket: string; expiresAt: number } {
    this.prune();
    // Map keeps insertion order: the first key is the oldest ticket.
    while (this.tickets.size >= this.max) this.tickets.delete(this.tickets.keys().next().value!);
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.tickets.set(ticket, { expiresAt, owner });
    return { ticket, expiresAt };
  }

  /** True once for a live ticket of the current token; the ticket is spent either way. */
  redeem(ticket: string, owner = ''): boolean {
    const entry = this.tickets.get(ticket);
    if (entry === undefined) return false;
    this.tickets.delete(ticket);
    return this.now() < entry.expiresAt && entry.owner === owner;
  }

  /** Forgets every ticket issued under another token than `owner` (after a rotation). */
  revokeExcept(owner: string): void {
    for (const [ticket, entry] of this.tickets) if (entry.owner !== owner) this.tickets.delete(ticket);
  }

  get size(): number {
    return this.tickets.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [ticket, entry] of this.tickets) if (entry.expiresAt <= now) this.tickets.delete(ticket);
  }
}
