// Teams' limits on what a bot may post, kept on our side so that the service does not have to say 429.
// Per conversation: 7 messages in 1 s, 8 in 2 s, 60 in 30 s, 1,800 in an hour; per tenant: 50 requests a
// second. Each limit is a sliding window (a log, not a token bucket: a 50/s bucket that has sat idle lets
// 100 through in one second; the window never lets more than 50). Teams counts a request when it arrives,
// which we cannot see; we only know it is after we sent it and before its answer came. So a request
// counts as arriving "now" while it is under way, and from the moment its answer came once it is over:
// never earlier than it arrived, whatever the network or this process's event loop did. The price is a
// round trip per window when a tenant is at its limit; the gain is that our windows hold on Teams' side.
// A request starts only when every window allows it now; nothing is reserved for later, so a
// conversation that must wait never holds up its tenant's other conversations. Pure apart from the clock.

export interface Window {
  limit: number;
  spanMs: number;
}

export const CONVERSATION_WINDOWS: readonly Window[] = [
  { limit: 7, spanMs: 1_000 },
  { limit: 8, spanMs: 2_000 },
  { limit: 60, spanMs: 30_000 },
  { limit: 1_800, spanMs: 3_600_000 },
];

export const TENANT_WINDOWS: readonly Window[] = [{ limit: 50, spanMs: 1_000 }];

/** The outbox spaces two messages to one conversation by this: 2 a second keeps under 7/1 s, 8/2 s and 60/30 s. */
export const TEAMS_CHANNEL_INTERVAL_MS = 500;

/** One key's recent requests: those under way (arriving "now") and when the others were answered. */
class WindowLog {
  /** answer times, ascending: each one no earlier than its request's arrival */
  private readonly times: number[] = [];
  private pending = 0;
  private readonly keep: number;
  private readonly longest: number;
  constructor(private readonly windows: readonly Window[], private readonly marginMs: number) {
    this.keep = Math.max(...windows.map((w) => w.limit));
    this.longest = Math.max(...windows.map((w) => w.spanMs)) + marginMs;
  }

  /** the earliest time ≥ now when one more request keeps every window; `pending`: a request under way decides it */
  earliest(now: number): { at: number; pending: boolean } {
    let at = now;
    let pending = false;
    for (const w of this.windows) {
      if (this.times.length + this.pending < w.limit) continue;
      // the limit-th newest request: one under way ("now"), or a recorded one
      const underWay = this.pending >= w.limit;
      const lth = underWay ? now : this.times[this.times.length - (w.limit - this.pending)]!;
      const t = lth + w.spanMs + this.marginMs;
      if (t > at) {
        at = t;
        pending = underWay;
      }
    }
    return { at, pending };
  }

  start(): void {
    this.pending++;
  }

  /** the request under way is over: it arrived at `at` at the latest */
  record(at: number): void {
    this.pending = Math.max(0, this.pending - 1);
    let i = this.times.length;
    while (i > 0 && this.times[i - 1]! > at) i--;
    this.times.splice(i, 0, at);
    if (this.times.length > this.keep) this.times.splice(0, this.times.length - this.keep);
  }

  idleSince(now: number): boolean {
    return this.pending === 0 && (this.times.length === 0 || this.times[this.times.length - 1]! <= now - this.longest);
  }
}

export interface RateLimiterOptions {
  conversationWindows?: readonly Window[];
  tenantWindows?: readonly Window[];
  /** added to every window's span (default 2 ms: clock rounding; a request counts from its answer, which is never before Teams saw it) */
  marginMs?: number;
  now?: () => number;
}

/** A request under way: done() once its answer came, or it failed (either way it may have arrived). */
export interface Ticket {
  done(): void;
}

export class TeamsRateLimiter {
  private readonly conversations = new Map<string, WindowLog>();
  private readonly tenants = new Map<string, WindowLog>();
  private readonly conversationWindows: readonly Window[];
  private readonly tenantWindows: readonly Window[];
  private readonly marginMs: number;
  private readonly now: () => number;
  private started = 0;

  constructor(opts: RateLimiterOptions = {}) {
    this.conversationWindows = opts.conversationWindows ?? CONVERSATION_WINDOWS;
    this.tenantWindows = opts.tenantWindows ?? TENANT_WINDOWS;
    this.marginMs = opts.marginMs ?? 2;
    this.now = opts.now ?? Date.now;
  }

  /** ms until one more request to this conversation keeps every window (0 = now). */
  waitMs(tenant: string, conversation: string): number {
    return this.earliest(tenant, conversation).at - this.now();
  }

  private earliest(tenant: string, conversation: string): { at: number; pending: boolean } {
    const now = this.now();
    const conv = this.conversations.get(conversation)?.earliest(now) ?? { at: now, pending: false };
    const ten = this.tenants.get(tenant)?.earliest(now) ?? { at: now, pending: false };
    return conv.at >= ten.at ? conv : ten;
  }

  /** Starts a request now if every window allows it; null otherwise (see waitMs). Nothing is held for later. */
  tryStart(tenant: string, conversation: string): Ticket | null {
    if (this.waitMs(tenant, conversation) > 0) return null;
    const conv = this.log(this.conversations, conversation, this.conversationWindows);
    const ten = this.log(this.tenants, tenant, this.tenantWindows);
    conv.start();
    ten.start();
    if (++this.started % 5_000 === 0) this.forgetIdle(this.now());
    let over = false;
    return {
      done: () => {
        if (over) return;
        over = true;
        // it arrived before its answer came: counting it from now is never too early
        const at = this.now();
        conv.record(at);
        ten.record(at);
      },
    };
  }

  /**
   * Waits (with `sleep`) until a request may start, and starts it; or, when that would take longer than
   * maxWaitMs, starts nothing and says how long it would have been. A wait decided by requests still under
   * way is checked again soon: once they are answered, the slot may come sooner than "a window from now".
   */
  async acquire(tenant: string, conversation: string, maxWaitMs: number, sleep: (ms: number) => Promise<void>): Promise<({ ok: true } & Ticket) | { ok: false; holdMs: number }> {
    const deadline = this.now() + maxWaitMs;
    for (;;) {
      const ticket = this.tryStart(tenant, conversation);
      if (ticket) return { ok: true, done: ticket.done };
      const e = this.earliest(tenant, conversation);
      const wait = Math.max(1, e.at - this.now());
      if (this.now() + wait > deadline) return { ok: false, holdMs: wait };
      await sleep(e.pending ? Math.min(wait, 50) : wait);
    }
  }

  private log(map: Map<string, WindowLog>, key: string, windows: readonly Window[]): WindowLog {
    let log = map.get(key);
    if (!log) {
      log = new WindowLog(windows, this.marginMs);
      map.set(key, log);
    }
    return log;
  }

  private forgetIdle(now: number): void {
    for (const map of [this.conversations, this.tenants]) for (const [k, log] of map) if (log.idleSince(now)) map.delete(k);
  }
}
