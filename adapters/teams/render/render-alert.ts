// An alert as an Adaptive Card: council and type, dates, judgements, headline findings, the main themes
// with strengths and concerns counted, what needs to improve; links to the letter and the council's page;
// "All themes" (a ShowCard with every theme's representative sentences); and, on alerts, "Stop these
// alerts" with Pause and Unsubscribe buttons acting on this conversation's subscription. When all of it
// would pass the size budget, the themes go in a second card (in a channel, a reply in the alert's
// thread), and an over-long summary is spread over several cards. Pure.
import type { Alert, LetterView, PublicationView } from '../../../src/chat/types.ts';
import { JUDGEMENT_AREAS, type Judgements } from '../../../src/letters/types.ts';
import { container, factSet, isWebUrl, openUrl, plainText, showCard, submit, textBlock, type CardAction, type CardElement } from './card.ts';
import { AREA_NAMES, CONCERN, counts, dateRange, gradeLabel, longDate, STRENGTH, typeName } from './labels.ts';
import { MESSAGE_BUDGET_BYTES, packCard, sizeOf, type TeamsPart } from './parts.ts';

/** themes listed on the card itself; every theme is under "All themes" */
export const MAIN_THEMES = 6;

type OkLetter = Extract<LetterView, { status: 'ok' }>;

export interface AlertRenderOptions {
  /** 'new' for an alert, 'republished' when Ofsted replaced the letter, 'lookup' for `latest` */
  kind?: 'new' | 'republished' | 'lookup';
  budgetBytes?: number;
}

/** The parts of an alert in the order they are sent. */
export function renderAlertParts(alert: Alert, opts: AlertRenderOptions = {}): TeamsPart[] {
  const { publication: p, letter } = alert;
  const kind = opts.kind ?? 'new';
  const budget = opts.budgetBytes ?? MESSAGE_BUDGET_BYTES;
  const summary = notificationText(p, letter, kind);
  const head = headElements(p, letter, kind);
  const body = bodyElements(letter);
  const tail = tailElements(letter);
  const links = linkActions(p);
  const manage = kind === 'lookup' ? [] : [manageAction(p)];
  const details = themeDetailElements(letter);

  const withThemes = details.length ? [...links, showCard(`All themes (${details.length})`, details), ...manage] : [...links, ...manage];
  const one = packCard({ head, body, tail, actions: withThemes, summary, budgetBytes: budget });
  if (one.length === 1 && sizeOf(one[0]!.activity) <= budget) return one;

  // too large with every theme inside: the themes follow as a card of their own
  const main = packCard({ head, body, tail: [...tail, ...(details.length ? [textBlock('Every theme follows in the next message.', { subtle: true, size: 'Small' })] : [])], actions: [...links, ...manage], summary, budgetBytes: budget });
  if (!details.length) return main;
  return [...main, ...renderThemeParts(alert, { budgetBytes: budget })];
}

/** Every theme with its sentences, as card(s) of their own: the `themes` lookup and the overflow of an alert. */
export function renderThemeParts(alert: Alert, opts: { head?: CardElement[]; budgetBytes?: number } = {}): TeamsPart[] {
  const { publication: p, letter } = alert;
  const details = themeDetailElements(letter);
  const head = opts.head ?? [textBlock(`${p.authority}: every theme in the letter`, { weight: 'Bolder', size: 'Medium', heading: true })];
  const tail = [textBlock(`Sentences are Ofsted's own, from the ${typeName(p.type).toLowerCase()} letter published ${longDate(p.publicationDate)}.`, { subtle: true, size: 'Small' })];
  return packCard({
    head,
    body: details.length ? details : [plainText(letter.status === 'ok' ? 'No themes were found in the letter.' : `The summary is unavailable: ${letter.reason}.`)],
    tail,
    actions: linkActions(p),
    summary: `Every theme in the letter: ${p.authority}, ${typeName(p.type).toLowerCase()}`,
    ...(opts.budgetBytes ? { budgetBytes: opts.budgetBytes } : {}),
  });
}

export function headElements(p: PublicationView, letter: LetterView, kind: AlertRenderOptions['kind']): CardElement[] {
  const lead = kind === 'republished' ? 'Re-published: ' : '';
  const head: CardElement[] = [plainText(`${lead}${p.authority}: ${typeName(p.type)}`, { weight: 'Bolder', size: 'Medium' })];
  const line = [`${kind === 'republished' ? 'Re-published' : 'Published'} ${longDate(p.publicationDate)}`];
  if (letter.status === 'ok') {
    const visit = dateRange(letter.visitDates.start, letter.visitDates.end);
    if (visit) line.push(`visit ${visit}`);
  }
  if (p.type === 'other' && p.title) line.push(p.title);
  head.push(plainText(line.join(' · '), { subtle: true, spacing: 'None' }));
  return head;
}

export function bodyElements(letter: LetterView): CardElement[] {
  if (letter.status !== 'ok') {
    return [plainText(`Summary unavailable: ${letter.reason}. The letter is linked below.`, { color: 'Warning' })];
  }
  const body: CardElement[] = [];
  const grades = judgementFacts(letter.judgements);
  if (grades.length) body.push(factSet(grades));
  body.push(...summaryElements(letter));
  return body;
}

/** Headline findings, main themes, what needs to improve (also the `latest` lookup). */
export function summaryElements(letter: OkLetter): CardElement[] {
  const { summary } = letter;
  const out: CardElement[] = [];
  if (summary.overview.length) {
    out.push(textBlock('Headline findings', { weight: 'Bolder', spacing: 'Medium' }));
    for (const s of summary.overview) out.push(plainText(s, { spacing: 'Small' }));
  }
  const themes = summary.themes.filter((t) => t.strengths + t.concerns > 0);
  if (themes.length) {
    out.push(textBlock(`Main themes (${STRENGTH} strengths · ${CONCERN} concerns)`, { weight: 'Bolder', spacing: 'Medium' }));
    out.push(factSet(themes.slice(0, MAIN_THEMES).map((t) => ({ title: t.name, value: counts(t.strengths, t.concerns) }))));
    const rest = themes.length - Math.min(themes.length, MAIN_THEMES);
    if (rest > 0) out.push(textBlock(`…and ${rest} more ${rest === 1 ? 'theme' : 'themes'}: see All themes.`, { subtle: true, size: 'Small', spacing: 'None' }));
  }
  if (summary.priorityActions?.length) {
    out.push(textBlock('Areas for priority action', { weight: 'Bolder', spacing: 'Medium', color: 'Attention' }));
    summary.priorityActions.forEach((a, i) => out.push(plainText(`${i + 1}. ${a.text}`, { spacing: 'Small' })));
  }
  if (summary.improvements.length) {
    out.push(textBlock('What needs to improve', { weight: 'Bolder', spacing: 'Medium' }));
    summary.improvements.forEach((a, i) => out.push(plainText(`${i + 1}. ${a.text}`, { spacing: 'Small' })));
  }
  return out;
}

function tailElements(letter: LetterView): CardElement[] {
  if (letter.status !== 'ok') return [];
  const parts = ["Sentences are Ofsted's own, picked by ofsted-alerts."];
  if (letter.summary.truncated) parts.push('The summary is shortened.');
  return [textBlock(parts.join(' '), { subtle: true, size: 'Small', spacing: 'Medium' })];
}

export function themeDetailElements(letter: LetterView): CardElement[] {
  if (letter.status !== 'ok') return [];
  return letter.themeDetails.map((t, i) => {
    const items: CardElement[] = [
      plainText(t.name, { weight: 'Bolder' }),
      plainText(counts(t.strengths, t.concerns), { subtle: true, size: 'Small', spacing: 'None' }),
    ];
    if (t.strengthSentence) items.push(plainText(`${STRENGTH} ${t.strengthSentence}`, { spacing: 'Small' }));
    if (t.concernSentence) items.push(plainText(`${CONCERN} ${t.concernSentence}`, { spacing: 'Small' }));
    return container(items, { spacing: 'Medium', separator: i > 0 });
  });
}

export function judgementFacts(j: Judgements): { title: string; value: string }[] {
  return JUDGEMENT_AREAS.filter((a) => j[a]).map((a) => ({ title: AREA_NAMES[a], value: gradeLabel(j[a]) }));
}

export function linkActions(p: PublicationView): CardAction[] {
  const actions: CardAction[] = [];
  if (isWebUrl(p.url)) actions.push(openUrl('Read the letter', p.url, { style: 'positive' }));
  if (isWebUrl(p.authorityPageUrl)) actions.push(openUrl(`${p.authority} on Ofsted`, p.authorityPageUrl));
  return actions;
}

function manageAction(p: PublicationView): CardAction {
  return showCard(
    'Stop these alerts',
    [plainText("Pause or end this conversation's subscription that sent this alert. `resume` restarts a paused one; `list` shows them all.", { codeSpans: true, size: 'Small' })],
    [submit('Pause', { action: 'pause', urn: p.urn, council: p.authority }), submit('Unsubscribe', { action: 'unsubscribe', urn: p.urn, council: p.authority }, { style: 'destructive' })],
  );
}

export function notificationText(p: PublicationView, letter: LetterView, kind: AlertRenderOptions['kind']): string {
  const lead = kind === 'lookup' ? '' : kind === 'republished' ? 'Re-published: ' : 'New: ';
  let text = `${lead}${typeName(p.type)} of ${p.authority}, published ${longDate(p.publicationDate)}`;
  if (letter.status === 'ok') {
    const overall = letter.judgements.overall_effectiveness;
    if (overall) text += ` (overall: ${overall})`;
    const first = letter.summary.overview[0];
    if (first) text += `. ${first}`;
  }
  return text;
}

