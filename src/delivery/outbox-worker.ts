// The outbox worker shared by every chat adapter: claims channels with due deliveries, many in parallel
// (concurrency), each paced by its platform's interval, and sends, records and retries their deliveries
// (serve-channel.ts, send-delivery.ts). Idempotent and resumable: several workers may run; a dead one's
// claims expire and its in-doubt parts are checked with findSent before anything is sent again.
//
// runOnce(): one pass, until nothing is due now (pacing waits happen inside it); start(): passes in a
// loop, sleeping until the next due time or a notify(); stop(): finishes the parts in flight, gives
// the rest back, and resolves (after at most graceMs).
import type { Platform, ChatSender } from '../chat/types.ts';
import { channelKey } from '../chat/types.ts';
import type { Logger } from '../log/logger.ts';
import type { Db } from '../store/db.ts';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { claimChannel, claimDueChannels, dueChannels, OPEN_STATUSES } from './claim.ts';
import { isPostgres } from '../store/dialect.ts';
import { deliveryMessages } from './delivery-message.ts';
import { serveChannel } from './serve-channel.ts';
import { IN_DOUBT_SETTLE_MS } from './send-delivery.ts';
import { emptyStats, errorMessage, PassWaits, type OutboxRunStats, type WorkerRuntime } from './worker-runtime.ts';

export type { OutboxRunStats } from './worker-runtime.ts';

export interface OutboxWorkerOptions {
  db: Db;
  senders: ReadonlyMap<Platform, ChatSender>;
  now: () => Date;
  logger: Logger;
  /** names this worker in claims; unique per process (e.g. host:pid:random) */
  holder: string;
  /** channels served at once (default 64) */
  concurrency?: number;
  /** attempts before a delivery is held as 'failed' (default 8) */
  maxAttempts?: number;
  /** backoff after transient failures (default 5 s doubling to 15 min, equal jitter) */
  backoff?: BackoffPolicy;
  /** Ofsted's site, for the council page link in alerts (default https://reports.ofsted.gov.uk) */
  baseUrl?: string;
  /** how long a claim lasts without renewal (default 120 s); a dead worker's work is taken over after it */
  claimTtlMs?: number;
  /** a channel is taken only if its next send is at most this far ahead (default 5 s) */
  horizonMs?: number;
  /** start(): the longest sleep between passes (default 5 s) */
  idleMs?: number;
  /** a channel counts as reachable for notices if a delivery succeeded there within this (default 30 days) */
  reachableWithinMs?: number;
  /** an in-doubt part is looked up (findSent) no sooner than this after it started (default 30 s) */
  inDoubtSettleMs?: number;
  /** injected for tests: resolves after ms or when the signal aborts */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface OutboxWorker {
  runOnce(): Promise<OutboxRunStats>;
  start(): void;
  /** finishes or releases claimed work; waits at most graceMs (default 10 s) for parts in flight */
  stop(opts?: { graceMs?: number }): Promise<void>;
  /** wakes a started worker now (e.g. after a fan-out queued deliveries) */
  notify(): void;
  readonly running: boolean;
}

/** channel tasks started between two turns of the event loop */
const SPAWN_BATCH = 16;
/** during a pass, how often it looks for newly due channels when nothing else says to (ms) */
const LOOK_EVERY_MS = 1_000;

export function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function createOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const concurrency = Math.max(1, opts.concurrency ?? 64);
  const idleMs = opts.idleMs ?? 5_000;
  const sleep = opts.sleep ?? realSleep;
  /** one turn of the event loop: a bare setImmediate with real time, the injected sleep (0 ms) otherwise */
  const turn = (signal: AbortSignal): Promise<void> => (opts.sleep ? opts.sleep(0, signal) : new Promise<void>((resolve) => setImmediate(resolve)));
  const platforms = [...opts.senders.keys()];
  let stopController = new AbortController();
  let wake: AbortController | null = null;
  let currentPass: Promise<OutboxRunStats> | null = null;
  /** notify() since a pass last looked for due channels */
  let newWork = false;
  let loop: Promise<void> | null = null;

  const runtime = (stats: OutboxRunStats): WorkerRuntime => ({
    db: opts.db,
    holder: opts.holder,
    now: opts.now,
    logger: opts.logger,
    sleep,
    signal: stopController.signal,
    waits: new PassWaits(opts.sleep ?? null, stopController.signal),
    claimTtlMs: opts.claimTtlMs ?? 120_000,
    horizonMs: opts.horizonMs ?? 5_000,
    maxAttempts: Math.max(1, opts.maxAttempts ?? 8),
    backoff: opts.backoff ?? DEFAULT_BACKOFF,
    reachableWithinMs: opts.reachableWithinMs ?? 30 * 86_400_000,
    inDoubtSettleMs: opts.inDoubtSettleMs ?? IN_DOUBT_SETTLE_MS,
    messages: deliveryMessages(opts.db, opts.baseUrl ?? 'https://reports.ofsted.gov.uk'),
    stats,
  });

  async function pass(): Promise<OutboxRunStats> {
    const rt = runtime(emptyStats());
    try {
      return await serveDue(rt);
    } finally {
      rt.waits.close();
    }
  }

  const postgres = isPostgres(opts.db);

  async function serveDue(rt: WorkerRuntime): Promise<OutboxRunStats> {
    const active = new Map<string, Promise<void>>();
    /** channels whose task found nothing it could do now: not taken again in this pass */
    const idle = new Set<string>();
    // When to look for more channels (dueChannels reads every open delivery: milliseconds with thousands
    // queued, once for every channel task that ends if asked each time): when nothing is being served,
    // when the last look found more than there was room for, when a task ended with work possibly left
    // (a Retry-After, a lost claim), after notify() (new deliveries), and otherwise at most once a second
    // (deliveries that came due since, or were queued by another process).
    let lookAgain = true;
    let lastLook = Number.NEGATIVE_INFINITY;
    while (!rt.signal.aborted) {
      let spawned = 0;
      /** channels of this look that another worker claimed first: others may be free (look again) */
      let raced = false;
      const free = concurrency - active.size;
      const now = opts.now().getTime();
      if (free > 0 && (active.size === 0 || lookAgain || newWork || now - lastLook >= LOOK_EVERY_MS)) {
        lookAgain = false;
        newWork = false;
        lastLook = now;
        const exclude = new Set([...active.keys(), ...idle]);
        // Postgres: found and claimed in one statement (SKIP LOCKED: no races between workers). SQLite (one
        // writer): found (one more than there is room for: whether any is left over), each claimed below.
        const claimedAtOnce = postgres
          ? await claimDueChannels(opts.db, { now: opts.now(), platforms, limit: free, horizonMs: rt.horizonMs, exclude, holder: opts.holder, ttlMs: rt.claimTtlMs })
          : null;
        const due = claimedAtOnce?.map((c) => c.channel) ?? (await dueChannels(opts.db, { now: opts.now(), platforms, limit: free + 1, horizonMs: rt.horizonMs, exclude }));
        if (claimedAtOnce ? claimedAtOnce.length === free : due.length > free) lookAgain = true;
        for (const [i, channel] of due.slice(0, free).entries()) {
          const sender = opts.senders.get(channel.platform)!; // platforms are the senders' own
          const at = opts.now();
          const claimed = claimedAtOnce ? claimedAtOnce[i]! : await claimChannel(opts.db, channel, opts.holder, rt.claimTtlMs, at);
          if (!claimed) {
            lookAgain = true; // taken by another worker just now: others may be due in its place
            raced = true;
            continue;
          }
          const key = channelKey(channel);
          rt.stats.channels++;
          spawned++;
          const task = serveChannel(rt, sender, channel, { nextSendAt: claimed.nextSendAt, claimedUntil: at.getTime() + rt.claimTtlMs })
            .then((r) => {
              if (r.handled === 0) idle.add(key);
              if (!r.drained) lookAgain = true;
            })
            .finally(() => active.delete(key));
          active.set(key, task);
          // Let the event loop turn every few channels. A channel task runs, until its first send, on
          // promises that the synchronous SQLite store resolves at once: hundreds started in one go would
          // hold the loop for hundreds of ms, and every post of the batch (written by the HTTP client on a
          // later tick) would leave that much later than the task's clock says — its pace counted from
          // the wrong time (then a 429), acknowledgements of commands waiting. With an injected sleep
          // (virtual time), through it, so that time stands still.
          if (spawned % SPAWN_BATCH === 0 && !rt.signal.aborted) await turn(rt.signal);
        }
      }
      if (active.size === 0) {
        if (spawned === 0 && !raced) break;
        continue;
      }
      await Promise.race(active.values());
    }
    await Promise.all(active.values());
    return rt.stats;
  }

  function runOnce(): Promise<OutboxRunStats> {
    // a stopped worker may be asked for a single pass again (a CLI `deliveries send`)
    if (!loop && !currentPass && stopController.signal.aborted) stopController = new AbortController();
    if (!currentPass) {
      currentPass = pass().finally(() => {
        currentPass = null;
      });
    }
    return currentPass;
  }

  /** ms until the earliest open delivery is due (0 if one is due now), capped at idleMs */
  async function untilNextDue(): Promise<number> {
    if (platforms.length === 0) return idleMs;
    const row = await opts.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('status', 'in', [...OPEN_STATUSES])
      .where('platform', 'in', platforms)
      .executeTakeFirst();
    const next = row?.next ? Date.parse(String(row.next)) : Number.NaN;
    if (!Number.isFinite(next)) return idleMs;
    return Math.min(idleMs, Math.max(0, next - opts.now().getTime()));
  }

  function start(): void {
    if (loop) return;
    if (stopController.signal.aborted) stopController = new AbortController();
    const signal = stopController.signal;
    loop = (async () => {
      while (!signal.aborted) {
        let served = 0;
        try {
          served = (await runOnce()).channels;
        } catch (error) {
          opts.logger.error({ err: error }, `outbox pass failed: ${errorMessage(error)}`);
        }
        if (signal.aborted) break;
        let wait = idleMs;
        try {
          wait = await untilNextDue();
        } catch {
          /* keep idleMs */
        }
        // nothing served although something is due: it is held elsewhere or paced; do not spin
        if (served === 0) wait = Math.max(wait, Math.min(1_000, idleMs));
        // stop() and notify() both abort `wake` (one signal per sleep: nothing is left on the stop signal)
        if (wait > 0 && !signal.aborted) {
          wake = new AbortController();
          await sleep(wait, wake.signal);
          wake = null;
        }
      }
    })().finally(() => {
      loop = null;
    });
  }

  async function stop(stopOpts: { graceMs?: number } = {}): Promise<void> {
    stopController.abort();
    wake?.abort();
    const pending = [loop, currentPass].filter((p): p is Promise<any> => p !== null);
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, stopOpts.graceMs ?? 10_000);
      timer.unref?.();
    });
    await Promise.race([Promise.allSettled(pending), grace]);
    clearTimeout(timer);
  }

  return {
    runOnce,
    start,
    stop,
    notify: () => {
      newWork = true;
      wake?.abort();
    },
    get running() {
      return loop !== null;
    },
  };
}
