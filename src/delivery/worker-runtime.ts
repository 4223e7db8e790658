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
  /** an in-doubt part is looked up no sooner than this after it started (send-delivery.ts) */
  inDoubtSettleMs: number;
  messages: DeliveryMessages;
  /** pacing and Retry-After waits of the pass */
  waits: PassWaits;
  stats: OutboxRunStats;
}

export const stopping = (rt: WorkerRuntime): boolean => rt.signal.aborted;

/**
 * The waits of one pass (pacing, Retry-After), all ended at once by the worker's stop signal through ONE
 * listener on it: hundreds of channels waiting at once would otherwise each hang a listener on the shared
 * stop signal (Node warns past ten: MaxListenersExceededWarning). With real time (no injected sleep) a
 * wait is a bare timer; an injected sleep (tests' virtual clock) gets a signal of its own for each wait.
 */
export class PassWaits {
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly signals = new Set<AbortController>();
  private readonly onStop = () => {
    for (const [t, resolve] of this.timers) {
      clearTimeout(t);
      resolve();
    }
    this.timers.clear();
    for (const c of [...this.signals]) c.abort();
  };

  constructor(
    /** null: real time (setTimeout) */
    private readonly sleep: ((ms: number, signal: AbortSignal) => Promise<void>) | null,
    private readonly stop: AbortSignal,
  ) {
    stop.addEventListener('abort', this.onStop, { once: true });
  }

  /** resolves after ms, or as soon as the worker stops, even if an injected sleep ignores its signal */
  wait(ms: number): Promise<void> {
    if (this.stop.aborted || ms <= 0) return Promise.resolve();
    const sleep = this.sleep;
    if (sleep === null) {
      return new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, ms);
        this.timers.set(t, resolve);
      });
    }
    const c = new AbortController();
    this.signals.add(c);
    return new Promise<void>((resolve) => {
      const done = () => {
        if (!this.signals.delete(c)) return;
        c.signal.removeEventListener('abort', done);
        resolve();
      };
      c.signal.addEventListener('abort', done, { once: true });
      sleep(ms, c.signal).then(done, done);
    });
  }

  /** the pass is over: no listener stays on the stop signal */
  close(): void {
    this.stop.removeEventListener('abort', this.onStop);
  }
}

/** Waits ms with rt.sleep, never outliving a stop. */
export function pause(rt: WorkerRuntime, ms: number): Promise<void> {
  if (rt.signal.aborted || ms <= 0) return Promise.resolve();
  return rt.waits.wait(ms);
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
