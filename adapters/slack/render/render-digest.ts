// RECONSTRUCTED by the Slack adapter session: the digests session's render-digest.ts was overwritten by
// mistake at 07:45; this is its 07:28 version recovered from tsx's transpile cache (logic as written, types
// re-added, original comments lost). The digests session should check it against its own copy.
//
// A daily or weekly digest as Block Kit: a summary message (window, lateness, what was published, judgement
// changes, the themes that came up), then thread replies with every publication and every theme, paginated
// within Block Kit's limits. A small digest (up to INLINE_PUBLICATIONS) shows its publications inline. Pure.
import { changedJudgements, type Digest, type DigestPublication, type DigestQuote, type DigestTheme, type JudgementChange } from '../../../src/digests/types.ts';
import { JUDGEMENT_AREAS, type Grade } from '../../../src/letters/types.ts';
import { context, header, linkButton, section, type Block, type SlackMessage } from './blocks.ts';
import { AREA_NAMES, GRADE_LABELS, typeName } from './labels.ts';
import { blockChars, clampBlock, cutList, cutText, fitMessage, SLACK_LIMITS } from './limits.ts';
import { dateRange, escapeMrkdwn, link, longDate } from './mrkdwn.ts';

export const STRENGTH = '✅';
export const CONCERN = '⚠️';
export const SUMMARY_THEMES = 6;
const QUOTE_CHARS = 400;
const HEADLINE_CHARS = 600;
const PAGE_HEAD_RESERVE = 300;
export const ACTION_DIGEST_LETTER = 'ofsted_digest_letter';
export const INLINE_PUBLICATIONS = 5;

export function renderDigestParts(digest: Digest): SlackMessage[] {
  const inline = digest.totals.publications <= INLINE_PUBLICATIONS ? renderDigestSummary(digest, { inline: true }) : null;
  if (inline && inline.blocks.filter(isLetterSection).length === digest.totals.publications) return [inline, ...renderDigestThemes(digest)];
  return [renderDigestSummary(digest), ...renderDigestPublications(digest), ...renderDigestThemes(digest)];
}

const isLetterSection = (b: Block): boolean => b.type === 'section' && Boolean(b.accessory?.action_id.startsWith(`${ACTION_DIGEST_LETTER}_`));

export function renderDigestSummary(d: Digest, opts: { inline?: boolean } = {}): SlackMessage {
  const n = d.totals.publications;
  const k = d.totals.councils;
  const title = `${d.mode === 'weekly' ? 'Weekly' : 'Daily'} digest: ${n} ${n === 1 ? 'publication' : 'publications'}${k > 1 ? ` about ${k} councils` : ` about ${d.councils[0]?.authority ?? 'your councils'}`}`;
  const head: Block[] = [header(cutText(title, SLACK_LIMITS.headerText)), context(`${escapeMrkdwn(d.windowLabel)} (UK time)`)];
  if (d.late) head.push(section(`⏰ ${boldLead(escapeMrkdwn(d.late.notice))}`));
  const body: Block[] = [];
  if (opts.inline) {
    for (const c of d.councils) for (const p of c.publications) body.push(publicationBlock(c.authority, c.authorityPageUrl, p));
  } else {
    const index = d.councils.map((c) => {
      const kinds = c.publications.map((p) => `${typeName(p.type)}${overallWords(p)}`);
      return `• *${escapeMrkdwn(c.authority)}*: ${escapeMrkdwn(kinds.join('; '))}`;
    });
    const title2 = '*Published*\n';
    body.push(section(title2 + cutList(index, SLACK_LIMITS.sectionText - title2.length, { more: (m) => `_…and ${m} more ${m === 1 ? 'council' : 'councils'}: see the thread_` }).text));
  }
  const changes = changedJudgements(d).map(({ authority, change }) => `• *${escapeMrkdwn(authority)}*, ${AREA_NAMES[change.area].toLowerCase()}: ${changeWords(change)}`);
  if (changes.length) {
    const t = '*Judgement changes since the previous inspection*\n';
    body.push(section(t + cutList(changes, SLACK_LIMITS.sectionText - t.length, { more: (m) => `_…and ${m} more: see the thread_` }).text));
  }
  if (d.themes.length) {
    const focus = d.themeFocus ? ' you follow' : '';
    body.push(section(`*Themes${focus} that came up*  (letters raising ${CONCERN} a concern · ${STRENGTH} a strength)`));
    for (const t of d.themes.slice(0, SUMMARY_THEMES)) body.push(section(themeText(t, { strength: false })));
    const rest = d.themes.length - Math.min(SUMMARY_THEMES, d.themes.length);
    if (rest > 0) body.push(context(`…and ${rest} more ${rest === 1 ? 'theme' : 'themes'} in the thread.`));
  }
  const tail: Block[] = [
    context(
      opts.inline
        ? `Sentences are Ofsted's own.${renderDigestThemes(d).length ? ' Every theme is in the thread 🧵' : ''}`
        : "Every publication, with its headline finding and a link to the letter, is in the thread 🧵 Sentences are Ofsted's own.",
    ),
  ];
  return fitMessage({ text: d.text, head, body, tail }, { more: (m) => `_…and ${m} more: see the thread._`, shortenLast: !opts.inline });
}

function boldLead(notice: string): string {
  const i = notice.indexOf(':');
  return i > 0 && i < 40 ? `*${notice.slice(0, i + 1)}*${notice.slice(i + 1)}` : notice;
}

function overallWords(p: DigestPublication): string {
  const overall = p.judgements?.overall_effectiveness;
  if (!overall) return '';
  const prev = p.previousInspection?.judgements.overall_effectiveness;
  return prev && prev !== overall ? ` (${overall}, was ${prev})` : ` (${overall})`;
}

function changeWords(c: JudgementChange): string {
  const g = (x: Grade | null) => (x ? GRADE_LABELS[x] : 'not graded');
  const arrow = c.direction === 'improved' ? '⬆️' : c.direction === 'declined' ? '⬇️' : '→';
  return `${g(c.from)} ${arrow} ${g(c.to)}`;
}

function themeText(t: DigestTheme, opts: { strength: boolean }): string {
  const counts = [t.concernLetters ? `${CONCERN} ${t.concernLetters}` : '', t.strengthLetters ? `${STRENGTH} ${t.strengthLetters}` : ''].filter(Boolean).join(' · ');
  const lines = [`*${escapeMrkdwn(t.name)}*  ${counts}`];
  const quote = (q: DigestQuote, mark: string) => `${mark} _“${cutText(escapeMrkdwn(q.sentence), QUOTE_CHARS)}”_ (${escapeMrkdwn(q.authority)})`;
  if (t.concern) lines.push(quote(t.concern, CONCERN));
  if ((opts.strength || !t.concern) && t.strength) lines.push(quote(t.strength, STRENGTH));
  return lines.join('\n');
}

export function renderDigestPublications(d: Digest): SlackMessage[] {
  const blocks: Block[] = [];
  for (const c of d.councils) {
    for (const p of c.publications) blocks.push(publicationBlock(c.authority, c.authorityPageUrl, p));
  }
  const total = blocks.length;
  return paginate(blocks, (from, to) => {
    const range = total === 1 ? 'the publication' : from === to ? `publication ${from} of ${total}` : `publications ${from} to ${to} of ${total}`;
    return { text: `${d.mode === 'weekly' ? 'Weekly' : 'Daily'} digest: ${range}`, head: [context(`*${cap(range)}*, newest first by council`)] };
  });
}

function publicationBlock(authority: string, councilUrl: string, p: DigestPublication): Block {
  const lines: string[] = [];
  lines.push(`*${link(councilUrl, authority)}* · *${escapeMrkdwn(typeName(p.type))}*${p.type === 'other' && p.title ? `: ${escapeMrkdwn(p.title)}` : ''}`);
  const dates = [`Published ${longDate(p.publicationDate)}`];
  const visit = dateRange(p.visitDates.start, p.visitDates.end);
  if (visit) dates.push(`visit ${visit}`);
  if (p.republished) dates.push('letter re-published');
  lines.push(dates.join(' · '));
  if (p.judgements) {
    const judgements = p.judgements;
    const byArea = new Map(p.judgementChanges.map((c) => [c.area, c]));
    const grades = JUDGEMENT_AREAS.filter((a) => judgements[a]).map((a) => {
      const c = byArea.get(a);
      const was = c && c.from && c.direction !== 'unchanged' ? ` (${c.direction === 'improved' ? '⬆️' : '⬇️'} was ${c.from})` : '';
      return `${AREA_NAMES[a]}: ${GRADE_LABELS[judgements[a]!]}${was}`;
    });
    if (grades.length) lines.push(grades.join(' · '));
    if (p.previousInspection && p.judgementChanges.every((c) => c.direction === 'unchanged')) lines.push(`_Unchanged from the inspection published ${longDate(p.previousInspection.publicationDate)}._`);
  }
  if (p.letter.status === 'ok') {
    if (p.headline) lines.push(`> ${cutText(escapeMrkdwn(p.headline), HEADLINE_CHARS)}`);
  } else {
    lines.push(`_Summary unavailable: ${escapeMrkdwn(cutText(p.letter.reason, 300))}._`);
  }
  const text = cutText(lines.join('\n'), SLACK_LIMITS.sectionText);
  const button = p.url.length <= SLACK_LIMITS.url && /^https?:\/\//.test(p.url) ? linkButton('Read the letter', p.url, `${ACTION_DIGEST_LETTER}_${p.id}`) : null;
  return button ? { type: 'section', text: { type: 'mrkdwn', text }, accessory: button } : section(text);
}

export function renderDigestThemes(d: Digest): SlackMessage[] {
  if (d.themes.length <= SUMMARY_THEMES && d.themes.every((t) => !t.strength || !t.concern)) return [];
  const blocks = d.themes.map((t) => section(themeText(t, { strength: true })));
  return paginate(blocks, (from, to) => ({
    text: 'Every theme across the letters',
    head: [
      context(
        `*Every theme across the letters* (${from === 1 && to === d.themes.length ? d.themes.length : `${from} to ${to} of ${d.themes.length}`}): letters raising ${CONCERN} a concern · ${STRENGTH} a strength, and the most telling sentence of each`,
      ),
    ],
  }));
}

function paginate(blocks: Block[], headFor: (from: number, to: number) => { text: string; head: Block[] }): SlackMessage[] {
  const pages: Block[][] = [];
  let page: Block[] = [];
  let chars = 0;
  const maxBlocks = SLACK_LIMITS.blocks - 2;
  const maxChars = SLACK_LIMITS.totalChars - PAGE_HEAD_RESERVE;
  for (const raw of blocks) {
    const b = clampBlock(raw);
    if (!b) continue;
    const c = blockChars(b);
    if (page.length && (page.length + 1 > maxBlocks || chars + c > maxChars)) {
      pages.push(page);
      page = [];
      chars = 0;
    }
    page.push(b);
    chars += c;
  }
  if (page.length) pages.push(page);
  const out: SlackMessage[] = [];
  let first = 1;
  for (const p of pages) {
    const { text, head } = headFor(first, first + p.length - 1);
    out.push(fitMessage({ text, head, body: p, tail: [] }));
    first += p.length;
  }
  return out;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
