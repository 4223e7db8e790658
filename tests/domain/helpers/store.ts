// A real store (a SQLite file in a temp dir, or a fresh Postgres schema: tests/helpers/test-database.ts),
// with the council directory, and builders for publications (with their publication.new event) and letters.
import { loadAuthorityDirectory, type AuthorityDirectory } from '../../../src/app/authority-directory.ts';
import type { Caller, ChannelRef } from '../../../src/chat/types.ts';
import type { ClassifiedSentence, LetterReadResult, Polarity, PublicationType } from '../../../src/letters/types.ts';
import { silentLogger } from '../../../src/log/logger.ts';
import { openStore, type Db } from '../../../src/store/db.ts';
import { saveLetter } from '../../../src/store/letters.ts';
import type { Publication } from '../../../src/store/schema.ts';
import type { PublicationEvent } from '../../../src/watcher/publication-event.ts';
import type { CommandDeps } from '../../../src/commands/command-deps.ts';
import { sqliteTestDatabase, type EngineName, type TestDatabase } from '../../helpers/test-database.ts';

export const WAKEFIELD = { urn: '80451', name: 'Wakefield' };
export const LEEDS = { urn: '80481', name: 'Leeds' };
export const BRADFORD = { urn: '80449', name: 'Bradford' };
export const BARNET = { urn: '80487', name: 'Barnet' };
export const YORKSHIRE = 'E12000003';
export const BASE_URL = 'https://reports.example.test';

export interface TestStore {
  db: Db;
  engine: EngineName;
  directory: AuthorityDirectory;
  /** a query in flight (Postgres): for VirtualClock and settle() */
  busy: () => boolean;
  close(): Promise<void>;
}

export async function openTestStore(database: TestDatabase = sqliteTestDatabase): Promise<TestStore> {
  const url = await database.freshUrl();
  const store = await openStore(url, { poolSize: 5 });
  const directory = await loadAuthorityDirectory(store.db);
  return {
    db: store.db,
    engine: database.name,
    directory,
    busy: store.busy,
    close: async () => {
      await store.close().catch(() => {});
      await database.drop(url);
    },
  };
}

export const channel = (channelId: string, workspace = 'T1', platform: ChannelRef['platform'] = 'slack'): ChannelRef => ({ platform, workspace, channel: channelId });
export const caller = (channelId: string, workspace = 'T1', userId = 'U1'): Caller => ({ channel: channel(channelId, workspace), userId });

export function commandDeps(s: TestStore, now: () => Date, extra: Partial<CommandDeps> = {}): CommandDeps {
  return { db: s.db, directory: s.directory, now, logger: silentLogger, baseUrl: BASE_URL, ...extra };
}

let seq = 0;

export async function addPublication(
  db: Db,
  a: { urn: string; name: string; type?: PublicationType; date?: string },
  now: Date,
): Promise<Publication> {
  seq++;
  const type = a.type ?? 'inspection';
  const date = a.date ?? `2026-${String(1 + (seq % 12)).padStart(2, '0')}-${String(1 + (seq % 28)).padStart(2, '0')}`;
  const fileId = `file-${seq}-${Math.random().toString(36).slice(2, 8)}`;
  const iso = now.toISOString();
  const row = await db
    .insertInto('publications')
    .values({
      authority_urn: a.urn, authority_name: a.name, type, title: `Children's services ${type}`, publication_date: date, file_id: fileId,
      url: `https://files.example.test/v1/file/${fileId}`, first_seen_at: iso, found_by: 'poll', announced: 1,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const event: PublicationEvent = {
    publicationId: row.id, authority: a.name, urn: a.urn, gss: null, type, title: row.title, publicationDate: date, url: row.url, fileId,
  };
  await db
    .insertInto('events')
    .values({ kind: 'publication.new', dedupe_key: `new:${row.id}`, publication_id: row.id, created_at: iso, payload: JSON.stringify(event) })
    .execute();
  return row;
}

export interface SentenceSpec {
  themes: string[];
  polarity: Polarity;
  section?: string;
  text?: string;
}

export function okLetter(spec: { sentences?: SentenceSpec[]; improvements?: { text: string; themes: string[] }[]; text?: string } = {}): LetterReadResult {
  const sentences: ClassifiedSentence[] = (spec.sentences ?? []).map((s, i) => ({
    text: s.text ?? `Sentence ${i} about ${s.themes.join(' and ')}.`,
    section: s.section ?? 'main-findings',
    themes: s.themes,
    polarity: s.polarity,
    cues: [],
    score: 1,
  }));
  const improvements = spec.improvements ?? [];
  return {
    ok: true,
    pages: 3,
    text: spec.text ?? sentences.map((s) => s.text).join(' '),
    structure: {
      type: 'inspection', authority: 'Wakefield', letterDate: '2026-01-10', visitDates: { start: '2025-12-01', end: '2025-12-12' }, inspectors: ['A Inspector'],
      sections: [], improvements: improvements.map((p) => p.text),
      judgements: { overall_effectiveness: 'good', impact_of_leaders: 'good', help_and_protection: 'good', children_in_care: 'good', care_leavers: null },
    },
    sentences,
    summary: {
      headline: 'Inspection of Wakefield: good',
      overview: ['Children are helped.'],
      improvements,
      themes: [{ id: 'care-leavers', name: 'Care leavers', strengths: 1, concerns: 0, neutral: 0, concernSentence: null, strengthSentence: 'Care leavers are well supported.' }],
      truncated: false,
    },
  };
}

export const unreadableLetter = (): LetterReadResult => ({ ok: false, kind: 'corrupt', reason: 'the PDF is damaged' });

export async function addLetter(db: Db, p: Publication, result: LetterReadResult, now: Date): Promise<void> {
  await saveLetter(db, { id: p.id, file_id: p.file_id, authority_name: p.authority_name, title: p.title }, result, now);
}
