// Command text → ParsedCommand, once for every platform. Pure and total: any input at all (empty,
// huge, control characters, emoji, unbalanced quotes) gives a ParsedCommand, never an exception; a
// problem comes back as { ok: false, message } saying what is wrong with an example. Council names stay
// text here (the handler resolves them). Case-insensitive; straight and curly quotes; `public` before
// the verb or as the last word shares a lookup in the channel.
import { DEFAULT_DIGEST_TIME, type Command, type DigestSetting, type ParsedCommand, type TargetSpec, type Weekday } from '../chat/types.ts';
import { PUBLICATION_TYPES, type PublicationType } from '../letters/types.ts';
import { THEME_IDS } from '../themes/taxonomy.ts';
import { beginsId, nearestVerb, publicationTypeOf, themeIdOf, verbOf, weekdayOf, type Verb } from './command-words.ts';
import { cleanText, stripMention, tokenize, type Token } from './tokenize.ts';

/** Longer input is refused before any work is done on it. */
export const MAX_COMMAND_CHARS = 2_000;
const MAX_SEARCH_CHARS = 500;

const fail = (message: string): ParsedCommand => ({ ok: false, message });
const ok = (command: Command, isPublic = false): ParsedCommand => ({ ok: true, command, public: isPublic });

/** A piece of what the person typed, safe to quote back: short, in curly quotes. */
export function echo(text: string, max = 60): string {
  const t = text.replace(/[`\s]+/g, ' ').trim();
  return `“${t.length > max ? `${t.slice(0, max)}…` : t}”`;
}

export function parseCommand(input: unknown): ParsedCommand {
  try {
    return parse(typeof input === 'string' ? input : '');
  } catch {
    // unreachable by design; the parser must stay total even if a bug says otherwise
    return fail("Sorry, I could not read that command. Type `help` to see what I understand.");
  }
}

function parse(input: string): ParsedCommand {
  if (input.length > MAX_COMMAND_CHARS * 2) return tooLong(input.length);
  const text = stripMention(cleanText(input));
  if (text.length > MAX_COMMAND_CHARS) return tooLong(text.length);
  let tokens = tokenize(text);
  // a leading "/ofsted" typed into a message: drop it
  if (tokens.length > 1 && /^\/\S/.test(tokens[0]!.raw) && !verbOf(tokens[0]!.raw)) tokens = tokens.slice(1);

  let isPublic = false;
  const isPublicWord = (t: Token | undefined) => !!t && !t.quoted && !t.option && /^-{0,2}public$/i.test(t.text);
  if (isPublicWord(tokens[0])) {
    isPublic = true;
    tokens = tokens.slice(1);
  }
  if (tokens.length === 0) return ok({ kind: 'help' }, isPublic);

  const first = tokens[0]!;
  const verb = first.quoted || first.option ? undefined : verbOf(first.text);
  if (!verb) return unknownVerb(first);
  let rest = tokens.slice(1);
  if (rest.length > 0 && isPublicWord(rest[rest.length - 1]) && (rest.length > 1 || !NEEDS_ARGUMENT.has(verb))) {
    isPublic = true;
    rest = rest.slice(0, -1);
  }
  switch (verb) {
    case 'subscribe':
    case 'unsubscribe':
    case 'pause':
    case 'resume':
      return targetsCommand(verb, rest, isPublic);
    case 'list':
      return ok({ kind: 'list' }, isPublic);
    case 'latest':
    case 'history':
    case 'themes': {
      const query = joinText(rest);
      if (query === '') return fail(`\`${verb}\` needs a council, e.g. \`${verb} Wakefield\`.`);
      return ok({ kind: verb, query }, isPublic);
    }
    case 'search': {
      const words = rest.map((t) => t.raw).join(' ').trim();
      if (words === '') return fail('`search` needs words to look for in the letters, e.g. `search care leavers accommodation` ("quoted phrases" work).');
      if (words.length > MAX_SEARCH_CHARS) return fail(`That search is too long (${words.length} characters; at most ${MAX_SEARCH_CHARS}). A few words work best, e.g. \`search care leavers accommodation\`.`);
      return ok({ kind: 'search', words }, isPublic);
    }
    case 'digest': {
      const d = parseDigest(rest.map((t) => t.text));
      return d.ok ? ok({ kind: 'digest', setting: d.setting }, isPublic) : fail(d.message);
    }
    case 'help': {
      const topic = rest[0]?.text.toLowerCase().replace(/[^a-z0-9-]/g, '');
      return ok(topic ? { kind: 'help', topic: verbOf(topic) ?? topic } : { kind: 'help' }, isPublic);
    }
  }
}

const NEEDS_ARGUMENT = new Set<Verb>(['subscribe', 'unsubscribe', 'latest', 'history', 'themes', 'search', 'digest']);

function tooLong(length: number): ParsedCommand {
  return fail(`That is too long for a command (${length} characters; at most ${MAX_COMMAND_CHARS}). Commands are short, e.g. \`subscribe Wakefield\` or \`search care leavers\`. Type \`help\` for the list.`);
}

function unknownVerb(first: Token): ParsedCommand {
  const near = first.quoted || first.option ? undefined : nearestVerb(first.text);
  const hint = near ? ` Did you mean \`${near}\`?` : '';
  return fail(
    `I don't know the command ${echo(first.text, 40)}.${hint} Commands: subscribe, unsubscribe, list, latest, history, themes, search, digest, pause, resume, help. ` +
      'For example `subscribe Wakefield` or `latest Wakefield`.',
  );
}

/** Free words back into text: "Wakefield, Leeds" stays as typed; quotes are dropped. */
function joinText(tokens: readonly Token[]): string {
  return tokens
    .map((t) => t.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ALL_WORDS = /^(?:all|all councils|all local authorities|all authorities|all las|every council|everything|everywhere|england|all of england|all england)$/i;
const FILLER_START = /^(?:to|from|for|me to|us to)\s+/i;

function targetsCommand(verb: 'subscribe' | 'unsubscribe' | 'pause' | 'resume', tokens: Token[], isPublic: boolean): ParsedCommand {
  // free words, in runs between options: "Wakefield types:inspection Leeds" is two names
  const runs: Token[][] = [[]];
  const regionTexts: string[] = [];
  const typeTexts: string[] = [];
  const themeTexts: string[] = [];
  const emptyOptions: string[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.option) {
      runs[runs.length - 1]!.push(t);
      continue;
    }
    if (runs[runs.length - 1]!.length > 0) runs.push([]);
    let value = t.option.value;
    if (!t.option.quoted) {
      // a list may go on after commas ("types: inspection, focused-visit"); an unquoted region runs to the next comma or option
      const isRegion = t.option.key === 'region';
      while (i + 1 < tokens.length && !tokens[i + 1]!.option) {
        const next = tokens[i + 1]!;
        const lastItem = value.split(/[,;]/).pop()!.trim();
        const continues = isRegion
          ? value === '' || !value.endsWith(',')
          : value === '' ||
            value.endsWith(',') ||
            next.text.startsWith(',') ||
            (lastItem !== '' && beginsId(t.option.key as 'types' | 'themes', `${lastItem} ${next.text.replace(/[,;]+$/, '')}`));
        if (!continues) break;
        value = `${value} ${next.text}`.trim();
        i++;
      }
    }
    const items = value
      .split(/[,;]/)
      .map((v) => v.trim())
      .filter(Boolean);
    if (items.length === 0) emptyOptions.push(t.option.key);
    if (t.option.key === 'region') regionTexts.push(...items);
    else if (t.option.key === 'types') typeTexts.push(...items);
    else themeTexts.push(...items);
  }

  const example = verb === 'subscribe' ? 'subscribe Wakefield types:inspection,focused-visit themes:front-door,care-leavers' : `${verb} Wakefield`;
  if (emptyOptions.length > 0) {
    const k = emptyOptions[0]!;
    const valid = k === 'types' ? ` Valid types: ${PUBLICATION_TYPES.join(', ')}.` : k === 'themes' ? ` Valid themes: ${THEME_IDS.join(', ')}.` : '';
    return fail(`\`${k}:\` needs a value, e.g. \`${example}\`.${valid}`);
  }
  if (verb !== 'subscribe' && (typeTexts.length > 0 || themeTexts.length > 0)) {
    return fail(`Filters (types:, themes:) go with \`subscribe\`. To change a filter, subscribe again with the new one, e.g. \`subscribe Wakefield types:inspection\`.`);
  }

  const types: PublicationType[] = [];
  const badTypes: string[] = [];
  for (const t of typeTexts) {
    const id = publicationTypeOf(t);
    if (id) {
      if (!types.includes(id)) types.push(id);
    } else badTypes.push(t);
  }
  const themes: string[] = [];
  const badThemes: string[] = [];
  for (const t of themeTexts) {
    const id = themeIdOf(t);
    if (id) {
      if (!themes.includes(id)) themes.push(id);
    } else badThemes.push(t);
  }
  const problems: string[] = [];
  if (badTypes.length > 0) {
    problems.push(`${badTypes.length === 1 ? 'Unknown publication type' : 'Unknown publication types'} ${badTypes.map((b) => echo(b, 30)).join(', ')}. Valid types: ${PUBLICATION_TYPES.join(', ')}.`);
  }
  if (badThemes.length > 0) {
    problems.push(`${badThemes.length === 1 ? 'Unknown theme' : 'Unknown themes'} ${badThemes.map((b) => echo(b, 30)).join(', ')}. Valid themes: ${THEME_IDS.join(', ')}.`);
  }
  if (problems.length > 0) return fail(`${problems.join(' ')} Nothing was changed.`);

  const targets: TargetSpec[] = regionTexts.map((text) => ({ kind: 'region', text }));
  let freeText = runs
    .map((run) => joinText(run))
    .filter(Boolean)
    .join(', ')
    .replace(/^[\s,;&]+|[\s,;&]+$/g, '')
    .replace(FILLER_START, '')
    .replace(/^(?:and\s+)+|(?:\s+and)+$/gi, '')
    .trim();
  let everything = false;
  if (ALL_WORDS.test(freeText)) {
    everything = true;
    freeText = '';
  } else if (freeText !== '') targets.push({ kind: 'text', text: freeText });

  if (verb === 'subscribe') {
    if (everything) targets.unshift({ kind: 'all' });
    if (targets.length === 0) {
      return fail('Tell me what to follow: a council (`subscribe Wakefield, Leeds`), a region (`subscribe region:"Yorkshire and the Humber"`) or `subscribe all`. Add `types:` or `themes:` to filter.');
    }
    return ok({ kind: 'subscribe', targets, types, themes }, isPublic);
  }
  if (everything && targets.length === 0) return ok({ kind: verb, targets: 'all' }, isPublic);
  if (everything) targets.unshift({ kind: 'all' });
  if (targets.length === 0) {
    if (verb === 'unsubscribe') return fail('Tell me what to stop following, e.g. `unsubscribe Wakefield`, or `unsubscribe all` for everything. `list` shows what this channel follows.');
    return ok({ kind: verb, targets: 'all' }, isPublic);
  }
  return ok({ kind: verb, targets }, isPublic);
}

type DigestParse = { ok: true; setting: DigestSetting } | { ok: false; message: string };

const DIGEST_EXAMPLES = '`digest daily`, `digest daily 08:30`, `digest weekly monday 09:00` or `digest off` (an alert as each publication appears)';
const OFF_WORDS = new Set(['off', 'none', 'no', 'stop', 'disable', 'disabled', 'immediate', 'immediately', 'instant', 'realtime', 'real-time', 'live']);
const DAILY_WORDS = new Set(['daily', 'day', 'everyday', 'days']);
const WEEKLY_WORDS = new Set(['weekly', 'week', 'weeks']);
const FILLER = new Set(['at', 'on', 'every', 'each', 'a', 'an', 'the', 'please', 'digest', 'of', 'in', 'morning', 'mornings']);

export function parseDigest(words: readonly string[]): DigestParse {
  let mode: 'off' | 'daily' | 'weekly' | undefined;
  let day: Weekday | undefined;
  let time: string | undefined;
  const list = words
    .flatMap((w) => w.toLowerCase().split(/[\s,]+/))
    .filter(Boolean)
    .slice(0, 20);
  for (let i = 0; i < list.length; i++) {
    const w = list[i]!;
    if (FILLER.has(w)) continue;
    if (OFF_WORDS.has(w)) {
      mode = 'off';
      continue;
    }
    if (DAILY_WORDS.has(w)) {
      mode = mode === 'off' ? mode : 'daily';
      continue;
    }
    if (WEEKLY_WORDS.has(w)) {
      mode = mode === 'off' ? mode : 'weekly';
      continue;
    }
    const d = weekdayOf(w);
    if (d) {
      if (day && day !== d) return { ok: false, message: `A weekly digest goes out on one day; you gave ${day} and ${d}. For example \`digest weekly monday 09:00\`.` };
      day = d;
      continue;
    }
    const next = list[i + 1];
    const merged = next && /^(am|pm|a\.m\.|p\.m\.)$/.test(next) ? `${w}${next.replace(/\./g, '')}` : w;
    if (/^\d/.test(w) || w === 'noon' || w === 'midday') {
      const t = parseTime(merged);
      if (!t) return { ok: false, message: `I could not read ${echo(merged, 20)} as a time. Use 24-hour HH:MM (UK time), e.g. \`digest daily 08:30\`.` };
      if (merged !== w) i++;
      time = t;
      continue;
    }
    return { ok: false, message: `I did not understand ${echo(w, 30)} in that digest setting. Try ${DIGEST_EXAMPLES}.` };
  }
  if (mode === 'off') {
    if (day || time) return { ok: false, message: '`digest off` takes no day or time: it goes back to an alert as each publication appears.' };
    return { ok: true, setting: { mode: 'off' } };
  }
  if (!mode && day) mode = 'weekly';
  if (!mode) return { ok: false, message: `Say how often: ${DIGEST_EXAMPLES}.` };
  if (mode === 'daily') {
    if (day) return { ok: false, message: `A daily digest has no day. Did you mean \`digest weekly ${day}${time ? ` ${time}` : ''}\`?` };
    return { ok: true, setting: { mode: 'daily', time: time ?? DEFAULT_DIGEST_TIME } };
  }
  return { ok: true, setting: { mode: 'weekly', day: day ?? 'monday', time: time ?? DEFAULT_DIGEST_TIME } };
}

/** "9", "09:00", "9.30", "9am", "9:30pm", "1730", "noon" → "HH:MM"; undefined if not a time of day. */
export function parseTime(text: string): string | undefined {
  const t = text.toLowerCase().replace(/\s+/g, '');
  if (t === 'noon' || t === 'midday') return '12:00';
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?(am|pm)?$/.exec(t);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  if (minute > 59) return undefined;
  if (m[3]) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (m[3] === 'pm' ? 12 : 0);
  } else if (hour > 23) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
