// Digest scenarios: a real store (a SQLite file in a temp dir, or a fresh Postgres schema:
// tests/helpers/test-database.ts), channels on digests with subscriptions, and publications announced at
// chosen instants with letters whose sentences, themes and grades are chosen.
import { loadAuthorityDirectory, type AuthorityDirectory } from '../../src/app/authority-directory.ts';
import type { ChannelRef, DigestSetting, SubscriptionTarget } from '../../src/chat/types.ts';
import { channelKey } from '../../src/chat/types.ts';
import type { DigestDeps } from '../../src/digests/initiate-digests.ts';
import { digestFromPayload, type Digest } from '../../src/digests/types.ts';
import type { ClassifiedSentence, Grade, Judgements, LetterReadResult, Polarity, PublicationType } from '../../src/letters/types.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { openStore, type Db } from '../../src/store/db.ts';
import { saveLetter } from '../../src/store/letters.ts';
import type { DeliveryRow, Publication } from '../../src/store/schema.ts';
import { createSubscriptions } from '../../src/subscriptions/create-subscriptions.ts';
import { setDigest } from '../../src/subscriptions/set-digest.ts';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

export const BASE_URL = 'https://reports.example.test';
export const WAKEFIELD = { urn: '80451', name: 'Wakefield' };
export const LEEDS = { urn: '80481', name: 'Leeds' };
export const BRADFORD = { urn: '80449', name: 'Bradford' };
export const BARNET = { urn: '80487', name: 'Barnet' };
export const YORKSHIRE = 'E12000003';

export interface TestStore {
  db: Db;
  directory: AuthorityDirectory;
  deps: DigestDeps;
  /** a query in flight (Postgres): for VirtualClock */
  busy: () => boolean;
  close(): Promise<void>;
}

export async function openDigestStore(database: TestDatabase = sqliteTestDatabase): Promise<TestStore> {
  const url = await database.freshUrl();
  const store = await openStore(url, { poolSize: 5 });
  const directory = await loadAuthorityDirectory(store.db);
  return {
    db: store.db,
    directory,
    deps: { db: store.db, directory, logger: silentLogger, baseUrl: BASE_URL, holder: 'test-holder' },
    busy: store.busy,
    close: async () => {
      await store.close().catch(() => {});
      await database.drop(url);
    },
  };
}

export const slack = (id: string, workspace = 'T1'): ChannelRef => ({ platform: 'slack', workspace, channel: id });

export const authority = (a: { urn: string; name: string }) => ({ target: { kind: 'authority', urn: a.urn } as SubscriptionTarget, name: a.name });

/** A channel on a digest, following the targets with the filters. */
export async function digestChannel(
  db: Db,
  ref: ChannelRef,
  setting: DigestSetting,
  targets: { target: SubscriptionTarget; name: string }[],
  filters: { types?: PublicationType[]; themes?: string[] } = {},
  now = new Date('2026-01-01T00:00:00Z'),
): Promise<void> {
  await setDigest(db, ref, setting, now);
  if (targets.length) await createSubscriptions(db, { channel: ref, createdBy: 'U1', targets, types: filters.types ?? [], themes: filters.themes ?? [], now });
}

export interface SentenceSpec {
  themes: string[];
  polarity: Polarity;
  section?: string;
  text?: string;
  score?: number;
}

export interface LetterSpec {
  sentences?: SentenceSpec[];
  overview?: string[];
  judgements?: Partial<Judgements>;
  visit?: { start: string; end: string };
}

const NO_GRADES: Judgements = { overall_effectiveness: null, impact_of_leaders: null, help_and_protection: null, children_in_care: null, care_leavers: null };

export function letter(spec: LetterSpec = {}, type: PublicationType = 'inspection'): LetterReadResult {
  const sentences: ClassifiedSentence[] = (spec.sentences ?? []).map((s, i) => ({
    text: s.text ?? `Sentence ${i} finds ${s.polarity} about ${s.themes.join(' and ')}.`,
    section: s.section ?? 'main-findings',
    themes: s.themes,
    polarity: s.polarity,
    cues: [],
    score: s.score ?? 1,
  }));
  const judgements = { ...NO_GRADES, ...spec.judgements };
  return {
    ok: true,
    pages: 3,
    text: sentences.map((s) => s.text).join(' ') || 'Text.',
    structure: {
      type, authority: null, letterDate: null, visitDates: spec.visit ?? nextVisit(), inspectors: [],
      sections: [], improvements: [], judgements,
    },
    sentences,
    summary: {
      headline: 'Headline',
      overview: spec.overview ?? ['Children get the help they need when they need it.'],
      improvements: sentences.filter((s) => s.section === 'improvements').map((s) => ({ text: s.text, themes: s.themes })),
      themes: [],
      truncated: false,
    },
  };
}

export const grades = (overall: Grade, rest: Grade = overall): Partial<Judgements> => ({
  overall_effectiveness: overall, impact_of_leaders: rest, help_and_protection: rest, children_in_care: rest, care_leavers: rest,
});

let seq = 0;
let visits = 0;

/** A different visit for every letter made without one (one visit published twice counts once in a digest). */
function nextVisit(): { start: string; end: string } {
  visits++;
  const start = new Date(Date.UTC(2024, 0, 1) + visits * 86_400_000 * 3);
  const end = new Date(start.getTime() + 86_400_000 * 2);
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

/** A publication announced (publication.new event written) at `at`, with its letter read (or not). */
export async function publish(
  db: Db,
  a: { urn: string; name: string },
  at: Date,
  opts: { type?: PublicationType; date?: string; letter?: LetterReadResult | 'unread' } = {},
): Promise<Publication> {
  seq++;
  const type = opts.type ?? 'inspection';
  let date = opts.date ?? at.toISOString().slice(0, 10);
  // Ofsted's identity of a publication is (council, type, date): without a given date, the first free day back
  while (!opts.date && (await db.selectFrom('publications').select('id').where('authority_urn', '=', a.urn).where('type', '=', type).where('publication_date', '=', date).executeTakeFirst())) {
    date = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  }
  const fileId = `file-${seq}`;
  const iso = at.toISOString();
  const row = await db
    .insertInto('publications')
    .values({
      authority_urn: a.urn, authority_name: a.name, type, title: `Children's services ${type}`, publication_date: date, file_id: fileId,
      url: `https://files.example.test/v1/file/${fileId}`, first_seen_at: iso, found_by: 'poll', announced: 1,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.insertInto('publication_files').values({ publication_id: row.id, file_id: fileId, url: row.url, first_seen_at: iso }).execute();
  await db
    .insertInto('events')
    .values({ kind: 'publication.new', dedupe_key: `new:${row.id}`, publication_id: row.id, created_at: iso, payload: JSON.stringify({ publicationId: row.id }) })
    .execute();
  const result = opts.letter ?? letter({}, type);
  if (result !== 'unread') await saveLetter(db, { id: row.id, file_id: fileId, authority_name: a.name, title: row.title }, result, at);
  return row;
}

/** Ofsted replaced the file of a known publication at `at` (a re-publication), with the letter read again. */
export async function republish(db: Db, p: Publication, at: Date, result: LetterReadResult = letter()): Promise<Publication> {
  seq++;
  const fileId = `file-${seq}`;
  const url = `https://files.example.test/v1/file/${fileId}`;
  await db.updateTable('publications').set({ file_id: fileId, url }).where('id', '=', p.id).execute();
  await db.insertInto('publication_files').values({ publication_id: p.id, file_id: fileId, url, first_seen_at: at.toISOString() }).execute();
  await db
    .insertInto('events')
    .values({ kind: 'publication.republished', dedupe_key: `republished:${p.id}:${fileId}`, publication_id: p.id, created_at: at.toISOString(), payload: '{}' })
    .execute();
  await saveLetter(db, { id: p.id, file_id: fileId, authority_name: p.authority_name, title: p.title }, result, at);
  return { ...p, file_id: fileId, url };
}

export interface QueuedDigest {
  row: DeliveryRow;
  channel: string;
  digest: Digest;
}

export async function queuedDigests(db: Db, ref?: ChannelRef): Promise<QueuedDigest[]> {
  let q = db.selectFrom('deliveries').selectAll().where('kind', '=', 'digest');
  if (ref) q = q.where('platform', '=', ref.platform).where('workspace', '=', ref.workspace).where('channel', '=', ref.channel);
  const rows = await q.orderBy('id').execute();
  return rows.map((row) => ({ row, channel: `${row.platform}:${row.workspace}:${row.channel}`, digest: digestFromPayload(row.payload)! }));
}

export const ids = (d: Digest): number[] => d.councils.flatMap((c) => c.publications.map((p) => p.id)).sort((a, b) => a - b);

export const key = channelKey;

export const at = (iso: string): Date => new Date(iso);
