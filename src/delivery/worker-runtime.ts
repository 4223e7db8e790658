// What the pieces of an outbox worker share during one pass: the store, the clock, settings, and counters.
import type { Logger } from '../log/logger.ts';
import type { Db } from '../store/db.ts';
import type { BackoffPolicy } from './backoff.ts';
import type { DeliveryMessages } from './delivery-message.ts';

export interface OutboxRunStats {
  /** channels served in the pass */
  channels: number;
  /** deliveries completed (every part sent) */
  delivered: number;
  /** parts sent (or found sent after a crash) */
  parts: number;
  /** in-doubt parts that findSent showed were sent before a crash: not sent again */
  foundInDoubt: number;
  rateLimited: number;
  /** transient failures rescheduled with backoff */
  retried: number;
  /** deliveries that used up their attempts */
  failed: number;
  undeliverable: number;
  cancelled: number;
}

export const emptyStats = (): OutboxRunStats => ({
  channels: 0, delivered: 0, parts: 0, foundInDoubt: 0, rateLimited: 0, retried: 0, failed: 0, undeliverable: 0, cancelled: 0,
});

export interface WorkerRuntime {
  db: Db;
  holder: string;
  now: () => Date;
  logger: Logger;
  /** resolves after ms, or early when the signal aborts */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** aborted when the worker stops */
  signal: AbortSignal;
  claimTtlMs: number;
  horizonMs: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  reachableWithinMs: number;
  messages: DeliveryMessages;
  stats: OutboxRunStats;
}

export const stopping = (rt: WorkerRuntime): boolean => rt.signal.aborted;

/** rt.sleep, but never outliving a stop even if the injected sleep ignores the signal. */
export function pause(rt: WorkerRuntime, ms: number): Promise<void> {
  if (rt.signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      rt.signal.removeEventListener('abort', done);
      resolve();
    };
    rt.signal.addEventListener('abort', done, { once: true });
    rt.sleep(ms, rt.signal).then(done, done);
  });
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
