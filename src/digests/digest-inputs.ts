// What a digest run reads from the store, each ONCE per run whatever the number of channels:
// the publications announced in the run's windows (with their letters, precomputed by publicationData),
// the daily/weekly subscriptions that could cover them, the alerts already queued for them to channels
// now on digests, and the channels on a digest schedule.
//
// A publication is in a window when its publication.new event was written in it: when the watcher first
// saw and announced it (Ofsted's publication date is a day without a time, and the watcher may see a
// publication a day late; the announcement time puts every announced publication in exactly one window of
// each channel: no gaps, no repeats). A re-publication (a new file for a known publication) is not a new
// publication: shown once, with the newest file, marked re-published if replaced during the window.
import type { ChannelRef } from '../chat/types.ts';
import { channelKey } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import type { ChannelRow, Letter, Publication } from '../store/schema.ts';
import { isSettled } from '../pipeline/ensure-letter.ts';
import { digestOf } from '../subscriptions/channels.ts';
import { parseStrings, parseTypes, targetFromKey } from '../subscriptions/subscription-rows.ts';
import { JUDGEMENT_AREAS, type Judgements, type LetterStructure } from '../letters/types.ts';
import { publicationData, type DigestSubscription, type PreviousInspection, type PublicationData } from './build-digest.ts';
import { scheduleOf, type DigestSchedule } from './windows.ts';

const IN_CHUNK = 500;

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface InputOptions {
  baseUrl: string;
  /** the council's ONS region (for region subscriptions), null if unknown */
  regionOf: (urn: string) => string | null;
}

/** Publications announced in [start, end), each with what any digest needs of it. */
export async function loadWindowPublications(db: Db, range: { start: number; end: number }, opts: InputOptions): Promise<PublicationData[]> {
  const from = new Date(range.start).toISOString();
  const to = new Date(range.end).toISOString();
  const events = await db
    .selectFrom('events')
    .select(['publication_id', 'kind', 'created_at'])
    .where('kind', 'in', ['publication.new', 'publication.republished'])
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .execute();
  const announced = new Map<number, string>();
  const republished = new Set<number>();
  for (const e of events) {
    if (e.kind === 'publication.new') {
      const seen = announced.get(e.publication_id);
      if (!seen || e.created_at < seen) announced.set(e.publication_id, e.created_at);
    } else republished.add(e.publication_id);
  }
  if (announced.size === 0) return [];
  const ids = [...announced.keys()].sort((a, b) => a - b);
  return publicationsWithData(db, ids, (id) => ({ announcedAt: announced.get(id)!, republished: republished.has(id) }), opts);
}

/** Builds PublicationData for the given publication ids (preview and runs). */
export async function publicationsWithData(
  db: Db,
  ids: readonly number[],
  extra: (id: number) => { announcedAt: string; republished: boolean },
  opts: InputOptions,
): Promise<PublicationData[]> {
  const pubs: Publication[] = [];
  const letters = new Map<number, Letter>();
  for (const part of chunks(ids)) {
    pubs.push(...(await db.selectFrom('publications').selectAll().where('id', 'in', part).execute()));
    for (const l of await db.selectFrom('letters').selectAll().where('publication_id', 'in', part).execute()) letters.set(l.publication_id, l);
  }
  const previous = await previousInspections(db, pubs);
  return pubs.map((publication) => {
    const letter = letters.get(publication.id);
    return publicationData({
      publication,
      letter,
      ...extra(publication.id),
      regionCode: opts.regionOf(publication.authority_urn),
      settled: isSettled(letter, publication.file_id),
      previousInspection: previous.get(publication.id) ?? null,
      baseUrl: opts.baseUrl,
    });
  });
}

/**
 * For each inspection among `pubs`: the council's latest earlier inspection whose letter was read and
 * gives at least one grade. Each earlier letter's structure is read at most once.
 */
async function previousInspections(db: Db, pubs: readonly Publication[]): Promise<Map<number, PreviousInspection>> {
  const out = new Map<number, PreviousInspection>();
  const inspections = pubs.filter((p) => p.type === 'inspection');
  if (inspections.length === 0) return out;
  const urns = [...new Set(inspections.map((p) => p.authority_urn))];
  const candidates: Pick<Publication, 'id' | 'authority_urn' | 'publication_date' | 'url'>[] = [];
  for (const part of chunks(urns)) {
    candidates.push(
      ...(await db
        .selectFrom('publications')
        .select(['id', 'authority_urn', 'publication_date', 'url'])
        .where('type', '=', 'inspection')
        .where('authority_urn', 'in', part)
        .execute()),
    );
  }
  candidates.sort((a, b) => (a.publication_date < b.publication_date ? 1 : a.publication_date > b.publication_date ? -1 : b.id - a.id));
  const grades = new Map<number, Judgements | null>();
  const gradesOf = async (id: number): Promise<Judgements | null> => {
    if (grades.has(id)) return grades.get(id)!;
    const row = await db.selectFrom('letters').select(['status', 'structure']).where('publication_id', '=', id).executeTakeFirst();
    let j: Judgements | null = null;
    if (row?.status === 'ok' && row.structure) {
      try {
        const s = JSON.parse(row.structure) as LetterStructure;
        if (s?.judgements && JUDGEMENT_AREAS.some((a) => s.judgements[a])) j = s.judgements;
      } catch {
        j = null;
      }
    }
    grades.set(id, j);
    return j;
  };
  for (const p of inspections) {
    for (const c of candidates) {
      if (c.authority_urn !== p.authority_urn || c.id === p.id) continue;
      const earlier = c.publication_date < p.publication_date || (c.publication_date === p.publication_date && c.id < p.id);
      if (!earlier) continue;
      const j = await gradesOf(c.id);
      if (j) {
        out.set(p.id, { publicationId: c.id, publicationDate: c.publication_date, url: c.url, judgements: j });
        break;
      }
    }
  }
  return out;
}

/** Active daily/weekly subscriptions that could cover any of the publications, by channel key. */
export async function loadDigestSubscriptions(db: Db, pubs: readonly PublicationData[]): Promise<Map<string, DigestSubscription[]>> {
  const out = new Map<string, DigestSubscription[]>();
  if (pubs.length === 0) return out;
  const urns = [...new Set(pubs.map((p) => p.urn))];
  const regions = [...new Set(pubs.map((p) => p.regionCode).filter((r): r is string => r !== null))];
  const rows = await db
    .selectFrom('subscriptions')
    .select(['id', 'platform', 'workspace', 'channel', 'target_kind', 'target_value', 'types', 'themes'])
    .where('status', '=', 'active')
    .where('frequency', 'in', ['daily', 'weekly'])
    .where((eb) => {
      const any = [eb('target_kind', '=', 'all'), eb.and([eb('target_kind', '=', 'authority'), eb('target_value', 'in', urns)])];
      if (regions.length) any.push(eb.and([eb('target_kind', '=', 'region'), eb('target_value', 'in', regions)]));
      return eb.or(any);
    })
    .orderBy('id')
    .execute();
  // filters are stored sorted as JSON text: most subscriptions share '[]', parsed once
  const parsed = new Map<string, unknown>();
  const once = <T>(text: string, parse: (t: string) => T): T => {
    if (!parsed.has(text)) parsed.set(text, parse(text));
    return parsed.get(text) as T;
  };
  for (const row of rows) {
    const key = `${row.platform}:${row.workspace}:${row.channel}`;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push({
      id: row.id,
      target: targetFromKey(row.target_kind, row.target_value),
      types: once(row.types, parseTypes),
      themes: once(row.themes, parseStrings),
    });
  }
  return out;
}

/**
 * Publications already queued as alerts to channels that are on digests now (they were on immediate
 * alerts when it was published): by channel key. Whatever became of the alert, unless it was cancelled,
 * the publication is not repeated in the digest.
 */
export async function loadAlerted(db: Db, publicationIds: readonly number[]): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  for (const part of chunks(publicationIds)) {
    const rows = await db
      .selectFrom('deliveries as d')
      .innerJoin('channels as c', (j) =>
        j.onRef('c.platform', '=', 'd.platform').onRef('c.workspace', '=', 'd.workspace').onRef('c.channel', '=', 'd.channel'),
      )
      .select(['d.publication_id', 'd.platform', 'd.workspace', 'd.channel'])
      .where('d.kind', '=', 'alert')
      .where('d.publication_id', 'in', part)
      .where('d.status', '!=', 'cancelled')
      .where('c.digest_frequency', 'in', ['daily', 'weekly'])
      .execute();
    for (const r of rows) {
      if (r.publication_id === null) continue;
      const key = `${r.platform}:${r.workspace}:${r.channel}`;
      let set = out.get(key);
      if (!set) out.set(key, (set = new Set()));
      set.add(r.publication_id);
    }
  }
  return out;
}

export interface DigestChannel {
  ref: ChannelRef;
  key: string;
  schedule: DigestSchedule;
}

/** Every channel on a daily or weekly digest, with its schedule (as `list` shows it). */
export async function loadDigestChannels(db: Db): Promise<DigestChannel[]> {
  const rows = await db.selectFrom('channels').selectAll().where('digest_frequency', 'in', ['daily', 'weekly']).execute();
  const out: DigestChannel[] = [];
  for (const row of rows as ChannelRow[]) {
    const schedule = scheduleOf(digestOf(row));
    if (!schedule) continue;
    const ref: ChannelRef = { platform: row.platform as ChannelRef['platform'], workspace: row.workspace, channel: row.channel };
    out.push({ ref, key: channelKey(ref), schedule });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The distinct schedules of channels on digests (one grouped read, for the per-minute check). */
export async function digestSchedules(db: Db): Promise<DigestSchedule[]> {
  const rows = await db
    .selectFrom('channels')
    .select(['digest_frequency', 'digest_day', 'digest_time'])
    .where('digest_frequency', 'in', ['daily', 'weekly'])
    .groupBy(['digest_frequency', 'digest_day', 'digest_time'])
    .execute();
  const seen = new Map<string, DigestSchedule>();
  for (const r of rows) {
    const s = scheduleOf(digestOf(r as ChannelRow));
    if (s) seen.set(`${s.mode}:${s.day}:${s.time}`, s);
  }
  return [...seen.values()];
}
