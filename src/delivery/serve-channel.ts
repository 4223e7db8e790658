// One channel task: with the channel claimed, sends its due deliveries in order, paced, until none is
// due, the channel must wait (Retry-After, unreachable), the claim is lost, or the worker stops. Then
// lets the channel go, storing its pace for the next pass or worker.
//
// What it costs the store: the channel's due deliveries are read a few at a time (not one query per
// delivery), and the claim on the channel is renewed once half its time is used (not before every part);
// each delivery then costs the writes send-delivery.ts describes.
import type { ChannelRef, ChatSender } from '../chat/types.ts';
import type { DeliveryRow } from '../store/schema.ts';
import { claimDelivery, dueDeliveries, releaseChannel, renewChannel } from './claim.ts';
import { paceFromStored, paceToStored, waitMs } from './pacing.ts';
import { recordFailedAttempt, sendDelivery, type ChannelTask, type DeliveryOutcome, type Pace } from './send-delivery.ts';
import { errorMessage, stopping, type WorkerRuntime } from './worker-runtime.ts';

/** deliveries read at once for a channel (a few: rows are held in memory while the channel works through them) */
const READ_AHEAD = 8;
/** how often a busy channel's last_delivered_at is written while it is served (it feeds a 30-day "reachable" window) */
const TOUCH_EVERY_MS = 60_000;

/** What a channel task did: how many deliveries it took on (0: nothing could be done now; the pass leaves
 * the channel alone), and whether it ended because none was due any more (rather than a wait, a lost claim
 * or a stop, after which the channel may have work left). */
export interface ChannelTaskResult {
  handled: number;
  drained: boolean;
}

/** `claimed`: the channel's stored next-send time, and when the claim (made just before) runs out (ms). */
export async function serveChannel(
  rt: WorkerRuntime,
  sender: ChatSender,
  channel: ChannelRef,
  claimed: { nextSendAt: string | null; claimedUntil?: number },
): Promise<ChannelTaskResult> {
  const pace: Pace = { nextAllowed: paceFromStored(claimed.nextSendAt) };
  let claimUntil = claimed.claimedUntil ?? rt.now().getTime() + rt.claimTtlMs;
  // last_delivered_at: written when the channel is let go, and every TOUCH_EVERY_MS while it is served
  // (not with the first delivery: a busy morning's first messages to hundreds of channels wait for no
  // extra write); a delivery since the last write is `untouched`
  let touchedAt = rt.now().getTime();
  let untouched: Date | null = null;
  const task: ChannelTask = {
    channel,
    pace,
    async keepClaim(now) {
      if (claimUntil - now.getTime() >= rt.claimTtlMs / 2) return true;
      if (!(await renewChannel(rt.db, channel, rt.holder, rt.claimTtlMs, now))) return false;
      claimUntil = now.getTime() + rt.claimTtlMs;
      return true;
    },
    touchChannel(now) {
      if (now.getTime() - touchedAt < TOUCH_EVERY_MS) {
        untouched = now;
        return false;
      }
      touchedAt = now.getTime();
      untouched = null;
      return true;
    },
  };
  const ahead: DeliveryRow[] = [];
  let handled = 0;
  let drained = false;
  try {
    while (!stopping(rt)) {
      const now = rt.now();
      if (waitMs(pace.nextAllowed, now.getTime()) > rt.horizonMs) break; // a long Retry-After: come back later
      if (ahead.length === 0) ahead.push(...(await dueDeliveries(rt.db, channel, rt.holder, now, READ_AHEAD)));
      const d = ahead.shift();
      if (!d) {
        drained = true;
        break;
      }
      handled++;
      let outcome: DeliveryOutcome;
      try {
        outcome = await sendDelivery(rt, sender, task, d);
      } catch (error) {
        // a store error mid-delivery: count an attempt (under a claim) so a persistent fault cannot spin
        rt.logger.error({ deliveryId: d.id, err: error }, `delivery interrupted: ${errorMessage(error)}`);
        const held = await claimDelivery(rt.db, d.id, rt.holder, rt.claimTtlMs, rt.now()).catch(() => undefined);
        outcome = held ? await recordFailedAttempt(rt, held, `interrupted: ${errorMessage(error)}`, true).catch(() => 'lost' as const) : 'lost';
      }
      if (outcome === 'taken') {
        handled--; // not ours after all (as if it had not been read)
        break;
      }
      if (outcome === 'lost') {
        rt.logger.warn({ deliveryId: d.id, channel }, 'lost the claim on a delivery (another worker took it over): leaving it');
        break;
      }
      if (outcome !== 'next') break;
    }
  } catch (error) {
    rt.logger.error({ channel, err: error }, `outbox channel task failed: ${errorMessage(error)}`);
  } finally {
    // fenced by claimed_by: a no-op if another worker holds the channel now
    await releaseChannel(rt.db, channel, rt.holder, paceToStored(pace.nextAllowed), rt.now(), untouched).catch((error: unknown) =>
      rt.logger.error({ channel, err: error }, `could not release the channel: ${errorMessage(error)}`),
    );
  }
  return { handled, drained };
}
