// bench:teams' lower bound (bench/teams-bounds.ts) against the schedule of an ideal client: no CPU time,
// every answer exactly R ms after its send, each conversation paced, and a tenant's request L places after
// another sent only once that other's answer came plus the window. The ideal client can reach the bound
// (so it is not too low to mean anything) and cannot beat it (so it is a bound).
import { describe, expect, it } from 'vitest';
import { lowerBounds } from '../../bench/teams-bounds.ts';
import { mulberry32 } from '../helpers/seeded-random.ts';

/** Earliest-first schedule of one tenant's messages (most left first on a tie); when the last one leaves. */
function idealClient(conversations: number, perConversation: number, pacingMs: number, limit: number, spanMs: number, rtt: number): number {
  const pace = new Array<number>(conversations).fill(0);
  const left = new Array<number>(conversations).fill(perConversation);
  const answers: number[] = [];
  let last = 0;
  for (let sent = 0; sent < conversations * perConversation; sent++) {
    const tenantFrom = answers.length >= limit ? answers[answers.length - limit]! + spanMs : 0;
    let best = -1;
    let at = Number.POSITIVE_INFINITY;
    for (let c = 0; c < conversations; c++) {
      if (left[c] === 0) continue;
      const t = Math.max(pace[c]!, tenantFrom);
      // the earliest; among those, the conversation with the most left (it has the longest paced tail)
      if (t < at || (t === at && left[c]! > left[best]!)) [at, best] = [t, c];
    }
    left[best]!--;
    pace[best] = at + pacingMs;
    answers.push(at + rtt);
    last = at;
  }
  return last;
}

describe('bench:teams lower bound', () => {
  it('the benchmark morning: 25 conversations × 20 messages in a tenant, 50/s, answers after 50 ms', () => {
    const b = lowerBounds({ maxPerConversation: 20, maxPerTenant: 500, conversationsOfBusiestTenant: 25 }, 50);
    // the 50th request leaves at 500 ms at the earliest (each conversation's second), then 9 windows of 1 s + 50 ms
    expect(b.lowerBoundMs).toBe(500 + 9 * 1_050);
    expect(b.withoutRoundTripMs).toBe(9_500);
    expect(idealClient(25, 20, 500, 50, 1_000, 50)).toBe(b.lowerBoundMs);
    expect(idealClient(25, 20, 500, 50, 1_000, 0)).toBe(b.withoutRoundTripMs);
  });

  it('matches the ideal client, which cannot do better, across shapes', () => {
    for (const [conversations, perConversation, limit, rtt] of [
      [25, 20, 50, 50], [10, 20, 50, 50], [60, 5, 50, 120], [3, 9, 4, 30], [7, 7, 5, 0], [1, 12, 50, 50], [40, 3, 50, 10],
    ] as const) {
      const window = { limit, spanMs: 1_000 };
      const b = lowerBounds({ maxPerConversation: perConversation, maxPerTenant: conversations * perConversation, conversationsOfBusiestTenant: conversations }, rtt, { pacingMs: 500, tenantWindow: window });
      expect(idealClient(conversations, perConversation, 500, limit, 1_000, rtt), `${conversations}×${perConversation}, ${limit}/s, ${rtt} ms`).toBe(b.lowerBoundMs);
    }
  });
});

describe('bench:teams lower bound, random shapes', () => {
  it('is what the ideal client reaches, never more', () => {
    const random = mulberry32(20261122);
    for (let i = 0; i < 200; i++) {
      const conversations = 1 + Math.floor(random() * 40);
      const perConversation = 1 + Math.floor(random() * 15);
      const limit = 1 + Math.floor(random() * 60);
      const rtt = Math.floor(random() * 200);
      const b = lowerBounds({ maxPerConversation: perConversation, maxPerTenant: conversations * perConversation, conversationsOfBusiestTenant: conversations }, rtt, { pacingMs: 500, tenantWindow: { limit, spanMs: 1_000 } });
      expect(idealClient(conversations, perConversation, 500, limit, 1_000, rtt), `${conversations}×${perConversation}, ${limit}/s, ${rtt} ms`).toBe(b.lowerBoundMs);
    }
  });
});
