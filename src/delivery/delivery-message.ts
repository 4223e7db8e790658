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
  messageFor(d: DeliveryRow): Promise<DeliveryMessage>;
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
    async messageFor(d) {
      if (d.kind === 'alert') {
        const ids = parseIds(d.subscription_ids);
        if (ids.length > 0) {
          const active = await db
            .selectFrom('subscriptions')
            .select('id')
            .where('id', 'in', ids)
            .where('platform', '=', d.platform)
            .where('workspace', '=', d.workspace)
            .where('channel', '=', d.channel)
            .where('status', '=', 'active')
            .execute();
          if (active.length === 0) return { ok: false, status: 'cancelled', reason: 'cancelled: the channel no longer has an active subscription for it (unsubscribed or paused)' };
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
