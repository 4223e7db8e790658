// An alert as Block Kit: the message (council and type, dates, judgements, headline findings, the main
// themes with strength and concern counts, what needs to improve, buttons to the letter and the council's
// page) and a second part for its thread: every theme with its representative sentences. Pure.
import type { Alert, LetterView, PublicationView } from '../../../src/chat/types.ts';
import { JUDGEMENT_AREAS, type Judgements } from '../../../src/letters/types.ts';
import { actions, context, fieldsSection, header, linkButton, section, type Block, type SlackMessage } from './blocks.ts';
import { AREA_NAMES, GRADE_LABELS, typeName } from './labels.ts';
import { cutList, cutText, fitMessage, SLACK_LIMITS } from './limits.ts';
import { dateRange, escapeMrkdwn, longDate } from './mrkdwn.ts';

export const STRENGTH = '✅';
export const CONCERN = '⚠️';
/** themes listed in the message itself; the rest are in the thread */
export const MAIN_THEMES = 6;

export const ACTION_OPEN_LETTER = 'ofsted_open_letter';
export const ACTION_OPEN_COUNCIL = 'ofsted_open_council';

type OkLetter = Extract<LetterView, { status: 'ok' }>;

export interface AlertRenderOptions {
  /** 'new' for an alert, 'republished' when Ofsted replaced the letter, 'lookup' for /ofsted latest */
  kind?: 'new' | 'republished' | 'lookup';
}

/** The parts of an alert in the order they are sent: the message, then (if any) its thread reply. */
export function renderAlertParts(alert: Alert, opts: AlertRenderOptions = {}): SlackMessage[] {
  const details = renderAlertDetails(alert);
  return details ? [renderAlert(alert, opts), details] : [renderAlert(alert, opts)];
}

export function renderAlert(alert: Alert, opts: AlertRenderOptions = {}): SlackMessage {
  const { publication: p, letter } = alert;
  const kind = opts.kind ?? 'new';
  const head: Block[] = [header(cutText(`${p.authority}: ${typeName(p.type)}`, SLACK_LIMITS.headerText)), context(datesLine(p, letter, kind))];
  const body: Block[] = [];
  if (letter.status === 'ok') {
    const grades = judgementFields(letter.judgements);
    if (grades.length) body.push(fieldsSection(grades));
    body.push(...summaryBlocks(letter));
  } else {
    body.push(section(`*Summary unavailable:* ${escapeMrkdwn(letter.reason)}. The letter is linked below.`));
  }
  const tail: Block[] = [actions(letterButtons(p), 'ofsted_links')];
  const footer = footerLine(letter);
  if (footer) tail.push(context(footer));
  return fitMessage({ text: notificationText(p, letter, kind), head, body, tail }, { more: (n) => `_…and ${n} more ${n === 1 ? 'part' : 'parts'} of the summary: open the letter for all of it._` });
}

/** The thread reply: every theme's representative sentences. Null when there is nothing to add. */
export function renderAlertDetails(alert: Alert, opts: { head?: Block[] } = {}): SlackMessage | null {
  const { publication: p, letter } = alert;
  if (letter.status !== 'ok' || letter.themeDetails.length === 0) return null;
  const themes = letter.themeDetails;
  // share the room so that every theme fits rather than the first few taking it all
  const sentences = themes.reduce((n, t) => n + (t.strengthSentence ? 1 : 0) + (t.concernSentence ? 1 : 0), 0) || 1;
  const perSentence = Math.max(120, Math.min(1200, Math.floor((SLACK_LIMITS.totalChars - 1500 - themes.length * 90) / sentences)));
  const body: Block[] = themes.map((t) => {
    const lines = [`*${escapeMrkdwn(t.name)}*  ${STRENGTH} ${t.strengths} · ${CONCERN} ${t.concerns}`];
    if (t.strengthSentence) lines.push(`${STRENGTH} ${cutText(escapeMrkdwn(t.strengthSentence), perSentence)}`);
    if (t.concernSentence) lines.push(`${CONCERN} ${cutText(escapeMrkdwn(t.concernSentence), perSentence)}`);
    return section(lines.join('\n'));
  });
  const head = [...(opts.head ?? []), section(`*Every theme in the letter*, with ${STRENGTH} strengths and ${CONCERN} concerns counted in sentences:`)];
  const tail = [context(`Sentences are Ofsted's own, from the ${typeName(p.type).toLowerCase()} letter published ${longDate(p.publicationDate)}.`)];
  return fitMessage(
    { text: `Every theme in the letter: ${p.authority}, ${typeName(p.type).toLowerCase()}`, head, body, tail },
    { more: (n) => `_…and ${n} more ${n === 1 ? 'theme' : 'themes'}: open the letter for them._` },
  );
}

/** Headline findings, main themes and improvement points of a letter (also used by lookups). */
export function summaryBlocks(letter: OkLetter): Block[] {
  const { summary } = letter;
  const blocks: Block[] = [];
  const room = SLACK_LIMITS.sectionText;
  if (summary.overview.length) {
    const title = '*Headline findings*\n';
    const list = cutList(summary.overview.map((s) => `> ${escapeMrkdwn(s)}`), room - title.length, { more: (n) => `_…and ${n} more ${n === 1 ? 'finding' : 'findings'}_` });
    blocks.push(section(title + list.text));
  }
  const themes = summary.themes.filter((t) => t.strengths + t.concerns > 0);
  if (themes.length) {
    const title = `*Main themes*  (${STRENGTH} strengths · ${CONCERN} concerns)\n`;
    const lines = themes.slice(0, MAIN_THEMES).map((t) => `• ${escapeMrkdwn(t.name)}  ${markers(t.strengths, t.concerns)}`);
    const rest = themes.length - Math.min(MAIN_THEMES, themes.length);
    const list = cutList(lines, room - title.length - 60, { more: (n) => `_…and ${n + rest} more_` });
    const more = list.hidden === 0 && rest > 0 ? `\n_…and ${rest} more ${rest === 1 ? 'theme' : 'themes'} in the thread_` : '';
    blocks.push(section(title + list.text + more));
  }
  if (summary.improvements.length) {
    const title = '*What needs to improve*\n';
    const points = summary.improvements.map((p, i) => `${i + 1}. ${escapeMrkdwn(p.text)}`);
    const list = cutList(points, room - title.length, { more: (n) => `_…and ${n} more ${n === 1 ? 'point' : 'points'}: see the letter_` });
    blocks.push(section(title + list.text));
  }
  return blocks;
}

export function markers(strengths: number, concerns: number): string {
  const parts: string[] = [];
  if (strengths) parts.push(`${STRENGTH} ${strengths}`);
  if (concerns) parts.push(`${CONCERN} ${concerns}`);
  return parts.join('  ');
}

export function judgementFields(j: Judgements): string[] {
  return JUDGEMENT_AREAS.filter((a) => j[a]).map((a) => `*${AREA_NAMES[a]}*\n${GRADE_LABELS[j[a]!]}`);
}

export function letterButtons(p: PublicationView): ReturnType<typeof linkButton>[] {
  const buttons = [];
  if (p.url) buttons.push({ ...linkButton('Read the letter', p.url, ACTION_OPEN_LETTER), style: 'primary' as const });
  if (p.authorityPageUrl) buttons.push(linkButton(cutText(`${p.authority} on Ofsted`, SLACK_LIMITS.buttonText), p.authorityPageUrl, ACTION_OPEN_COUNCIL));
  return buttons;
}

function datesLine(p: PublicationView, letter: LetterView, kind: AlertRenderOptions['kind']): string {
  const parts = [`${kind === 'republished' ? 'Re-published' : 'Published'} *${longDate(p.publicationDate)}*`];
  if (letter.status === 'ok') {
    const visit = dateRange(letter.visitDates.start, letter.visitDates.end);
    if (visit) parts.push(`Visit ${visit}`);
  }
  if (p.type === 'other' && p.title) parts.push(escapeMrkdwn(p.title));
  return parts.join(' · ');
}

function footerLine(letter: LetterView): string | null {
  if (letter.status !== 'ok') return null;
  const parts = ["Sentences are Ofsted's own, picked by ofsted-alerts."];
  if (letter.themeDetails.length) parts.push('Every theme is in the thread 🧵');
  if (letter.summary.truncated) parts.push('The summary is shortened.');
  return parts.join(' ');
}

function notificationText(p: PublicationView, letter: LetterView, kind: AlertRenderOptions['kind']): string {
  const lead = kind === 'lookup' ? '' : kind === 'republished' ? 'Re-published: ' : 'New: ';
  let text = `${lead}${typeName(p.type)} of ${p.authority}, published ${longDate(p.publicationDate)}`;
  if (letter.status === 'ok') {
    const overall = letter.judgements.overall_effectiveness;
    if (overall) text += ` (overall: ${overall})`;
    const first = letter.summary.overview[0];
    if (first) text += `. ${first}`;
  }
  return cutText(escapeMrkdwn(text), 400);
}
