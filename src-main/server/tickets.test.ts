import { describe, expect, it } from 'vitest';
import { TicketStore } from './tickets';

describe('event stream tickets', () => {
  it('are good once, for 60 s', () => {
    let now = 0;
    const store = new TicketStore({ now: () => now });
    const a = store.issue();
    expect(a.expiresAt).toBe(60_000);
    expect(store.redeem(a.ticket)).toBe(true);
    expect(store.redeem(a.ticket)).toBe(false);
    const b = store.issue();
    now = 60_000;
    expect(store.redeem(b.ticket)).toBe(false);
    expect(store.redeem('made-up')).toBe(false);
  });

  it('keep at most `max` outstanding, dropping the oldest and the expired', () => {
    let now = 0;
    const store = new TicketStore({ now: () => now, max: 3, ttlMs: 10 });
    const first = store.issue();
    store.issue();
    store.issue();
    const fourth = store.issue();
    expect(store.size).toBe(3);
    expect(store.redeem(first.ticket)).toBe(false);
    expect(store.redeem(fourth.ticket)).toBe(true);
    now = 10;
    store.issue();
    expect(store.size).toBe(1);
  });

  it('are long and unguessable', () => {
    const store = new TicketStore();
    const tickets = new Set(Array.from({ length: 50 }, () => store.issue().ticket));
    expect(tickets.size).toBe(50);
    for (const t of tickets) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
