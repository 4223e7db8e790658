// The words of the command grammar: verbs and their synonyms, option keys, publication type and theme
// ids with the loose spellings people type for them. Pure data and lookups, shared by parser and help.
import { PUBLICATION_TYPES, type PublicationType } from '../letters/types.ts';
import { THEME_IDS } from '../themes/taxonomy.ts';
import { editDistance } from '../authorities/normalise.ts';

export type Verb = 'subscribe' | 'unsubscribe' | 'pause' | 'resume' | 'list' | 'latest' | 'history' | 'themes' | 'search' | 'digest' | 'help';

export const VERBS: readonly Verb[] = ['subscribe', 'unsubscribe', 'list', 'latest', 'history', 'themes', 'search', 'digest', 'pause', 'resume', 'help'];

const VERB_WORDS: Readonly<Record<string, Verb>> = {
  subscribe: 'subscribe', sub: 'subscribe', follow: 'subscribe', watch: 'subscribe', add: 'subscribe',
  unsubscribe: 'unsubscribe', unsub: 'unsubscribe', unfollow: 'unsubscribe', unwatch: 'unsubscribe', remove: 'unsubscribe',
  list: 'list', ls: 'list', subscriptions: 'list', status: 'list', settings: 'list',
  latest: 'latest', last: 'latest', recent: 'latest',
  history: 'history', publications: 'history',
  themes: 'themes', theme: 'themes',
  search: 'search', find: 'search',
  digest: 'digest', digests: 'digest',
  pause: 'pause', mute: 'pause',
  resume: 'resume', unpause: 'resume', unmute: 'resume',
  help: 'help', '?': 'help', commands: 'help', usage: 'help', hello: 'help', hi: 'help',
};

export function verbOf(word: string): Verb | undefined {
  const w = word.toLowerCase();
  if (w === '?') return 'help';
  const bare = w.replace(/^[/!]+/, '').replace(/[:,.;!?]+$/, '');
  return Object.hasOwn(VERB_WORDS, bare) ? VERB_WORDS[bare] : undefined;
}

/** A verb the word may be a typo of ("subscibe" → subscribe), or undefined. */
export function nearestVerb(word: string): Verb | undefined {
  const w = word.toLowerCase().slice(0, 40);
  if (w.length < 3) return undefined;
  let best: { verb: Verb; d: number } | undefined;
  for (const [text, verb] of Object.entries(VERB_WORDS)) {
    if (text.length < 4) continue;
    const d = editDistance(w, text, 2);
    if (d <= 2 && (!best || d < best.d)) best = { verb, d };
  }
  return best?.verb;
}

export type OptionKey = 'types' | 'themes' | 'region';

const OPTION_WORDS: Readonly<Record<string, OptionKey>> = {
  type: 'types', types: 'types', kind: 'types', kinds: 'types',
  theme: 'themes', themes: 'themes', topic: 'themes', topics: 'themes',
  region: 'region', regions: 'region',
};

export function optionKeyOf(word: string): OptionKey | undefined {
  const w = word.toLowerCase();
  return Object.hasOwn(OPTION_WORDS, w) ? OPTION_WORDS[w] : undefined;
}

/** lower case, "_" and spaces as "-", each word without a final "s": "Focused visits" → "focused-visit" */
const loose = (s: string) =>
  s
    .toLowerCase()
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-')
    .split('-')
    .map((w) => (w.length > 3 ? w.replace(/s$/, '') : w))
    .join('-');

const TYPE_ALIASES: Readonly<Record<string, PublicationType>> = {
  ilacs: 'inspection', 'full-inspection': 'inspection', 'standard-inspection': 'inspection', 'short-inspection': 'inspection',
  fv: 'focused-visit', focused: 'focused-visit',
  mv: 'monitoring-visit', monitoring: 'monitoring-visit',
  'joint-targeted-area-inspection': 'jtai', joint: 'jtai',
  'area-send': 'send', 'send-inspection': 'send',
};

const TYPE_BY_LOOSE = new Map<string, PublicationType>();
for (const t of PUBLICATION_TYPES) TYPE_BY_LOOSE.set(loose(t), t);
for (const [alias, t] of Object.entries(TYPE_ALIASES)) TYPE_BY_LOOSE.set(loose(alias), t);

export function publicationTypeOf(text: string): PublicationType | undefined {
  return TYPE_BY_LOOSE.get(loose(text));
}

const THEME_BY_LOOSE = new Map<string, string>();
for (const id of THEME_IDS) THEME_BY_LOOSE.set(loose(id), id);

export function themeIdOf(text: string): string | undefined {
  return THEME_BY_LOOSE.get(loose(text.replace(/&/g, 'and')));
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export function weekdayOf(word: string): (typeof WEEKDAYS)[number] | undefined {
  const w = word.toLowerCase().replace(/s$/, '');
  return WEEKDAYS.find((d) => d === w || (w.length >= 3 && d.startsWith(w)));
}

const LOOSE_IDS: Readonly<Record<'types' | 'themes', readonly string[]>> = {
  types: [...TYPE_BY_LOOSE.keys()],
  themes: [...THEME_BY_LOOSE.keys()],
};

/** Whether words typed so far ("front", "care leavers") are, or begin, a type or theme id: a filter value may go on over spaces. */
export function beginsId(key: 'types' | 'themes', partial: string): boolean {
  const p = loose(partial.replace(/&/g, 'and'));
  if (p === '') return false;
  return LOOSE_IDS[key].some((id) => id === p || id.startsWith(`${p}-`));
}
