// Slack's Block Kit limits, and the cutting that keeps every message inside them. Text is cut at a
// sentence boundary where one is near, else at a word boundary, never inside a word, a link or an
// &entity;, and a cut always says so ("…", "…and N more"). fitMessage is the last guard before sending.
import type { Block, Button, SlackMessage, TextObject } from './blocks.ts';
import { context } from './blocks.ts';

export const SLACK_LIMITS = {
  /** blocks in a message */
  blocks: 50,
  /** blocks in a Home tab view */
  homeBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  /** all text in a message's blocks (Slack fails with msg_blocks_too_long at about 13,000) */
  totalChars: 12_000,
  /** the top-level text: the notification and the fallback */
  notificationText: 3000,
} as const;

const ELLIPSIS = '…';

/** Where a cut may end: after sentence punctuation (and closing quotes/brackets) followed by a space. */
const SENTENCE_END = /[.!?;:][”"’')\]]*(?=\s)/g;

/**
 * Text at most `max` characters. If it must be cut: at the last sentence end that keeps at least half the
 * room, else at the last space; then `suffix` is appended (default "…"). Never splits a word, a <link|…>,
 * an &entity; or a surrogate pair, except a single word longer than the room, which is cut hard.
 */
export function cutText(text: string, max: number, suffix: string = ELLIPSIS): string {
  if (text.length <= max) return text;
  // room for the kept text, a space and the suffix
  const room = max - suffix.length - 1;
  if (room <= 0) return suffix.slice(0, Math.max(0, max));
  let end = -1;
  for (const m of text.slice(0, room + 1).matchAll(SENTENCE_END)) {
    const after = m.index + m[0].length;
    if (after <= room) end = after;
  }
  let atSentence = end >= room * 0.5;
  if (!atSentence) {
    const space = text.slice(0, room + 1).search(/\s\S*$/);
    end = space > 0 ? space : -1;
  }
  let cut = end > 0 ? text.slice(0, end) : hardCut(text, room);
  cut = protectMarkup(cut).trimEnd();
  // a cut that ended inside markup may now be empty
  if (!cut) {
    cut = hardCut(text, room);
    atSentence = false;
  }
  // "… the end. …" after a whole sentence, "… half a sente…" after a word, "… and 3 more" always spaced
  const joiner = atSentence || suffix !== ELLIPSIS ? ' ' : '';
  return `${cut}${joiner}${suffix}`;
}

function hardCut(text: string, room: number): string {
  let cut = text.slice(0, room);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1); // half a surrogate pair
  return cut;
}

/** Drops an unclosed <link|…> or a partial &entity; at the end of a cut. */
function protectMarkup(cut: string): string {
  const open = cut.lastIndexOf('<');
  if (open >= 0 && cut.indexOf('>', open) < 0) cut = cut.slice(0, open);
  return cut.replace(/&[a-z]{0,4}$/, '');
}

export interface CutList {
  text: string;
  shown: number;
  hidden: number;
}

/**
 * Joins items with `separator` into at most `max` characters. Items that do not fit are left out whole,
 * and the text ends with `more(hidden)` ("…and 3 more"). The first item is cut (at a sentence) rather
 * than dropped if it alone is too long.
 */
export function cutList(items: string[], max: number, opts: { separator?: string; more?: (hidden: number) => string } = {}): CutList {
  const separator = opts.separator ?? '\n';
  const more = opts.more ?? ((n: number) => `_…and ${n} more_`);
  const all = items.join(separator);
  if (all.length <= max) return { text: all, shown: items.length, hidden: 0 };
  const reserve = separator.length + more(items.length).length;
  const parts: string[] = [];
  let used = 0;
  for (const item of items) {
    const add = (parts.length ? separator.length : 0) + item.length;
    if (used + add + reserve > max) break;
    parts.push(item);
    used += add;
  }
  if (parts.length === 0 && items.length > 0) {
    const hiddenAfter = items.length - 1;
    const room = max - (hiddenAfter ? reserve : 0);
    if (room > 20) {
      parts.push(cutText(items[0]!, room));
      used = parts[0]!.length;
    }
  }
  const hidden = items.length - parts.length;
  const text = hidden ? [...parts, more(hidden)].join(separator) : parts.join(separator);
  return { text: text.length <= max ? text : cutText(text, max), shown: parts.length, hidden };
}

/** The characters a block carries: every text, url and value in it (type names and ids not counted). */
export function blockChars(block: unknown): number {
  if (Array.isArray(block)) return block.reduce((n: number, b) => n + blockChars(b), 0);
  if (!block || typeof block !== 'object') return 0;
  let n = 0;
  for (const [key, value] of Object.entries(block)) {
    if (typeof value === 'string') {
      if (key === 'text' || key === 'url' || key === 'value') n += value.length;
    } else if (typeof value === 'object') {
      n += blockChars(value);
    }
  }
  return n;
}

const clampText = <T extends TextObject>(t: T, max: number): T => (t.text.length <= max ? t : { ...t, text: cutText(t.text, max) });

function clampButton(b: Button): Button | null {
  if (b.url && b.url.length > SLACK_LIMITS.url) return null;
  const out: Button = { ...b, text: clampText(b.text, SLACK_LIMITS.buttonText) };
  if (out.value && out.value.length > SLACK_LIMITS.buttonValue) return null;
  return out;
}

/** One block within its own limits (texts, fields, elements). */
export function clampBlock(block: Block): Block | null {
  switch (block.type) {
    case 'header':
      return { ...block, text: clampText(block.text, SLACK_LIMITS.headerText) };
    case 'section': {
      const out = { ...block };
      if (out.text) out.text = clampText(out.text, SLACK_LIMITS.sectionText);
      if (out.fields) out.fields = out.fields.slice(0, SLACK_LIMITS.fields).map((f) => clampText(f, SLACK_LIMITS.fieldText));
      if (out.accessory) {
        const a = clampButton(out.accessory);
        if (a) out.accessory = a;
        else delete out.accessory;
      }
      if (!out.text && !out.fields?.length) return null;
      return out;
    }
    case 'context': {
      const elements = block.elements.slice(0, SLACK_LIMITS.contextElements).map((e) => clampText(e, SLACK_LIMITS.contextText));
      return elements.length ? { ...block, elements } : null;
    }
    case 'actions': {
      const elements = block.elements.slice(0, SLACK_LIMITS.actionsElements).map(clampButton).filter((b): b is Button => b !== null);
      return elements.length ? { ...block, elements } : null;
    }
    default:
      return block;
  }
}

export interface MessageParts {
  text: string;
  /** always kept (header, dates) */
  head: Block[];
  /** kept in order while they fit; the rest are counted in a "…and N more" note */
  body: Block[];
  /** always kept (buttons, footer) */
  tail: Block[];
}

export interface FitOptions {
  maxBlocks?: number;
  maxChars?: number;
  /** the note for body blocks left out */
  more?: (hidden: number) => string;
  /** false: never keep a shortened copy of the first body block that does not fit (lists count whole blocks) */
  shortenLast?: boolean;
}

/**
 * A message within every limit: each block clamped, then body blocks dropped from the end (with a note)
 * until the block count and the total characters fit; a last body block too long for what is left is cut.
 */
export function fitMessage(parts: MessageParts, opts: FitOptions = {}): SlackMessage {
  const maxBlocks = opts.maxBlocks ?? SLACK_LIMITS.blocks;
  const maxChars = opts.maxChars ?? SLACK_LIMITS.totalChars;
  const more = opts.more ?? ((n: number) => `_…and ${n} more ${n === 1 ? 'section' : 'sections'} not shown here._`);
  const clampAll = (bs: Block[]) => bs.map(clampBlock).filter((b): b is Block => b !== null);
  let head = clampAll(parts.head);
  let tail = clampAll(parts.tail);
  const body = clampAll(parts.body);
  // head and tail are small by design; if they are not, they give way too
  while (head.length + tail.length > maxBlocks - 1 && (tail.length || head.length)) {
    if (tail.length) tail = tail.slice(0, -1);
    else head = head.slice(0, -1);
  }
  const fixedChars = blockChars(head) + blockChars(tail);
  const noteReserve = more(body.length).length + 10;
  const kept: Block[] = [];
  let chars = fixedChars;
  for (const b of body) {
    const c = blockChars(b);
    const remaining = body.length - kept.length - 1;
    const reserve = remaining > 0 ? noteReserve : 0;
    const slots = maxBlocks - head.length - tail.length - (remaining > 0 ? 1 : 0);
    if (kept.length < slots && chars + c + reserve <= maxChars) {
      kept.push(b);
      chars += c;
      continue;
    }
    // room left for a shortened copy of this block?
    const room = maxChars - chars - noteReserve;
    if (opts.shortenLast !== false && kept.length < slots && b.type === 'section' && b.text && !b.fields && room >= 200) {
      const overhead = c - b.text.text.length;
      const cutBlock: Block = { ...b, text: { ...b.text, text: cutText(b.text.text, Math.min(SLACK_LIMITS.sectionText, room - overhead)) } };
      kept.push(cutBlock);
      chars += blockChars(cutBlock);
    }
    break;
  }
  const hidden = body.length - kept.length;
  // a shortened copy counts as shown; count only blocks left out entirely
  const note = hidden > 0 ? [context(more(hidden))] : [];
  let blocks = [...head, ...kept, ...note, ...tail];
  // last resort (head/tail alone too long): cut the longest texts until it fits
  while (blockChars(blocks) > maxChars) {
    const before = blockChars(blocks);
    blocks = shrinkLongest(blocks, before - maxChars);
    if (blockChars(blocks) >= before) break;
  }
  return { text: cutText(parts.text, SLACK_LIMITS.notificationText), blocks };
}

function shrinkLongest(blocks: Block[], excess: number): Block[] {
  let best = -1;
  let bestLen = 0;
  blocks.forEach((b, i) => {
    if (b.type === 'section' && b.text && b.text.text.length > bestLen) {
      best = i;
      bestLen = b.text.text.length;
    }
  });
  if (best < 0) return blocks.slice(0, -1);
  const b = blocks[best] as Extract<Block, { type: 'section' }>;
  const target = Math.max(20, bestLen - excess - 5);
  return blocks.map((x, i) => (i === best ? { ...b, text: { ...b.text!, text: cutText(b.text!.text, target) } } : x));
}

/** What breaks a limit in a message (empty when none): for tests and for the fake Slack. */
export function limitViolations(message: { text?: string; blocks?: unknown[] }, opts: { maxBlocks?: number; maxChars?: number } = {}): string[] {
  const problems: string[] = [];
  const blocks = (message.blocks ?? []) as Block[];
  const maxBlocks = opts.maxBlocks ?? SLACK_LIMITS.blocks;
  const maxChars = opts.maxChars ?? SLACK_LIMITS.totalChars;
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks (at most ${maxBlocks})`);
  const total = blockChars(blocks);
  if (total > maxChars) problems.push(`${total} characters in blocks (at most ${maxChars})`);
  if ((message.text ?? '').length > SLACK_LIMITS.notificationText) problems.push(`text of ${message.text!.length} characters`);
  blocks.forEach((b, i) => {
    const at = `block ${i} (${b.type})`;
    if (b.type === 'header' && b.text.text.length > SLACK_LIMITS.headerText) problems.push(`${at}: header of ${b.text.text.length} characters`);
    if (b.type === 'section') {
      if (b.text && b.text.text.length > SLACK_LIMITS.sectionText) problems.push(`${at}: text of ${b.text.text.length} characters`);
      if (!b.text && !b.fields?.length) problems.push(`${at}: section without text or fields`);
      if (b.text && !b.text.text.trim()) problems.push(`${at}: empty text`);
      if (b.fields && b.fields.length > SLACK_LIMITS.fields) problems.push(`${at}: ${b.fields.length} fields`);
      b.fields?.forEach((f) => f.text.length > SLACK_LIMITS.fieldText && problems.push(`${at}: field of ${f.text.length} characters`));
      if (b.accessory && b.accessory.text.text.length > SLACK_LIMITS.buttonText) problems.push(`${at}: button text too long`);
    }
    if (b.type === 'context') {
      if (b.elements.length > SLACK_LIMITS.contextElements) problems.push(`${at}: ${b.elements.length} elements`);
      b.elements.forEach((e) => e.text.length > SLACK_LIMITS.contextText && problems.push(`${at}: element of ${e.text.length} characters`));
    }
    if (b.type === 'actions') {
      if (b.elements.length > SLACK_LIMITS.actionsElements) problems.push(`${at}: ${b.elements.length} elements`);
      const ids = new Set<string>();
      for (const e of b.elements) {
        if (e.text.text.length > SLACK_LIMITS.buttonText) problems.push(`${at}: button text of ${e.text.text.length} characters`);
        if (e.url && e.url.length > SLACK_LIMITS.url) problems.push(`${at}: url too long`);
        if (ids.has(e.action_id)) problems.push(`${at}: duplicate action_id ${e.action_id}`);
        ids.add(e.action_id);
      }
    }
  });
  return problems;
}
