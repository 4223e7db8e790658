// The domain's replies to /ofsted as Block Kit, one renderer per kind. Pure. The reply's own `text`
// (written by the domain for every platform) leads; lists and cards follow.
import type { PublicationView, Reply, Subscription } from '../../../src/chat/types.ts';
import { context, header, section, type Block, type SlackMessage } from './blocks.ts';
import { digestWords, filterWords, FREQUENCY_NAMES, STATUS_MARK, targetWords, typeName } from './labels.ts';
import { cutList, cutText, fitMessage, SLACK_LIMITS } from './limits.ts';
import { escapeMrkdwn, link, longDate } from './mrkdwn.ts';
import { renderAlert, renderAlertDetails } from './render-alert.ts';
import { themeName } from './theme-names.ts';

export interface RenderedReply extends SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
}

export function renderReply(reply: Reply): RenderedReply {
  let message = renderReplyMessage(reply);
  if (!message.blocks.length) message = { ...message, blocks: [section(escapeMrkdwn(message.text.trim() || 'Done.'))] };
  return { response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral', ...message };
}

function renderReplyMessage(reply: Reply): SlackMessage {
  switch (reply.kind) {
    case 'text':
    case 'help':
    case 'digest-set':
      return textMessage(reply.text);
    case 'error':
      return textMessage(reply.text, '⚠️ ');
    case 'did-you-mean':
      return listMessage(reply.text, reply.suggestions.map((s) => `• ${escapeMrkdwn(s)}`), (n) => `_…and ${n} more_`);
    case 'subscribed':
      return listMessage(
        withoutBullets(reply.text, reply.created.length + reply.alreadyHad.length + (reply.updated?.length ?? 0) > 0),
        [
          ...reply.created.map((s) => subscriptionLine(s, '➕')),
          ...(reply.updated ?? []).map((s) => subscriptionLine(s, '🔄', 'updated')),
          ...reply.alreadyHad.map((s) => subscriptionLine(s, '✔️', 'already subscribed')),
        ],
        (n) => `_…and ${n} more: \`/ofsted list\` shows them all_`,
      );
    case 'unsubscribed':
      return listMessage(withoutBullets(reply.text, reply.ended.length > 0), reply.ended.map((s) => subscriptionLine(s, '➖')), (n) => `_…and ${n} more_`);
    case 'subscriptions': {
      const live = reply.subscriptions.filter((s) => s.status !== 'ended');
      const lines = live.map((s) => subscriptionLine(s));
      const foot = /digest|alert/i.test(reply.text) ? undefined : `Delivery: ${digestWords(reply.digest)}.`;
      return listMessage(withoutBullets(reply.text, lines.length > 0), lines, (n) => `_…and ${n} more_`, foot);
    }
    case 'publication':
      return renderAlert({ publication: reply.publication, letter: reply.letter }, { kind: 'lookup' });
    case 'themes': {
      const head = [header(cutText(`${reply.authority}: themes`, SLACK_LIMITS.headerText)), context(publicationLine(reply.publication))];
      const details = renderAlertDetails({ publication: reply.publication, letter: reply.letter }, { head });
      if (details) return details;
      const why = reply.letter.status === 'unavailable' ? `the summary is unavailable: ${reply.letter.reason}` : 'no themes were found in the letter';
      return textMessage(`${reply.authority}: ${why}.`, '', [publicationLine(reply.publication)]);
    }
    case 'history':
      return listMessage(
        reply.text,
        reply.publications.map((p) => `• ${publicationLine(p)}`),
        (n) => `_…and ${n} earlier: see ${escapeMrkdwn(reply.authority)} on Ofsted's site_`,
      );
    case 'search': {
      const head = [section(escapeMrkdwn(reply.text))];
      const body: Block[] = reply.hits.map((h) => section(`${publicationLine(h.publication, true)}\n> ${cutText(escapeMrkdwn(oneLine(h.snippet)), 600)}`));
      return fitMessage({ text: reply.text, head, body, tail: [] }, { more: (n) => `_…and ${n} more ${n === 1 ? 'result' : 'results'}: add words to narrow the search_` });
    }
  }
}

/** "7 March 2025 · Focused visit · Wakefield" with the letter linked. */
export function publicationLine(p: PublicationView, withAuthority = false): string {
  const what = `${withAuthority ? `${p.authority}: ` : ''}${typeName(p.type)}`;
  return `${longDate(p.publicationDate)} · ${p.url ? link(p.url, what) : escapeMrkdwn(what)}`;
}

export function subscriptionLine(s: Subscription, mark = '•', note?: string): string {
  const status = s.status === 'active' ? '' : ` · ${STATUS_MARK[s.status]}${s.statusReason ? ` (${escapeMrkdwn(s.statusReason)})` : ''}`;
  const extra = note ? ` · _${note}_` : '';
  return `${mark} *${escapeMrkdwn(targetWords(s.target, s.targetName))}* · ${escapeMrkdwn(filterWords(s, themeName))} · ${FREQUENCY_NAMES[s.frequency]}${status}${extra}`;
}

/** Text in as many sections as it needs (split at blank lines, then cut at sentences). */
function textMessage(text: string, prefix = '', contextLines: string[] = []): SlackMessage {
  const paragraphs = splitText(escapeMrkdwn(text), SLACK_LIMITS.sectionText - prefix.length);
  const body = paragraphs.map((p, i) => section(i === 0 ? prefix + p : p));
  const tail = contextLines.length ? [context(...contextLines)] : [];
  return fitMessage({ text: prefix + text, head: [], body, tail }, { more: (n) => `_…and ${n} more ${n === 1 ? 'part' : 'parts'}_` });
}

function listMessage(text: string, lines: string[], more: (n: number) => string, foot?: string): SlackMessage {
  const head = text.trim() ? [section(cutText(escapeMrkdwn(text), SLACK_LIMITS.sectionText))] : [];
  // several sections of lines, each within a section's limit, so that long lists still show a lot
  const body: Block[] = [];
  const linesIn: number[] = [];
  let rest = lines;
  while (rest.length) {
    const chunk = cutList(rest, SLACK_LIMITS.sectionText - 100, { more: () => '' });
    const shown = Math.max(1, chunk.shown);
    body.push(section(chunk.shown ? rest.slice(0, shown).join('\n') : cutText(rest[0]!, SLACK_LIMITS.sectionText)));
    linesIn.push(shown);
    rest = rest.slice(shown);
  }
  const tail = foot ? [context(escapeMrkdwn(foot))] : [];
  // fitMessage drops whole sections from the end: say how many lines they held
  const hiddenLines = (n: number) => linesIn.slice(linesIn.length - n).reduce((a, b) => a + b, 0);
  return fitMessage({ text, head, body, tail }, { more: (n) => more(hiddenLines(n)), shortenLast: false });
}

function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const para of text.split(/\n{2,}/)) {
    const candidate = current ? `${current}\n\n${para}` : para;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current) out.push(current);
    current = para;
    while (current.length > max) {
      const piece = cutText(current, max, '');
      const kept = piece.trimEnd();
      out.push(kept);
      current = current.slice(kept.length).trimStart();
    }
  }
  if (current) out.push(current);
  return out.filter((p) => p.trim()).length ? out.filter((p) => p.trim()) : ['_(nothing to say)_'];
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The domain's text without its bulleted lines, when the same items are shown below as a richer list
 * (the text's bullets are its plain rendering of those items, for platforms without blocks).
 */
function withoutBullets(text: string, listed: boolean): string {
  if (!listed) return text;
  const kept = text.split('\n').filter((line) => !/^\s*[•*-]\s/.test(line));
  return kept.join('\n').replace(/\n{3,}/g, '\n\n').trim() || text;
}
