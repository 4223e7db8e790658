// The domain's replies, notices, digests and the welcome as Adaptive Cards. Pure. The reply's own text
// (written by the domain for every platform, with `code` spans) leads; lists and buttons follow.
// Teams has no messages only one person sees in a channel: every reply goes in the thread of the
// message that asked, so `visibility` changes nothing here.
import type { PublicationView, Reply, Subscription } from '../../../src/chat/types.ts';
import { describeDigest, describeFilters } from '../../../src/commands/describe.ts';
import { changedJudgements, digestFromPayload, type Digest } from '../../../src/digests/types.ts';
import { actionSet, container, factSet, isWebUrl, plainText, submit, textBlock, type CardAction, type CardElement } from './card.ts';
import { AREA_NAMES, CONCERN, dateRange, gradeLabel, longDate, STRENGTH, typeName } from './labels.ts';
import { packCard, type TeamsPart } from './parts.ts';
import { renderAlertParts, renderThemeParts } from './render-alert.ts';

/** subscriptions listed with buttons; more are listed as text */
export const MAX_BUTTON_ROWS = 25;

export function renderReply(reply: Reply): TeamsPart[] {
  switch (reply.kind) {
    case 'text':
    case 'help':
    case 'digest-set':
      return textCard(reply.text);
    case 'error':
      return textCard(reply.text, { warning: true });
    case 'did-you-mean':
      return listCard(reply.text, reply.suggestions.map((s) => plainText(`• ${s}`, { spacing: 'None' })));
    case 'subscribed':
      return listCard(withoutBullets(reply.text, reply.created.length + reply.alreadyHad.length + (reply.updated?.length ?? 0) > 0), [
        ...reply.created.map((s) => subscriptionRow(s, '➕ ')),
        ...(reply.updated ?? []).map((s) => subscriptionRow(s, '🔄 ', 'updated')),
        ...reply.alreadyHad.map((s) => subscriptionRow(s, '✔️ ', 'already followed')),
      ]);
    case 'unsubscribed':
      return listCard(withoutBullets(reply.text, reply.ended.length > 0), reply.ended.map((s) => subscriptionRow(s, '➖ ')));
    case 'subscriptions': {
      const live = reply.subscriptions.filter((s) => s.status !== 'ended');
      const rows = live.map((s, i) => subscriptionRow(s, '', undefined, i < MAX_BUTTON_ROWS));
      const foot = /digest|alert/i.test(reply.text) ? [] : [plainText(`Delivery: ${describeDigest(reply.digest)}.`, { subtle: true, size: 'Small', spacing: 'Medium' })];
      return listCard(withoutBullets(reply.text, rows.length > 0), rows, foot);
    }
    case 'publication':
      return renderAlertParts({ publication: reply.publication, letter: reply.letter }, { kind: 'lookup' });
    case 'themes':
      return renderThemeParts(
        { publication: reply.publication, letter: reply.letter },
        { head: [plainText(`${reply.authority}: themes`, { weight: 'Bolder', size: 'Medium' }), plainText(publicationLine(reply.publication), { subtle: true, spacing: 'None' })] },
      );
    case 'history':
      return listCard(reply.text, reply.publications.map((p) => linked(plainText(publicationLine(p), { spacing: 'Small' }), p.url)));
    case 'search':
      return listCard(
        reply.text,
        reply.hits.map((h) =>
          linked(
            container([plainText(`${h.publication.authority}: ${publicationLine(h.publication)}`, { weight: 'Bolder' }), plainText(oneLine(h.snippet), { subtle: true, spacing: 'None' })], { spacing: 'Medium' }),
            h.publication.url,
          ),
        ),
      );
  }
}

/** "7 March 2025 · Focused visit" */
export function publicationLine(p: PublicationView): string {
  return `${longDate(p.publicationDate)} · ${typeName(p.type)}`;
}

const FREQUENCY_WORDS: Record<Subscription['frequency'], string> = { immediate: 'alerts as published', daily: 'daily digest', weekly: 'weekly digest' };

export function subscriptionRow(s: Subscription, mark = '', note?: string, buttons = false): CardElement {
  const status = s.status === 'paused' ? ` · ⏸️ paused${s.statusReason ? ` (${s.statusReason})` : ''}` : s.status === 'ended' ? ' · ended' : '';
  const items: CardElement[] = [
    plainText(`${mark}${s.target.kind === 'all' ? 'All councils' : s.targetName}`, { weight: 'Bolder' }),
    plainText(`${describeFilters(s)} · ${FREQUENCY_WORDS[s.frequency]}${status}${note ? ` · ${note}` : ''}`, { subtle: true, spacing: 'None' }),
  ];
  if (buttons && s.status !== 'ended') {
    const actions: CardAction[] = [
      s.status === 'paused' ? submit('Resume', { action: 'resume', subscriptionId: s.id }, { style: 'positive' }) : submit('Pause', { action: 'pause', subscriptionId: s.id }),
      submit('Unsubscribe', { action: 'unsubscribe', subscriptionId: s.id }, { style: 'destructive' }),
    ];
    items.push(actionSet(actions));
  }
  return container(items, { spacing: 'Medium' });
}

/** The domain's text, paragraph by paragraph, `code` spans in monospace. */
export function textElements(text: string, opts: { warning?: boolean } = {}): CardElement[] {
  const lines = text.split('\n');
  const out: CardElement[] = [];
  let gap = false;
  for (const line of lines) {
    if (line.trim() === '') {
      gap = true;
      continue;
    }
    const first = out.length === 0;
    out.push(plainText(first && opts.warning ? `⚠️ ${line}` : line, { codeSpans: true, spacing: first ? undefined : gap ? 'Medium' : 'None', ...(first && opts.warning ? { color: 'Attention' as const } : {}) }));
    gap = false;
  }
  return out.length ? out : [plainText('Done.')];
}

export function textCard(text: string, opts: { warning?: boolean } = {}): TeamsPart[] {
  return packCard({ head: [], body: textElements(text, opts), summary: oneLine(text) || 'Ofsted alerts' });
}

function listCard(text: string, rows: CardElement[], foot: CardElement[] = []): TeamsPart[] {
  const head = text.trim() ? textElements(text) : [];
  return packCard({ head, body: rows, tail: foot, summary: oneLine(text) || 'Ofsted alerts' });
}

function linked(el: CardElement, url: string): CardElement {
  if (!isWebUrl(url)) return el;
  const box = el.type === 'Container' ? el : container([el], { spacing: 'Small' });
  return { ...box, selectAction: { type: 'Action.OpenUrl', url, title: 'Open the letter' } };
}

/**
 * The domain's text without its bulleted lines, when the same items are shown below as rows (the text's
 * bullets are its plain rendering of those items, for platforms without cards).
 */
export function withoutBullets(text: string, listed: boolean): string {
  if (!listed) return text;
  const kept = text.split('\n').filter((line) => !/^\s*[•*-]\s/.test(line));
  return kept.join('\n').replace(/\n{3,}/g, '\n\n').trim() || text;
}

const oneLine = (s: string) => s.replace(/`/g, '').replace(/\s+/g, ' ').trim();

// ───────────────────────────── notices, digests, welcome ─────────────────────────────

export function renderNotice(text: string): TeamsPart[] {
  return packCard({ head: [textBlock('Ofsted alerts', { weight: 'Bolder' })], body: textElements(text), summary: oneLine(text) });
}

export function renderDigest(payload: unknown): TeamsPart[] {
  const digest = digestFromPayload(payload);
  if (!digest) {
    const text = (payload as { text?: unknown } | null)?.text;
    return textCard(typeof text === 'string' && text.trim() ? text : 'Your Ofsted alerts digest is ready.');
  }
  return renderDigestCards(digest);
}

export function renderDigestCards(d: Digest): TeamsPart[] {
  const head: CardElement[] = [
    plainText(d.mode === 'daily' ? 'Daily digest' : 'Weekly digest', { weight: 'Bolder', size: 'Medium' }),
    plainText(d.windowLabel, { subtle: true, spacing: 'None' }),
  ];
  if (d.late) head.push(plainText(d.late.notice, { color: 'Warning' }));
  head.push(plainText(d.text));
  const body: CardElement[] = [];
  const changes = changedJudgements(d);
  if (changes.length) {
    body.push(textBlock('Judgements that changed', { weight: 'Bolder', spacing: 'Medium' }));
    body.push(factSet(changes.map((c) => ({ title: `${c.authority}: ${AREA_NAMES[c.change.area]}`, value: `${gradeLabel(c.change.from)} → ${gradeLabel(c.change.to)}` }))));
  }
  for (const c of d.councils) {
    const items: CardElement[] = [plainText(c.authority, { weight: 'Bolder' })];
    for (const p of c.publications) {
      const line = [`${typeName(p.type)} · published ${longDate(p.publicationDate)}`];
      const visit = dateRange(p.visitDates.start, p.visitDates.end);
      if (visit) line.push(`visit ${visit}`);
      if (p.republished) line.push('re-published');
      const pub: CardElement[] = [plainText(line.join(' · '), { subtle: true, spacing: 'Small' })];
      if (p.judgements?.overall_effectiveness) pub.push(plainText(`Overall effectiveness: ${gradeLabel(p.judgements.overall_effectiveness)}`, { spacing: 'None' }));
      if (p.letter.status === 'unavailable') pub.push(plainText(`Summary unavailable: ${p.letter.reason}.`, { color: 'Warning', spacing: 'None' }));
      else if (p.headline) pub.push(plainText(p.headline, { spacing: 'None' }));
      items.push(linked(container(pub, { spacing: 'Small' }), p.url));
    }
    body.push(container(items, { spacing: 'Medium', separator: true }));
  }
  if (d.themes.length) {
    body.push(textBlock(d.themeFocus ? 'The themes you follow' : 'Themes raised most', { weight: 'Bolder', spacing: 'Large' }));
    body.push(
      factSet(
        d.themes.slice(0, 10).map((t) => ({
          title: t.name,
          value: `${t.letters} ${t.letters === 1 ? 'letter' : 'letters'} · ${CONCERN} ${t.concernLetters} · ${STRENGTH} ${t.strengthLetters}`,
        })),
      ),
    );
    for (const t of d.themes.slice(0, 3)) {
      if (t.concern) body.push(plainText(`${CONCERN} ${t.name}, ${t.concern.authority}: “${t.concern.sentence}”`, { spacing: 'Small' }));
    }
  }
  const tail = [textBlock("Sentences are Ofsted's own, picked by ofsted-alerts.", { subtle: true, size: 'Small', spacing: 'Medium' })];
  return packCard({ head, body, tail, summary: d.text });
}

export function renderWelcome(opts: { botName?: string; scope: 'team' | 'groupChat' | 'personal' }): TeamsPart[] {
  const name = opts.botName?.trim() || 'Ofsted Alerts';
  const ask = opts.scope === 'personal' ? '' : `@${name} `;
  const body: CardElement[] = [
    plainText(`Hello! I'm ${name}.`, { weight: 'Bolder', size: 'Medium' }),
    plainText("I post Ofsted's new publications about English councils' children's services here — inspections, focused visits, monitoring visits — each with a summary by theme and a link to the letter."),
    plainText(opts.scope === 'personal' ? 'Type a command here, for example:' : 'Mention me with a command, for example:', { spacing: 'Medium' }),
    plainText(`• \`${ask}subscribe Wakefield, Leeds\``, { codeSpans: true, spacing: 'None' }),
    plainText(`• \`${ask}subscribe region:"Yorkshire and the Humber" types:inspection\``, { codeSpans: true, spacing: 'None' }),
    plainText(`• \`${ask}latest Wakefield\` · \`${ask}list\` · \`${ask}help\``, { codeSpans: true, spacing: 'None' }),
  ];
  return packCard({
    head: [],
    body,
    actions: [submit('Show help', { action: 'command', command: 'help' }), submit('What is followed here?', { action: 'command', command: 'list' })],
    summary: `Hello! I'm ${name}: mention me with "subscribe Wakefield" to follow a council.`,
  });
}
