// Alerts, replies and subscriptions for the Slack adapter's tests: a realistic letter and, for the
// property tests, random ones of any size from a seeded generator.
import type { Alert, LetterView, PublicationView, Subscription } from '../../src/chat/types.ts';
import type { Judgements, LetterSummary } from '../../src/letters/types.ts';
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
    channel: { platform: 'slack', workspace: 'TAAAAAAAA', channel: 'C0000000001' },
    target: { kind: 'authority', urn: '80451' },
    targetName: 'Wakefield',
    types: [],
    themes: [],
    frequency: 'immediate',
    status: 'active',
    statusReason: null,
    createdBy: 'U0000USER',
    createdAt: '2025-03-01T09:00:00.000Z',
    updatedAt: '2025-03-01T09:00:00.000Z',
    ...overrides,
  };
}

// ───────────────────────────── random letters ─────────────────────────────

const WORDS = [
  'children', 'social', 'workers', 'assessment', 'plans', 'are', 'not', 'always', 'timely', 'and', 'leaders', 'understand', 'the', 'quality',
  'of', 'practice', 'management', 'oversight', 'is', 'inconsistent', 'care', 'leavers', 'benefit', 'from', 'personal', 'advisers', '<script>',
  'R&D', 'a>b', '*bold*', '_under_', 'https://example.org/a|b', 'Wakefield’s', '“quoted”', 'children’s', '👍', 'well-being', 'multi-agency',
];

export function sentence(r: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    // now and then a word far longer than any limit, which must be cut hard
    out.push(r() < 0.002 ? 'x'.repeat(Math.floor(r() * 5000)) : WORDS[Math.floor(r() * WORDS.length)]!);
  }
  const s = out.join(' ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${r() < 0.9 ? '.' : ''}`;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export function randomAlert(r: () => number): Alert {
  const big = r() < 0.5;
  const n = (max: number) => Math.floor(r() * (big ? max : max / 5));
  const themes = Array.from({ length: Math.min(21, n(30)) }, (_, i) => ({
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
    overall_effectiveness: pick(r, grades),
    impact_of_leaders: pick(r, grades),
    help_and_protection: pick(r, grades),
    children_in_care: pick(r, grades),
    care_leavers: pick(r, grades),
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
      url: r() < 0.05 ? `https://files.ofsted.gov.uk/${'a'.repeat(3100)}` : WAKEFIELD.url,
    },
    letter,
  };
}
