// What a delivery sends: its OutboundMessage, built when it is sent (alerts from the stored publication
// and letter, notices and digests from the payload), or why it should not be sent any more. An alert
// whose subscriptions are no longer active in its channel (unsubscribed or paused since it was queued)
// is cancelled rather than sent. Alerts are cached per pass: a 200-channel fan-out reads the letter once.
import type { Alert, OutboundMessage } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import type { DeliveryRow } from '../store/schema.ts';
import { getLetter } from '../store/letters.ts';
import { publicationById } from '../store/publications.ts';
import { parseIds } from '../subscriptions/subscription-rows.ts';
import { buildAlert } from './build-alert.ts';
import type { NoticePayload } from './enqueue-notice.ts';
import { digestFromPayload } from '../digests/types.ts';

export type DeliveryMessage =
  | { ok: true; message: OutboundMessage }
  | { ok: false; status: 'cancelled' | 'undeliverable'; reason: string };

export interface DeliveryMessages {
  /**
   * `checkActive: false` leaves out the check that an alert's channel still has an active subscription for
   * it: for a caller that makes the check itself, in the same write that claims the delivery
   * (claimAndStartFirstPart with alertSubscriptions(d)).
   */
  messageFor(d: DeliveryRow, opts?: { checkActive?: boolean }): Promise<DeliveryMessage>;
}

export const CANCELLED_NO_SUBSCRIPTION = 'cancelled: the channel no longer has an active subscription for it (unsubscribed or paused)';

/** The subscriptions an alert was queued for (none for notices and digests, or an alert queued without them). */
export function alertSubscriptions(d: Pick<DeliveryRow, 'kind' | 'subscription_ids'>): number[] {
  return d.kind === 'alert' ? parseIds(d.subscription_ids) : [];
}

/** Whether the delivery's channel still has an active subscription among `ids`. */
export async function hasActiveSubscription(db: Db, d: Pick<DeliveryRow, 'platform' | 'workspace' | 'channel'>, ids: readonly number[]): Promise<boolean> {
  const active = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('id', 'in', [...ids])
    .where('platform', '=', d.platform)
    .where('workspace', '=', d.workspace)
    .where('channel', '=', d.channel)
    .where('status', '=', 'active')
    .limit(1)
    .execute();
  return active.length > 0;
}

export function deliveryMessages(db: Db, baseUrl: string): DeliveryMessages {
  const alerts = new Map<number, Promise<Alert | null>>();
  const alertFor = (publicationId: number) => {
    let a = alerts.get(publicationId);
    if (!a) {
      a = (async () => {
        const publication = await publicationById(db, publicationId);
        return publication ? buildAlert(publication, await getLetter(db, publicationId), baseUrl) : null;
      })();
      a.catch(() => alerts.delete(publicationId));
      alerts.set(publicationId, a);
    }
    return a;
  };

  return {
    async messageFor(d, opts = {}) {
      if (d.kind === 'alert') {
        const ids = alertSubscriptions(d);
        if (opts.checkActive !== false && ids.length > 0 && !(await hasActiveSubscription(db, d, ids))) {
          return { ok: false, status: 'cancelled', reason: CANCELLED_NO_SUBSCRIPTION };
        }
        if (d.publication_id === null) return { ok: false, status: 'undeliverable', reason: 'an alert without a publication' };
        const alert = await alertFor(d.publication_id);
        if (!alert) return { ok: false, status: 'undeliverable', reason: `publication ${d.publication_id} is no longer in the store` };
        return { ok: true, message: { kind: 'alert', alert } };
      }
      if (d.kind === 'notice') {
        const payload = parsePayload(d.payload) as Partial<NoticePayload> | null;
        if (!payload || typeof payload.text !== 'string') return { ok: false, status: 'undeliverable', reason: 'a notice without text' };
        return { ok: true, message: payload.about ? { kind: 'notice', text: payload.text, about: payload.about } : { kind: 'notice', text: payload.text } };
      }
      if (d.kind === 'digest') {
        const digest = digestFromPayload(parsePayload(d.payload));
        return digest ? { ok: true, message: { kind: 'digest', digest } } : { ok: false, status: 'undeliverable', reason: 'a digest whose stored content cannot be read' };
      }
      return { ok: false, status: 'undeliverable', reason: `unknown delivery kind "${d.kind}"` };
    },
  };
}

function parsePayload(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
