// Our side of Teams' limits: requests never break 7/1 s, 8/2 s, 60/30 s, 1,800/h per conversation, or
// 50/s per tenant, counted never earlier than Teams could have seen them (under way = now, over = answered);
// they never wait longer than they must; and a conversation that must wait does not hold up its tenant.
import { describe, expect, it } from 'vitest';
import { CONVERSATION_WINDOWS, TEAMS_CHANNEL_INTERVAL_MS, TENANT_WINDOWS, TeamsRateLimiter, type Window } from '../../adapters/teams/rate-limits.ts';

function breaks(times: number[], windows: readonly Window[]): string | null {
  const sorted = [...times].sort((a, b) => a - b);
  for (const w of windows) {
    for (let i = w.limit; i < sorted.length; i++) {
      if (sorted[i]! - sorted[i - w.limit]! < w.spanMs) return `${w.limit + 1} within ${w.spanMs} ms at #${i}`;
    }
  }
  return null;
}

/** A clock that sleeping moves forward. */
function clock(start = 0) {
  const c = { now: start, sleep: async (ms: number) => void (c.now += ms) };
  return c;
}

describe('TeamsRateLimiter', () => {
  it('a burst to one conversation goes out as fast as Teams allows, and no faster', async () => {
    const c = clock(1_000_000);
    const limiter = new TeamsRateLimiter({ now: () => c.now, marginMs: 0 });
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await limiter.acquire('T', 'C', Number.POSITIVE_INFINITY, c.sleep);
      expect(r.ok).toBe(true);
      times.push(c.now);
      if (r.ok) r.done();
    }
    expect(breaks(times, CONVERSATION_WINDOWS)).toBeNull();
    // 7 at once, the 8th a second later, the 9th–15th at 2 s …; 60 within 30 s, then the 61st at 30 s
    expect(times.slice(0, 9).map((t) => t - 1_000_000)).toEqual([0, 0, 0, 0, 0, 0, 0, 1000, 2000]);
    expect(times[60]! - times[0]!).toBe(30_000);
  });

  it('a request under way counts as arriving now; a finished one from when its answer came', () => {
    const c = clock();
    const limiter = new TeamsRateLimiter({ now: () => c.now, marginMs: 0 });
    const open = [];
    for (let i = 0; i < 7; i++) open.push(limiter.tryStart('T', 'C')!);
    c.now = 5_000; // none answered yet: they may all arrive now
    expect(limiter.tryStart('T', 'C')).toBeNull();
    expect(limiter.waitMs('T', 'C')).toBe(1000);
    for (const t of open.slice(0, 6)) t.done(); // six answered at 5 s …
    c.now = 5_200;
    open[6]!.done(); // … the seventh at 5.2 s
    open[6]!.done(); // twice changes nothing
    expect(limiter.waitMs('T', 'C')).toBe(800); // the 7th newest was answered at 5 s: the 8th may go at 6 s
    c.now = 6_000;
    expect(limiter.tryStart('T', 'C')).not.toBeNull();
    expect(limiter.waitMs('T', 'C')).toBe(1000); // 8 within 2 s (one under way): the 9th waits
  });

  it('the outbox pacing (500 ms) never has to wait on the conversation limits below 60 messages', () => {
    const c = clock();
    const limiter = new TeamsRateLimiter({ now: () => c.now });
    for (let i = 0; i < 60; i++) {
      c.now = i * TEAMS_CHANNEL_INTERVAL_MS;
      const t = limiter.tryStart('T', 'C');
      expect(t).not.toBeNull();
      c.now += 40; // answered 40 ms later
      t!.done();
    }
    c.now = 60 * TEAMS_CHANNEL_INTERVAL_MS; // the 61st at 30 s: 60 answered within the last 30 s + margin
    expect(limiter.waitMs('T', 'C')).toBe(42); // the 1st was answered at 40 ms: 30 s after that, + the 2 ms margin
  });

  it('the hour: 1,800 messages, then the next waits until the first leaves the hour', async () => {
    const c = clock();
    const limiter = new TeamsRateLimiter({ now: () => c.now, marginMs: 0 });
    for (let i = 0; i < 1800; i++) {
      const r = await limiter.acquire('T', 'C', Number.POSITIVE_INFINITY, c.sleep);
      if (r.ok) r.done();
    }
    const r = await limiter.acquire('T', 'C', 60_000, c.sleep);
    expect(r).toEqual({ ok: false, holdMs: 3_600_000 - c.now });
  });

  it('a tenant: at most 50 requests in any second across its conversations; other tenants are not held', async () => {
    const c = clock();
    const limiter = new TeamsRateLimiter({ now: () => c.now, marginMs: 0 });
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await limiter.acquire('T', `C${i}`, Number.POSITIVE_INFINITY, c.sleep);
      times.push(c.now);
      if (r.ok) r.done();
    }
    expect(breaks(times, TENANT_WINDOWS)).toBeNull();
    expect(times[49]).toBe(0);
    expect(times[50]).toBe(1000);
    expect(times[199]).toBe(3000);
    expect(limiter.tryStart('OTHER', 'C0')).not.toBeNull();
  });

  it('a conversation that must wait holds nothing: the rest of its tenant goes first', () => {
    const c = clock();
    const limiter = new TeamsRateLimiter({ now: () => c.now, marginMs: 0 });
    for (let i = 0; i < 7; i++) limiter.tryStart('T', 'busy')!.done();
    expect(limiter.tryStart('T', 'busy')).toBeNull();
    for (let i = 0; i < 43; i++) expect(limiter.tryStart('T', `quiet${i}`)).not.toBeNull();
    expect(limiter.tryStart('T', 'one-too-many')).toBeNull();
  });

  it('acquire() gives up rather than wait longer than asked, and starts nothing then', async () => {
    const c = clock();
    const limiter = new TeamsRateLimiter({ now: () => c.now, marginMs: 0 });
    for (let i = 0; i < 7; i++) limiter.tryStart('T', 'C')!.done();
    expect(await limiter.acquire('T', 'C', 999, c.sleep)).toEqual({ ok: false, holdMs: 1000 });
    expect(c.now).toBe(0);
    expect((await limiter.acquire('T', 'C', 1000, c.sleep)).ok).toBe(true);
    expect(c.now).toBe(1000);
  });
});
