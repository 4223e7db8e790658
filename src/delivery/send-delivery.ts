// Sends one claimed delivery, part by part, to its channel, paced; records each part as it goes.
// Resumes where a previous attempt stopped (parts_sent, thread_ref). A part that was being sent when a
// worker died (part_started_at set, never marked) is "in doubt": the sender's findSent is asked first,
// and only a part not found is sent again. Outcomes: rate-limited → rescheduled after Retry-After
// (not an attempt); transient → retried with backoff, then 'failed'; permanent → the channel is paused
// (handle-permanent.ts).
import type { ChannelRef, ChatSender, SendResult } from '../chat/types.ts';
import type { DeliveryRow } from '../store/schema.ts';
import { backoffDelay } from './backoff.ts';
import { renewChannel } from './claim.ts';
import { partKey } from './delivery-keys.ts';
import { markFinal, markPartSent, markPartStarted, markSent, releaseDelivery, reschedule } from './delivery-marks.ts';
import { handlePermanent } from './handle-permanent.ts';
import { nextAfterRateLimit, nextAfterSend, waitMs } from './pacing.ts';
import { errorMessage, pause, stopping, type WorkerRuntime } from './worker-runtime.ts';

/** next: go on with the channel's next delivery; stop-channel: leave the channel for now; lost: the claim is gone; stopped: the worker is stopping */
export type DeliveryOutcome = 'next' | 'stop-channel' | 'lost' | 'stopped';

/** The channel's pace, shared by the deliveries of one channel task: the earliest next send (ms). */
export interface Pace {
  nextAllowed: number;
}

/** Where 200 ms of clock skew between workers cannot hide a message from findSent. */
const FIND_SENT_MARGIN_MS = 60_000;

export async function sendDelivery(rt: WorkerRuntime, sender: ChatSender, channel: ChannelRef, d: DeliveryRow, pace: Pace): Promise<DeliveryOutcome> {
  const fence = { id: d.id, holder: rt.holder };
  const prepared = await rt.messages.messageFor(d);
  if (!prepared.ok) {
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
    return recordFailedAttempt(rt, d, `could not render the message: ${errorMessage(error)}`, true);
  }

  let sent = Math.min(d.parts_sent, parts.length);
  let threadRef = d.thread_ref;

  if (d.part_started_at !== null && sent < parts.length) {
    const key = partKey(d.dedupe_key, sent);
    if (sender.findSent) {
      let found: Awaited<ReturnType<NonNullable<ChatSender['findSent']>>>;
      try {
        found = await sender.findSent(channel, key, new Date(Date.parse(d.part_started_at) - FIND_SENT_MARGIN_MS));
      } catch (error) {
        return recordFailedAttempt(rt, d, `could not check whether part ${sent + 1} was sent before: ${errorMessage(error)}`, true);
      }
      if (found.found) {
        if (sent === 0) threadRef = found.ref;
        if (!(await markPartSent(rt.db, fence, { partsSent: sent + 1, threadRef, now: rt.now() }))) return 'lost';
        rt.stats.parts++;
        rt.stats.foundInDoubt++;
        sent++;
      }
    } else {
      rt.logger.warn({ deliveryId: d.id, part: sent }, 'a part may have been sent before a crash and this platform cannot check: sending it again');
    }
  }

  while (sent < parts.length) {
    if (stopping(rt)) return (await releaseDelivery(rt.db, fence, rt.now())) ? 'stopped' : 'lost';
    const wait = waitMs(pace.nextAllowed, rt.now().getTime());
    if (wait > 0) {
      await pause(rt, wait);
      if (stopping(rt)) return (await releaseDelivery(rt.db, fence, rt.now())) ? 'stopped' : 'lost';
    }
    const startedAt = rt.now();
    if (!(await markPartStarted(rt.db, fence, { partsTotal: parts.length, now: startedAt, ttlMs: rt.claimTtlMs }))) return 'lost';
    if (!(await renewChannel(rt.db, channel, rt.holder, rt.claimTtlMs, startedAt))) return 'lost';
    pace.nextAllowed = nextAfterSend(pace.nextAllowed, startedAt.getTime(), sender.channelIntervalMs);

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
      if (!(await markPartSent(rt.db, fence, { partsSent: sent + 1, threadRef, now }))) return 'lost';
      rt.stats.parts++;
      sent++;
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

  if (!(await markSent(rt.db, fence, { partsTotal: parts.length, now: rt.now(), channel }))) return 'lost';
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
