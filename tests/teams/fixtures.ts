// Alerts, replies, digests and stores for the Teams adapter's tests and benchmark: a realistic letter,
// random ones of any size from a seeded generator, and a "busy morning" store (Teams conversations
// across tenants with saved references, subscribed to every council; publications with read letters and
// their publication.new events), written as the watcher, the letter pipeline and the adapter would.
import type { Alert, ChannelRef, LetterView, PublicationView, Subscription } from '../../src/chat/types.ts';
import type { Judgements, LetterReadResult, LetterStructure, LetterSummary } from '../../src/letters/types.ts';
import type { Digest } from '../../src/digests/types.ts';
import type { Db } from '../../src/store/db.ts';
import { saveLetter } from '../../src/store/letters.ts';
import { createSubscriptions, rememberChannel } from '../../src/subscriptions/index.ts';
import { serializeConversation, type StoredConversation } from '../../adapters/teams/conversation.ts';
import { BOT } from '../fakes/fake-bot-connector.ts';
export { mulberry32 as rng } from '../helpers/seeded-random.ts';

export const WAKEFIELD: PublicationView = {
  id: 101,
  authority: 'Wakefield',
  urn: '80451',
  type: 'focused-visit',
  title: 'Focused visit to Wakefield local authority children’s services',
  publicationDate: '2025-03-07',
  url: 'https://files.ofsted.gov.uk/v1/file/50012345',
  authorityPageUrl: 'https://reports.ofsted.gov.uk/provider/44/80451',
};

const NO_GRADES: Judgements = { overall_effectiveness: null, impact_of_leaders: null, help_and_protection: null, children_in_care: null, care_leavers: null };
export const GRADED: Judgements = { overall_effectiveness: 'good', impact_of_leaders: 'good', help_and_protection: 'requires improvement', children_in_care: 'good', care_leavers: 'outstanding' };

export function okLetter(overrides: Partial<LetterSummary> = {}, judgements: Judgements = NO_GRADES): Extract<LetterView, { status: 'ok' }> {
  const summary: LetterSummary = {
    headline: 'Focused visit, Wakefield, 21 to 22 January 2025',
    overview: [
      'Children in care in Wakefield benefit from social workers who know them well & visit them regularly.',
      'Leaders have a clear understanding of the strengths and areas for development in the service.',
    ],
    improvements: [
      { text: 'The quality and timeliness of pathway plans for care leavers.', themes: ['care-leavers'] },
      { text: 'Management oversight of placement decisions, so that children’s plans are progressed without delay.', themes: ['management-oversight'] },
    ],
    themes: [
      { id: 'children-in-care', name: 'Children in care', strengths: 5, concerns: 2, neutral: 1, strengthSentence: 'Children live in stable homes.', concernSentence: 'Some placements are made without matching.' },
      { id: 'workforce', name: 'Workforce', strengths: 2, concerns: 1, neutral: 0, strengthSentence: 'Caseloads are manageable.', concernSentence: 'Agency staff turnover remains high.' },
    ],
    truncated: false,
    ...overrides,
  };
  return {
    status: 'ok',
    summary,
    judgements,
    visitDates: { start: '2025-01-21', end: '2025-01-22' },
    themeDetails: summary.themes.map((t) => ({ id: t.id, name: t.name, strengths: t.strengths, concerns: t.concerns, strengthSentence: t.strengthSentence, concernSentence: t.concernSentence })),
  };
}

export const wakefieldAlert = (letter: LetterView = okLetter()): Alert => ({ publication: WAKEFIELD, letter });

export function subscription(id: number, overrides: Partial<Subscription> = {}): Subscription {
  return {
    id,
    channel: { platform: 'teams', workspace: 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa', channel: '19:general@thread.tacv2' },
    target: { kind: 'authority', urn: '80451' },
    targetName: 'Wakefield',
    types: [],
    themes: [],
    frequency: 'immediate',
    status: 'active',
    statusReason: null,
    createdBy: 'aaaaaaaa-0000-0000-0000-000000000001',
    createdAt: '2025-03-01T09:00:00.000Z',
    updatedAt: '2025-03-01T09:00:00.000Z',
    ...overrides,
  };
}

export function digestFixture(): Digest {
  return {
    version: 1,
    mode: 'weekly',
    window: { start: '2026-03-02T08:00:00.000Z', end: '2026-03-09T08:00:00.000Z' },
    windowLabel: '08:00 Monday 2 March to 08:00 Monday 9 March 2026',
    late: { dueAt: '2026-03-09T08:00:00.000Z', dueLabel: '08:00 on Monday 9 March 2026', missedWindows: 1, notice: 'This digest is late: it was due at 08:00 on Monday 9 March 2026.' },
    text: 'Weekly digest, 2 to 9 March: 2 publications about 2 councils',
    totals: { publications: 2, councils: 2, unreadable: 1, judgementChanges: 1 },
    councils: [
      {
        urn: '80451',
        authority: 'Wakefield',
        authorityPageUrl: 'https://reports.ofsted.gov.uk/provider/44/80451',
        publications: [
          {
            id: 1, type: 'inspection', title: 'Inspection of Wakefield', publicationDate: '2026-03-05', announcedAt: '2026-03-05T10:00:00.000Z', url: 'https://files.ofsted.gov.uk/v1/file/1',
            visitDates: { start: '2026-01-12', end: '2026-01-23' }, letter: { status: 'ok' }, judgements: GRADED, headline: 'Children are safer <b>now</b> & [here](http://x).',
            previousInspection: { publicationId: 0, publicationDate: '2022-03-01', url: 'https://files.ofsted.gov.uk/v1/file/0', judgements: { ...GRADED, overall_effectiveness: 'requires improvement' } },
            judgementChanges: [{ area: 'overall_effectiveness', from: 'requires improvement', to: 'good', direction: 'improved' }], republished: false,
          },
        ],
      },
      {
        urn: '80452',
        authority: 'Leeds',
        authorityPageUrl: 'https://reports.ofsted.gov.uk/provider/44/80452',
        publications: [
          {
            id: 2, type: 'focused-visit', title: 'Focused visit to Leeds', publicationDate: '2026-03-04', announcedAt: '2026-03-04T10:00:00.000Z', url: 'https://files.ofsted.gov.uk/v1/file/2',
            visitDates: { start: null, end: null }, letter: { status: 'unavailable', reason: 'not a PDF' }, judgements: null, headline: null, previousInspection: null, judgementChanges: [], republished: true,
          },
        ],
      },
    ],
    themes: [
      { id: 'care-leavers', name: 'Care leavers', letters: 2, concernLetters: 1, strengthLetters: 2, concern: { sentence: 'Pathway plans are not timely.', authority: 'Wakefield', publicationId: 1 }, strength: null },
    ],
    themeFocus: null,
  };
}

// ───────────────────────────── random letters ─────────────────────────────

const WORDS = [
  'children', 'social', 'workers', 'assessment', 'plans', 'are', 'not', 'always', 'timely', 'and', 'leaders', 'understand', 'the', 'quality',
  'of', 'practice', 'management', 'oversight', 'is', 'inconsistent', 'care', 'leavers', 'benefit', 'from', 'personal', 'advisers', '<script>',
  'R&D', 'a>b', '**bold**', '_under_', '[link](https://evil.example)', '`code`', 'Wakefield’s', '“quoted”', '👍', 'well-being', '\\', '"', '\u0007', '\ud800',
];

export function sentence(r: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(r() < 0.002 ? 'x'.repeat(Math.floor(r() * 9000)) : WORDS[Math.floor(r() * WORDS.length)]!);
  const s = out.join(' ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** A random alert; `scale` makes letters longer (1 = up to the summary budget's maximum, 40,000 characters, and beyond). */
export function randomAlert(r: () => number, scale = 1): Alert {
  const big = r() < 0.5;
  const n = (max: number) => Math.floor(r() * (big ? max * scale : (max * scale) / 5));
  const themes = Array.from({ length: Math.min(30, n(30)) }, (_, i) => ({
    id: `theme-${i}`,
    name: r() < 0.05 ? sentence(r, 60) : `Theme ${i} ${sentence(r, 3)}`,
    strengths: Math.floor(r() * 40),
    concerns: Math.floor(r() * 40),
    neutral: Math.floor(r() * 5),
    strengthSentence: r() < 0.8 ? sentence(r, 1 + n(400)) : null,
    concernSentence: r() < 0.8 ? sentence(r, 1 + n(400)) : null,
  }));
  const grades = ['outstanding', 'good', 'requires improvement', 'inadequate', null] as const;
  const judgements: Judgements = {
    overall_effectiveness: pick(r, grades), impact_of_leaders: pick(r, grades), help_and_protection: pick(r, grades), children_in_care: pick(r, grades), care_leavers: pick(r, grades),
  };
  const letter: LetterView =
    r() < 0.1
      ? { status: 'unavailable', reason: sentence(r, 1 + n(800)) }
      : {
          status: 'ok',
          summary: {
            headline: sentence(r, 20),
            overview: Array.from({ length: n(40) }, () => sentence(r, 1 + n(300))),
            improvements: Array.from({ length: n(60) }, () => ({ text: sentence(r, 1 + n(300)), themes: [] })),
            ...(r() < 0.3 ? { priorityActions: Array.from({ length: n(8) }, () => ({ text: sentence(r, 1 + n(100)), themes: [] })) } : {}),
            themes,
            truncated: r() < 0.3,
          },
          judgements,
          visitDates: { start: r() < 0.8 ? '2025-01-21' : null, end: r() < 0.8 ? '2025-02-03' : null },
          themeDetails: themes.map(({ neutral: _n, ...t }) => t),
        };
  const authority = r() < 0.1 ? sentence(r, 80) : pick(r, ['Wakefield', 'Bath and North East Somerset', 'Kingston upon Hull, City of', 'St Helens']);
  return {
    publication: {
      ...WAKEFIELD,
      authority,
      type: pick(r, ['inspection', 'focused-visit', 'monitoring-visit', 'jtai', 'send', 'other'] as const),
      title: sentence(r, 1 + n(100)),
      url: r() < 0.05 ? `https://files.ofsted.gov.uk/${'a'.repeat(3100)}` : r() < 0.05 ? 'javascript:alert(1)' : WAKEFIELD.url,
    },
    letter,
  };
}

// ───────────────────────────── a busy morning ─────────────────────────────

export function teamsConversation(serviceUrl: string, tenant: string, conversation: string, teamId: string | null = conversation): StoredConversation {
  return {
    v: 1,
    reference: { channelId: 'msteams', serviceUrl, bot: BOT, conversation: { id: conversation, tenantId: tenant, isGroup: true, conversationType: teamId ? 'channel' : 'groupChat', name: '' } },
    teamId,
    scope: teamId ? 'team' : 'groupChat',
  };
}

/** Conversations (channels of one team per tenant) with saved references, each subscribed to every council. */
export async function seedConversations(db: Db, serviceUrl: string, tenants: string[], perTenant: number, now: Date): Promise<ChannelRef[]> {
  const channels: ChannelRef[] = [];
  for (const tenant of tenants) {
    const teamId = `19:team-${tenant.slice(0, 8)}@thread.tacv2`;
    for (let c = 0; c < perTenant; c++) {
      const id = c === 0 ? teamId : `19:channel-${tenant.slice(0, 8)}-${String(c).padStart(4, '0')}@thread.tacv2`;
      const channel: ChannelRef = { platform: 'teams', workspace: tenant, channel: id };
      await rememberChannel(db, channel, now, serializeConversation(teamsConversation(serviceUrl, tenant, id, teamId)));
      await createSubscriptions(db, { channel, createdBy: 'seed', targets: [{ target: { kind: 'all' }, name: 'all councils' }], types: [], themes: [], now });
      channels.push(channel);
    }
  }
  return channels;
}

const COUNCILS = [
  ['80451', 'Wakefield'], ['80486', 'Barking and Dagenham'], ['80487', 'Barnet'], ['80426', 'Barnsley'],
] as const;

/** Publications with read letters and their publication.new events, ready for fan-out. */
export async function seedPublications(db: Db, count: number, now: Date): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const [urn, name] = COUNCILS[i % COUNCILS.length]!;
    const fileId = `5${String(1000000 + i)}`;
    const date = `2025-03-${String(1 + (i % 28)).padStart(2, '0')}`;
    const iso = now.toISOString();
    const { id } = await db
      .insertInto('publications')
      .values({
        authority_urn: urn, authority_name: name, type: i % 3 === 0 ? 'inspection' : 'focused-visit', title: `Visit ${i} to ${name}`,
        publication_date: date, file_id: fileId, url: `https://files.ofsted.gov.uk/v1/file/${fileId}`, first_seen_at: iso, found_by: 'poll', announced: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(id);
    const letter = okLetter({}, i % 3 === 0 ? GRADED : NO_GRADES);
    const structure: LetterStructure = {
      type: 'focused-visit', authority: name, letterDate: date, visitDates: letter.visitDates, inspectors: ['An Inspector'],
      sections: [{ id: 'headline', heading: 'Headline findings', text: letter.summary.overview.join(' ') }],
      improvements: letter.summary.improvements.map((p) => p.text), judgements: letter.judgements,
    };
    const result: LetterReadResult = { ok: true, pages: 6, text: letter.summary.overview.join('\n'), structure, sentences: [], summary: letter.summary };
    await saveLetter(db, { id, file_id: fileId, authority_name: name, title: `Visit ${i}` }, result, now);
    await db
      .insertInto('events')
      .values({
        kind: 'publication.new', dedupe_key: `new:${id}`, publication_id: id, created_at: iso,
        payload: JSON.stringify({ publicationId: id, authority: name, urn, gss: null, type: 'focused-visit', title: `Visit ${i}`, publicationDate: date, url: `https://files.ofsted.gov.uk/v1/file/${fileId}`, fileId }),
      })
      .execute();
  }
  return ids;
}
