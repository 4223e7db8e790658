// When to try a request again, and how long to wait first: exponential backoff with full jitter, and Retry-After.

/** 403 (which Ofsted's site is reported to use for rate limiting), 408, 429 and every 5xx are worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 403 || status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Full jitter: a random wait between 0 and min(maxMs, baseMs * 2^(retry-1)). `retry` counts from 1. */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(Math.min(1, Math.max(0, random())) * ceiling);
}

/** A Retry-After header (delay in seconds, or an HTTP date) as milliseconds from `nowMs`, or null if absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
