// The "deliveries" consumer of publication.new events: turns each new publication into one delivery per
// subscribed channel. It waits (keeping event order) until the letter is settled — read, or failed for
// good — because theme filters need the letter's themes; a letter still unsettled after maxLetterWaitMs
// goes out as "summary unavailable" rather than holding every later alert back. For each batch of
// events, ONE transaction inserts the deliveries (a unique key per publication and channel: a replay
// inserts nothing new) and moves the offset past them, so a crash replays events and never loses or
// doubles one. One transaction rather than one per event: a busy morning's publications go to the same
// channels, and each commit wrote the same index pages again (20 publications to 500 channels: 37 ms of
// commits in 20 transactions).
// Re-publications (a new file for a known publication) are not alerted again.
import type { AuthorityDirectory } from '../app/authority-directory.ts';
import type { ChannelRef, Subscription } from '../chat/types.ts';
import type { Logger } from '../log/logger.ts';
import type { Db } from '../store/db.ts';
import { eventsAfter, getOffset, setOffset } from '../store/events.ts';
import { getLetter } from '../store/letters.ts';
import { publicationById } from '../store/publications.ts';
import type { EventRow, Publication } from '../store/schema.ts';
import { isSettled } from '../pipeline/ensure-letter.ts';
import { letterThemes } from '../subscriptions/letter-themes.ts';
import { matchChannels, type ChannelMatch, type PublicationFacts } from '../subscriptions/matching.ts';
import { toSubscription } from '../subscriptions/subscription-rows.ts';
import { asPublicationType } from './build-alert.ts';
import { alertKey } from './delivery-keys.ts';
import { refreshPlannerStatistics } from '../store/optimize.ts';

export const FAN_OUT_CONSUMER = 'deliveries';

export interface FanOutDeps {
  db: Db;
  directory: Pick<AuthorityDirectory, 'registry'>;
  now: () => Date;
  logger: Logger;
}

export interface FanOutOptions {
  batch?: number;
  /** after this long since the event, an unsettled letter no longer holds the alert back (default 6 h) */
  maxLetterWaitMs?: number;
}

export interface FanOutResult {
  /** publication.new events handled (offset moved past them) */
  events: number;
  /** deliveries queued */
  deliveries: number;
  /** true when an event waits for its letter */
  waiting: boolean;
}

const INSERT_CHUNK = 200;


export async function fanOut(deps: FanOutDeps, opts: FanOutOptions = {}): Promise<FanOutResult> {
  const maxWait = opts.maxLetterWaitMs ?? 6 * 3_600_000;
  const offset = await getOffset(deps.db, FAN_OUT_CONSUMER);
  // every kind is read, so the offset (and `health`'s "behind") passes events this consumer ignores
  const events = await eventsAfter(deps.db, offset, opts.batch ?? 50);
  const result: FanOutResult = { events: 0, deliveries: 0, waiting: false };
  // read first, in event order, up to a letter that must still be waited for
  const plan: { event: EventRow; publication: Publication | undefined; pub: PublicationFacts | null; themes: ReadonlySet<string> | null; unsettled: boolean }[] = [];
  let through: number | null = null;
  for (const event of events) {
    if (event.kind !== 'publication.new') {
      through = event.id;
      continue;
    }
    const publication = await publicationById(deps.db, event.publication_id);
    const letter = await getLetter(deps.db, event.publication_id);
    const unsettled = publication !== undefined && !isSettled(letter, publication.file_id);
    if (unsettled && !(deps.now().getTime() - Date.parse(event.created_at) >= maxWait)) {
      result.waiting = true;
      break;
    }
    plan.push({ event, publication, pub: publication ? facts(deps, publication) : null, themes: letterThemes(letter), unsettled });
    through = event.id;
  }
  if (through === null) return result;
  // the subscriptions whose targets cover any of the batch's councils, read once for the batch (a busy
  // morning brings many publications to the same channels)
  const covering = plan.flatMap((p) => (p.pub ? [p.pub] : []));
  const subscriptions = covering.length > 0 ? await immediateSubscriptions(deps.db, { covering }) : [];
  const queued = await deps.db.transaction().execute(async (tx) => {
    const counts: number[] = [];
    for (const p of plan) counts.push(p.publication && p.pub ? await queueAlerts(tx, p.publication, p.pub, p.themes, deps.now(), { subscriptions }) : 0);
    await setOffset(tx, FAN_OUT_CONSUMER, through!, deps.now());
    return counts;
  });
  for (const [i, p] of plan.entries()) {
    if (p.unsettled) deps.logger.warn({ publicationId: p.event.publication_id, eventId: p.event.id }, 'letter still not settled: alerted without its summary');
    if (queued[i]! > 0) deps.logger.info({ publicationId: p.event.publication_id, deliveries: queued[i] }, 'alerts queued');
    result.deliveries += queued[i]!;
  }
  result.events = plan.length;
  if (result.deliveries >= 100) await refreshPlannerStatistics(deps.db);
  return result;
}

/**
 * A channel that switches from digests to immediate alerts (`digest off`) would otherwise never hear of
 * what was announced since its last digest: the fan-out skipped it then. This queues those alerts for
 * that channel alone (unique keys make a repeat impossible).
 */
export async function catchUpChannel(deps: FanOutDeps, channel: ChannelRef, since: Date): Promise<number> {
  const events = await deps.db
    .selectFrom('events')
    .select(['publication_id'])
    .where('kind', '=', 'publication.new')
    .where('created_at', '>=', since.toISOString())
    .orderBy('id')
    .execute();
  let queued = 0;
  for (const e of events) {
    const publication = await publicationById(deps.db, e.publication_id);
    if (!publication) continue;
    const themes = letterThemes(await getLetter(deps.db, publication.id));
    queued += await queueAlerts(deps.db, publication, facts(deps, publication), themes, deps.now(), { channel });
  }
  return queued;
}

function facts(deps: FanOutDeps, p: Publication): PublicationFacts {
  const authority = deps.directory.registry().byUrn(p.authority_urn);
  return { urn: p.authority_urn, regionCode: authority?.regionCode ?? null, type: asPublicationType(p.type) };
}

/**
 * Active subscriptions that want alerts as they come, oldest first: those whose target covers any of
 * `covering`'s councils (the whole country, the council, its region), or one channel's.
 */
async function immediateSubscriptions(db: Db, scope: { covering: readonly PublicationFacts[] } | { channel: ChannelRef }): Promise<Subscription[]> {
  let query = db.selectFrom('subscriptions').selectAll().where('status', '=', 'active').where('frequency', '=', 'immediate');
  if ('channel' in scope) {
    query = query.where('platform', '=', scope.channel.platform).where('workspace', '=', scope.channel.workspace).where('channel', '=', scope.channel.channel);
  } else {
    const urns = [...new Set(scope.covering.map((f) => f.urn))];
    const regions = [...new Set(scope.covering.flatMap((f) => (f.regionCode ? [f.regionCode] : [])))];
    query = query.where((eb) => {
      const targets = [eb('target_kind', '=', 'all'), eb.and([eb('target_kind', '=', 'authority'), eb('target_value', 'in', urns)])];
      if (regions.length > 0) targets.push(eb.and([eb('target_kind', '=', 'region'), eb('target_value', 'in', regions)]));
      return eb.or(targets);
    });
  }
  return (await query.orderBy('id').execute()).map(toSubscription);
}

/**
 * Inserts one alert delivery per matching channel; returns how many were new. From `subscriptions`, the
 * active immediate ones the caller has read, or from `channel`'s own (read here: a catch-up after it left
 * digests).
 */
export async function queueAlerts(
  db: Db,
  publication: Publication,
  pub: PublicationFacts,
  themes: ReadonlySet<string> | null,
  now: Date,
  from: { subscriptions: readonly Subscription[] } | { channel: ChannelRef },
): Promise<number> {
  const subscriptions = 'subscriptions' in from ? from.subscriptions : await immediateSubscriptions(db, { channel: from.channel });
  const matches = matchChannels(subscriptions, pub, themes);
  return insertDeliveries(db, publication.id, matches, now);
}

async function insertDeliveries(db: Db, publicationId: number, matches: readonly ChannelMatch[], now: Date): Promise<number> {
  const iso = now.toISOString();
  let inserted = 0;
  for (let i = 0; i < matches.length; i += INSERT_CHUNK) {
    const values = matches.slice(i, i + INSERT_CHUNK).map((m) => ({
      dedupe_key: alertKey(publicationId, m.channel),
      kind: 'alert',
      publication_id: publicationId,
      platform: m.channel.platform,
      workspace: m.channel.workspace,
      channel: m.channel.channel,
      subscription_ids: JSON.stringify(m.subscriptionIds),
      payload: null,
      status: 'pending',
      attempts: 0,
      next_attempt_at: iso,
      parts_sent: 0,
      created_at: iso,
      updated_at: iso,
    }));
    const r = await db
      .insertInto('deliveries')
      .values(values)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}
