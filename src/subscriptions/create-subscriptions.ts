// CreateSubscriptions: subscribes a channel to councils, regions or all councils, with optional type and
// theme filters, in one transaction. Idempotent: a target the channel already follows with the same
// filters is reported as "already had"; with other filters, or paused, it is updated and made active.
// New subscriptions take the channel's digest frequency.
import type { ChannelRef, Subscription } from '../chat/types.ts';
import type { PublicationType } from '../letters/types.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from './in-transaction.ts';
import { digestOf, frequencyOf, getChannel, rememberChannel } from './channels.ts';
import { liveSubscriptionRows } from './live-subscriptions.ts';
import { filterJson, targetKey, toSubscription, type ResolvedTarget } from './subscription-rows.ts';
import { isUniqueViolation } from './unique-violation.ts';

export interface CreateSubscriptionsInput {
  channel: ChannelRef;
  createdBy: string;
  targets: readonly ResolvedTarget[];
  /** empty: every type */
  types: readonly PublicationType[];
  /** empty: every theme */
  themes: readonly string[];
  now: Date;
}

export interface CreateSubscriptionsResult {
  created: Subscription[];
  /** already followed, active, with the same filters: nothing changed */
  alreadyHad: Subscription[];
  /** already followed: its filters were replaced, or it was paused and is active again */
  updated: Subscription[];
}

export async function createSubscriptions(db: Db, input: CreateSubscriptionsInput): Promise<CreateSubscriptionsResult> {
  try {
    return await attempt(db, input);
  } catch (error) {
    // a concurrent command made the same subscription between our read and our insert: read again
    if (isUniqueViolation(error) && !db.isTransaction) return attempt(db, input);
    throw error;
  }
}

function attempt(db: Db, input: CreateSubscriptionsInput): Promise<CreateSubscriptionsResult> {
  const iso = input.now.toISOString();
  const types = filterJson(input.types);
  const themes = filterJson(input.themes);
  const seen = new Set<string>();
  const targets = input.targets.filter((t) => {
    const k = targetKey(t.target);
    const id = `${k.kind}:${k.value}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });

  return inTransaction(db, async (tx) => {
    await rememberChannel(tx, input.channel, input.now);
    const frequency = frequencyOf(digestOf(await getChannel(tx, input.channel)));
    const existing = await liveSubscriptionRows(tx, input.channel, targets);
    const result: CreateSubscriptionsResult = { created: [], alreadyHad: [], updated: [] };
    for (const t of targets) {
      const k = targetKey(t.target);
      const row = existing.find((r) => r.target_kind === k.kind && r.target_value === k.value);
      if (!row) {
        const inserted = await tx
          .insertInto('subscriptions')
          .values({
            platform: input.channel.platform,
            workspace: input.channel.workspace,
            channel: input.channel.channel,
            target_kind: k.kind,
            target_value: k.value,
            target_name: t.name,
            types,
            themes,
            frequency,
            status: 'active',
            status_reason: null,
            created_by: input.createdBy,
            created_at: iso,
            updated_at: iso,
            ended_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        result.created.push(toSubscription(inserted));
      } else if (row.status === 'active' && row.types === types && row.themes === themes) {
        result.alreadyHad.push(toSubscription(row));
      } else {
        const updated = await tx
          .updateTable('subscriptions')
          .set({ types, themes, frequency, status: 'active', status_reason: null, target_name: t.name, updated_at: iso })
          .where('id', '=', row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        result.updated.push(toSubscription(updated));
      }
    }
    return result;
  });
}
