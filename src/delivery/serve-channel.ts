// One channel task: with the channel claimed, sends its due deliveries in order, paced, until none is
// due, the channel must wait (Retry-After, unreachable), the claim is lost, or the worker stops. Then
// lets the channel go, storing its pace for the next pass or worker.
import type { ChannelRef, ChatSender } from '../chat/types.ts';
import { claimDelivery, nextDueDelivery, releaseChannel } from './claim.ts';
import { paceFromStored, paceToStored, waitMs } from './pacing.ts';
import { recordFailedAttempt, sendDelivery, type Pace } from './send-delivery.ts';
import { errorMessage, stopping, type WorkerRuntime } from './worker-runtime.ts';

/** Returns how many deliveries it took on (0: nothing could be done now; the pass leaves the channel alone). */
export async function serveChannel(rt: WorkerRuntime, sender: ChatSender, channel: ChannelRef, claimed: { nextSendAt: string | null }): Promise<number> {
  const pace: Pace = { nextAllowed: paceFromStored(claimed.nextSendAt) };
  let handled = 0;
  try {
    while (!stopping(rt)) {
      const now = rt.now();
      if (waitMs(pace.nextAllowed, now.getTime()) > rt.horizonMs) break; // a long Retry-After: come back later
      const next = await nextDueDelivery(rt.db, channel, rt.holder, now);
      if (!next) break;
      const d = await claimDelivery(rt.db, next.id, rt.holder, rt.claimTtlMs, now);
      if (!d) break;
      handled++;
      let outcome;
      try {
        outcome = await sendDelivery(rt, sender, channel, d, pace);
      } catch (error) {
        // a store error mid-delivery: count an attempt so a persistent fault cannot spin
        rt.logger.error({ deliveryId: d.id, err: error }, `delivery interrupted: ${errorMessage(error)}`);
        outcome = await recordFailedAttempt(rt, d, `interrupted: ${errorMessage(error)}`, true).catch(() => 'lost' as const);
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
    await releaseChannel(rt.db, channel, rt.holder, paceToStored(pace.nextAllowed), rt.now()).catch((error: unknown) =>
      rt.logger.error({ channel, err: error }, `could not release the channel: ${errorMessage(error)}`),
    );
  }
  return handled;
}
