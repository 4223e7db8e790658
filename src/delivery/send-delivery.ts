// Sends one delivery, part by part, to its channel, paced; records each part as it goes. Resumes where a
// previous attempt stopped (parts_sent, thread_ref). A part that was being sent when a worker died
// (part_started_at set, never marked) is "in doubt": the sender's findSent is asked first, and only a
// part not found is sent again. Outcomes: rate-limited → rescheduled after Retry-After (not an attempt);
// transient → retried with backoff, then 'failed'; permanent → the channel is paused (handle-permanent.ts).
import type { ChannelRef, ChatSender, SendResult } from '../chat/types.ts';
import type { DeliveryRow } from '../store/schema.ts';
import { backoffDelay } from './backoff.ts';
import { claimAndStartFirstPart, claimDelivery } from './claim.ts';
import { partKey } from './delivery-keys.ts';
import { markFinal, markPartSent, markPartStarted, markSent, releaseDelivery, reschedule } from './delivery-marks.ts';
import { alertSubscriptions, CANCELLED_NO_SUBSCRIPTION, hasActiveSubscription } from './delivery-message.ts';
import { handlePermanent } from './handle-permanent.ts';
import { nextAfterRateLimit, nextAfterSend, waitMs } from './pacing.ts';
import { errorMessage, pause, stopping, type WorkerRuntime } from './worker-runtime.ts';

/**
 * next: go on with the channel's next delivery; stop-channel: leave the channel for now; lost: the claim
 * is gone; taken: the delivery could not be claimed (another worker has it, or it moved on since it was
 * read): leave the channel; stopped: the worker is stopping
 */
export type DeliveryOutcome = 'next' | 'stop-channel' | 'lost' | 'taken' | 'stopped';

/** The channel's pace, shared by the deliveries of one channel task: the earliest next send (ms). */
export interface Pace {
  nextAllowed: number;
}

/** What a channel task (serve-channel.ts) shares with the deliveries it sends. */
export interface ChannelTask {
  channel: ChannelRef;
  pace: Pace;
  /** keeps the worker's claim on the channel (renewing it once it is half used); false if it was lost */
  keepClaim(now: Date): Promise<boolean>;
  /** whether the delivery completed now should also record the channel's last delivery time */
  touchChannel(now: Date): boolean;
}

/** Where 200 ms of clock skew between workers cannot hide a message from findSent. */
const FIND_SENT_MARGIN_MS = 60_000;

/**
 * By default, an in-doubt part is looked up (findSent) no sooner than this after it was started
 * (OutboxWorkerOptions.inDoubtSettleMs). A platform that took the message but answered late, or not at
 * all (a timeout, a 5xx after the post), may show it in its history only seconds later; a lookup before
 * that would miss it and the part would go twice. 30 s is three times the senders' request timeout.
 * Crash recovery waits out a claim (120 s) anyway.
 */
export const IN_DOUBT_SETTLE_MS = 30_000;

/**
 * Sends one delivery of the task's channel. `row` is the delivery as read (dueDeliveries), not yet
 * claimed. A delivery that has not started is claimed in the same write that marks its first part as
 * started, just before that part is sent (claimAndStartFirstPart); one that was started before (a part in
 * doubt, or parts sent), or that will not be sent (cancelled, unreadable), is claimed first, as it is read
 * again by the claim. Store writes per delivery: one per part (the claim and first part's start; each
 * part's mark with the next one's start; the last one's with the delivery's completion).
 */
export async function sendDelivery(rt: WorkerRuntime, sender: ChatSender, task: ChannelTask, row: DeliveryRow): Promise<DeliveryOutcome> {
  const { channel, pace } = task;
  const fence = { id: row.id, holder: rt.holder };
  let d = row;
  let claimed = false;
  const claim = async (): Promise<boolean> => {
    const c = await claimDelivery(rt.db, row.id, rt.holder, rt.claimTtlMs, rt.now());
    if (!c) return false;
    d = c;
    claimed = true;
    return true;
  };
  // started before: claim it (and read it again) before anything, so the in-doubt check is ours alone
  if ((row.parts_sent > 0 || row.part_started_at !== null) && !(await claim())) return 'taken';

  // a delivery claimed later (below) has its alert's subscriptions checked by that claim
  const prepared = await rt.messages.messageFor(d, { checkActive: claimed });
  if (!prepared.ok) {
    if (!claimed && !(await claim())) return 'taken';
    const ok = await markFinal(rt.db, fence, { status: prepared.status, error: prepared.reason, now: rt.now() });
    if (ok) rt.stats[prepared.status]++;
    rt.logger.info({ deliveryId: d.id, status: prepared.status }, `delivery not sent: ${prepared.reason}`);
    return ok ? 'next' : 'lost';
  }

  let parts: unknown[];
  try {
    parts = sender.prepare(prepared.message);
    if (!Array.isArray(parts)) throw new Error('prepare() did not return a list of parts');
  } catch (error) {
    if (!claimed && !(await claim())) return 'taken';
    return recordFailedAttempt(rt, d, `could not render the message: ${errorMessage(error)}`, true);
  }
  if (parts.length === 0) {
    // nothing to send: done (claimed first, as every write on a delivery is fenced)
    if (!claimed && !(await claim())) return 'taken';
    if (!(await markSent(rt.db, fence, { partsTotal: 0, now: rt.now() }))) return 'lost';
    rt.stats.delivered++;
    return 'next';
  }

  let sent = Math.min(d.parts_sent, parts.length);
  let threadRef = d.thread_ref;

  if (d.part_started_at !== null && sent < parts.length) {
    const key = partKey(d.dedupe_key, sent);
    const settledAt = Date.parse(d.part_started_at) + rt.inDoubtSettleMs;
    if (sender.findSent && rt.now().getTime() < settledAt) {
      // too soon to tell: come back once the platform has had time to show the part (not an attempt)
      const ok = await reschedule(rt.db, fence, { nextAttemptAt: new Date(settledAt), attempts: d.attempts, error: d.last_error, inDoubt: true, now: rt.now() });
      return ok ? 'next' : 'lost';
    }
    if (sender.findSent) {
      let found: Awaited<ReturnType<NonNullable<ChatSender['findSent']>>>;
      try {
        found = await sender.findSent(channel, key, new Date(Date.parse(d.part_started_at) - FIND_SENT_MARGIN_MS));
      } catch (error) {
        return recordFailedAttempt(rt, d, `could not check whether part ${sent + 1} was sent before: ${errorMessage(error)}`, true);
      }
      if (found.found) {
        if (sent === 0) threadRef = found.ref;
        const complete = sent + 1 === parts.length;
        const ok = complete
          ? await markSent(rt.db, fence, { partsTotal: parts.length, threadRef, now: rt.now(), touchChannel: task.touchChannel(rt.now()) ? channel : null })
          : await markPartSent(rt.db, fence, { partsSent: sent + 1, threadRef, now: rt.now() });
        if (!ok) return 'lost';
        rt.stats.parts++;
        rt.stats.foundInDoubt++;
        sent++;
        if (complete) {
          rt.stats.delivered++;
          return 'next';
        }
      }
    } else {
      rt.logger.warn({ deliveryId: d.id, part: sent }, 'a part may have been sent before a crash and this platform cannot check: sending it again');
    }
  }

  /** the part `sent` is already marked as started (by the write that counted the one before it) */
  let nextMarked = false;
  const giveBack = async (): Promise<DeliveryOutcome> => (!claimed || (await releaseDelivery(rt.db, fence, rt.now(), { notSent: nextMarked })) ? 'stopped' : 'lost');
  while (sent < parts.length) {
    if (stopping(rt)) return giveBack();
    const wait = waitMs(pace.nextAllowed, rt.now().getTime());
    if (wait > 0) {
      await pause(rt, wait);
      if (stopping(rt)) return giveBack();
    }
    const startedAt = rt.now();
    if (!(await task.keepClaim(startedAt))) return claimed ? 'lost' : 'taken';
    if (!claimed) {
      // only the claim changes (status, claimed_by/until, part_started_at, parts_total): `d` as read stays right
      const subscriptions = alertSubscriptions(d);
      if (!(await claimAndStartFirstPart(rt.db, d, rt.holder, { ttlMs: rt.claimTtlMs, now: startedAt, partsTotal: parts.length, activeSubscriptions: subscriptions }))) {
        // not claimed: another worker has it, or no one here wants the alert any more (unsubscribed, paused)
        if (subscriptions.length === 0 || (await hasActiveSubscription(rt.db, d, subscriptions))) return 'taken';
        if (!(await claim())) return 'taken';
        const ok = await markFinal(rt.db, fence, { status: 'cancelled', error: CANCELLED_NO_SUBSCRIPTION, now: rt.now() });
        if (ok) rt.stats.cancelled++;
        rt.logger.info({ deliveryId: d.id, status: 'cancelled' }, `delivery not sent: ${CANCELLED_NO_SUBSCRIPTION}`);
        return ok ? 'next' : 'lost';
      }
      claimed = true;
    } else if (!nextMarked && !(await markPartStarted(rt.db, fence, { partsTotal: parts.length, now: startedAt, ttlMs: rt.claimTtlMs }))) {
      return 'lost';
    }
    nextMarked = false;
    // paced from when the part leaves (after the writes above), as the sender's own spacing counts
    pace.nextAllowed = nextAfterSend(pace.nextAllowed, rt.now().getTime(), sender.channelIntervalMs);

    let result: SendResult;
    try {
      result = await sender.sendPart(channel, parts[sent], { threadRef: sent === 0 ? null : threadRef, dedupeKey: partKey(d.dedupe_key, sent) });
      if (!result || typeof result !== 'object') throw new Error('sendPart() returned no result');
    } catch (error) {
      result = { ok: false, kind: 'transient', message: `the sender failed: ${errorMessage(error)}` };
    }
    const now = rt.now();

    if (result.ok) {
      if (sent === 0) threadRef = result.ref ?? null;
      if (sent + 1 === parts.length) {
        // the last part: its mark and the delivery's completion in one write
        if (!(await markSent(rt.db, fence, { partsTotal: parts.length, threadRef, now, touchChannel: task.touchChannel(now) ? channel : null }))) return 'lost';
        rt.stats.parts++;
        rt.stats.delivered++;
        return 'next';
      }
      // counted, and the next part marked as started, in one write
      if (!(await markPartSent(rt.db, fence, { partsSent: sent + 1, threadRef, now, startNext: { ttlMs: rt.claimTtlMs } }))) return 'lost';
      rt.stats.parts++;
      sent++;
      nextMarked = true;
      continue;
    }
    if (result.kind === 'rate-limited') {
      pace.nextAllowed = nextAfterRateLimit(pace.nextAllowed, now.getTime(), result.retryAfterMs);
      const ok = await reschedule(rt.db, fence, {
        nextAttemptAt: new Date(pace.nextAllowed), attempts: d.attempts, error: `rate-limited: ${result.message}`, inDoubt: false, now,
      });
      if (ok) rt.stats.rateLimited++;
      rt.logger.info({ deliveryId: d.id, channel, retryAfterMs: result.retryAfterMs }, 'rate-limited: the channel waits for Retry-After');
      return ok ? 'stop-channel' : 'lost';
    }
    if (result.kind === 'permanent') {
      const outcome = await handlePermanent(rt.db, {
        delivery: d, holder: rt.holder, code: result.code, message: result.message, now, reachableWithinMs: rt.reachableWithinMs,
      });
      if (!outcome.recorded) return 'lost';
      rt.stats.undeliverable++;
      rt.logger.warn(
        { deliveryId: d.id, channel, code: result.code, paused: outcome.paused.length, noticeTo: outcome.noticeTo },
        `channel unreachable (${result.code}: ${result.message}): its subscriptions are paused`,
      );
      return 'stop-channel';
    }
    // transient (or anything unexpected): the part may or may not have arrived; it stays in doubt
    return recordFailedAttempt(rt, d, result.message ?? 'unknown failure', true);
  }

  // every part was already sent (found in doubt, or counted before): complete the delivery
  if (!(await markSent(rt.db, fence, { partsTotal: parts.length, threadRef, now: rt.now(), touchChannel: task.touchChannel(rt.now()) ? channel : null }))) return 'lost';
  rt.stats.delivered++;
  return 'next';
}

/** One failed attempt: rescheduled with backoff and jitter, or 'failed' once attempts run out. */
export async function recordFailedAttempt(rt: WorkerRuntime, d: DeliveryRow, error: string, keepInDoubt: boolean): Promise<DeliveryOutcome> {
  const fence = { id: d.id, holder: rt.holder };
  const attempts = d.attempts + 1;
  const now = rt.now();
  if (attempts >= rt.maxAttempts) {
    const ok = await markFinal(rt.db, fence, { status: 'failed', attempts, error, now });
    if (ok) rt.stats.failed++;
    rt.logger.error({ deliveryId: d.id, attempts }, `delivery failed after ${attempts} attempts: ${error}`);
    return ok ? 'next' : 'lost';
  }
  const delay = backoffDelay(attempts, rt.backoff);
  const ok = await reschedule(rt.db, fence, { nextAttemptAt: new Date(now.getTime() + delay), attempts, error, inDoubt: keepInDoubt, now });
  if (ok) rt.stats.retried++;
  rt.logger.warn({ deliveryId: d.id, attempts, retryInMs: delay }, `delivery attempt failed, will retry: ${error}`);
  return ok ? 'next' : 'lost';
}
