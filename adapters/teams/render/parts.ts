// Messages as Teams activities, each within the size Teams accepts. Teams refuses a message over about
// 100 KB (413 MessageSizeTooBig), counted in UTF-16; we measure the activity's JSON the same way (2 bytes
// a code unit) and keep every part under 80 KB. A card that would be larger is never refused: its body is
// spread over several cards, sent one after another (in a channel, the later ones in the first's thread).
// Pure; no SDK.
import { ADAPTIVE_CARD_CONTENT_TYPE, card, clean, cut, textBlock, type AdaptiveCard, type CardAction, type CardElement } from './card.ts';

export const MESSAGE_BUDGET_BYTES = 80 * 1024;
/** Teams' own limit, for the fake connector and the tests */
export const TEAMS_MESSAGE_LIMIT_BYTES = 100 * 1024;

export interface TeamsMessageActivity {
  type: 'message';
  /** what Teams shows in notifications and the activity feed */
  summary?: string;
  text?: string;
  textFormat?: 'plain' | 'markdown';
  attachments?: { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }[];
}

/** One message to post: the activity, and the plain text sent instead if Teams refuses the card. */
export interface TeamsPart {
  activity: TeamsMessageActivity;
  fallbackText: string;
}

/** The size Teams counts: UTF-16, 2 bytes per code unit of the JSON. */
export const sizeOf = (value: unknown): number => JSON.stringify(value).length * 2;

const SUMMARY_CHARS = 250;
const FALLBACK_CHARS = 20_000;

export function cardPart(content: AdaptiveCard, summary: string): TeamsPart {
  const fallbackText = cut(plainTextOf(content.body), FALLBACK_CHARS) || cut(clean(summary), FALLBACK_CHARS);
  return {
    activity: {
      type: 'message',
      summary: cut(clean(summary), SUMMARY_CHARS),
      attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content }],
    },
    fallbackText,
  };
}

/** A plain text message (the fallback when Teams refuses a card). */
export function textPart(text: string, summary?: string): TeamsPart {
  const t = cut(clean(text).trim() || '…', FALLBACK_CHARS);
  return { activity: { type: 'message', text: t, textFormat: 'plain', summary: cut(clean(summary ?? t), SUMMARY_CHARS) }, fallbackText: t };
}

/** The words of card elements, one line per block, for text fallbacks and notifications. */
export function plainTextOf(elements: readonly unknown[]): string {
  const lines: string[] = [];
  const walk = (el: unknown): void => {
    if (!el || typeof el !== 'object') return;
    const e = el as Record<string, unknown>;
    switch (e.type) {
      case 'TextBlock':
        if (typeof e.text === 'string') lines.push(e.text);
        return;
      case 'RichTextBlock':
        lines.push(((e.inlines as { text?: string }[]) ?? []).map((r) => r.text ?? '').join(''));
        return;
      case 'FactSet':
        for (const f of (e.facts as { title: string; value: string }[]) ?? []) lines.push(`${f.title}: ${f.value}`);
        return;
      case 'Container':
        for (const item of (e.items as unknown[]) ?? []) walk(item);
        return;
      case 'ColumnSet':
        for (const col of (e.columns as { items?: unknown[] }[]) ?? []) for (const item of col.items ?? []) walk(item);
        return;
      default:
        return;
    }
  };
  for (const el of elements) walk(el);
  return lines.map((l) => l.trim()).filter(Boolean).join('\n');
}

export interface PackInput {
  head: CardElement[];
  body: CardElement[];
  tail?: CardElement[];
  /** on the first card */
  actions?: CardAction[];
  summary: string;
  /** the first elements of a later card ("…continued") */
  continued?: (part: number) => CardElement[];
  budgetBytes?: number;
}

/** One card if it fits the budget, else as many as it takes; every part within the budget. */
export function packCard(input: PackInput): TeamsPart[] {
  const budget = input.budgetBytes ?? MESSAGE_BUDGET_BYTES;
  const tail = input.tail ?? [];
  const actions = input.actions ?? [];
  const whole = cardPart(card([...input.head, ...input.body, ...tail], actions, input.summary), input.summary);
  if (sizeOf(whole.activity) <= budget) return [whole];

  const continued = input.continued ?? ((n: number) => [textBlock(`(continued, part ${n})`, { subtle: true, size: 'Small' })]);
  // a part's size: its frame (the activity with an empty card, summary, actions) plus its elements
  const frame = (acts: CardAction[]) => sizeOf(cardPart(card([], acts, input.summary), input.summary).activity) + 256;
  const sized = (el: CardElement) => sizeOf(el) + 2;

  const groups: CardElement[][] = [];
  let current: CardElement[] = [...input.head];
  let room = budget - frame(actions) - input.head.reduce((n, el) => n + sized(el), 0);
  const flush = () => {
    groups.push(current);
    current = [...continued(groups.length + 1)];
    room = budget - frame([]) - current.reduce((n, el) => n + sized(el), 0);
  };
  for (const original of [...input.body, ...tail]) {
    let el = original;
    if (sized(el) > room && current.length > (groups.length === 0 ? input.head.length : continued(groups.length + 1).length)) flush();
    if (sized(el) > room) el = shrink(el, room);
    current.push(el);
    room -= sized(el);
  }
  groups.push(current);
  return groups.map((elements, i) => {
    const part = cardPart(card(elements, i === 0 ? actions : [], i === 0 ? input.summary : undefined), i === 0 ? input.summary : `${input.summary} (continued)`);
    return part;
  });
}

/** An element too large for any card: its words, cut to fit. */
function shrink(el: CardElement, room: number): CardElement {
  const chars = Math.max(200, Math.floor(room / 2 / 1.2) - 200);
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: cut(plainTextOf([el]) || ' ', chars) }] };
}
