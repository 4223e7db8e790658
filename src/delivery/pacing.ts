// Per-channel pacing, pure. A channel's pace is one number: the earliest time (ms since epoch) its next
// message may go. A send moves it to one interval after the send started (Slack: 1 s per channel), a
// Retry-After to the end of the block; the next part then goes exactly at that time, not later.
// Stored as channels.next_send_at, so a new worker or a new pass keeps the pace.

/** 0 = no constraint */
export const ANY_TIME = 0;

export function nextAfterSend(nextAllowed: number, sentAt: number, intervalMs: number): number {
  return Math.max(nextAllowed, sentAt + Math.max(0, intervalMs));
}

export function nextAfterRateLimit(nextAllowed: number, now: number, retryAfterMs: number): number {
  return Math.max(nextAllowed, now + Math.max(0, retryAfterMs));
}

/** How long to wait from now before the next message (0 = now). */
export function waitMs(nextAllowed: number, now: number): number {
  return Math.max(0, nextAllowed - now);
}

export function paceFromStored(nextSendAt: string | null): number {
  const t = nextSendAt === null ? Number.NaN : Date.parse(nextSendAt);
  return Number.isFinite(t) ? t : ANY_TIME;
}

export function paceToStored(nextAllowed: number): string | null {
  return nextAllowed > ANY_TIME ? new Date(nextAllowed).toISOString() : null;
}
