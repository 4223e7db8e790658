// Free text → councils: what a person types in a chat command ("wakefeild", "Hull", "E08000036",
// "London", "Wakefield, Leeds and Bradford"). Deterministic, and never a silent pick: where more than
// one council fits equally, the answer is 'ambiguous' with the candidates as suggestions.
//
// Order of tests (the first that answers wins):
//  1. "region:<code or name>"; a provider URL (…/provider/44/<urn>); a region code (E12…); a GSS code
//     (E06/E08/E09/E10…); a URN (4+ digits, "URN 80451"); a DfE code (3 digits, "DfE 384")
//  2. a council's exact name (strict key: case, punctuation and "&" ignored)
//  3. a region's name ("London", "Yorkshire & Humber", "North West England")
//  4. a council's name or alias, strictly or with filler words ignored ("Hull", "County Durham",
//     "London Borough of Barnet", "Leeds City Council")
//  5. partial: a unique prefix of, or whole words inside, a name or alias ("Redcar", "Richmond")
//  6. typo: Damerau-Levenshtein distance, threshold by length (≤3 chars: none; 4-9: 1; 10-14: 2; 15+: 3),
//     against councils' names and aliases, and against region names (a region only when it is closer
//     than any council)
//  7. unknown, with up to 5 suggestions ranked by similarity
import type { Authority, Region, Registry } from './registry.ts';
import { editDistance, reducedKey, reduceStrictKey, strictKey } from './normalise.ts';

export type MatchVia = 'name' | 'alias' | 'gss' | 'dfe' | 'urn' | 'region' | 'partial' | 'typo';

export type Resolution =
  | { kind: 'match'; authorities: Authority[]; via: MatchVia }
  | { kind: 'ambiguous'; input: string; suggestions: Authority[] }
  | { kind: 'unknown'; input: string; suggestions: Authority[] };

/** One part of a list such as "Wakefield, Leeds and Bradford": the text of the part and what it resolved to. */
export interface ResolvedPart {
  input: string;
  resolution: Resolution;
}

export interface Resolver {
  resolve(text: string): Resolution;
  /** splits on ",", ";", new lines, "and" and "&" where the parts resolve better apart than together */
  resolveMany(text: string): ResolvedPart[];
  readonly registry: Registry;
}

/** Strict keys longer than this are no council's name: unknown, without suggestions. */
const MAX_KEY_CHARS = 200;
/** Raw text longer than this is not normalised at all. */
const MAX_RAW_CHARS = 2_000;
/** resolveMany: longer text is one unknown part. */
const MAX_MANY_CHARS = 5_000;
/** resolveMany: a council's name spans at most this many delimited pieces ("Bournemouth, Christchurch and Poole" = 3). */
const MAX_GROUP_PIECES = 4;
/** `input` echoed in a resolution is clipped to this many characters. */
const MAX_ECHO_CHARS = 200;
const MAX_SUGGESTIONS = 5;
const MAX_AMBIGUOUS_SUGGESTIONS = 10;
const MIN_PARTIAL_CHARS = 3;
/** suggestions must be more similar than this (0..1) */
const MIN_SUGGESTION_SIMILARITY = 0.5;

interface Key {
  key: string;
  /** " key " for whole-word containment tests */
  padded: string;
  words: readonly string[];
  authority: Authority;
  via: 'name' | 'alias';
}

type Delimiter = 'hard' | 'comma' | 'and';

/** resolveMany: a stretch of text between delimiters; filler = nothing left once filler words go ("City of"). */
interface Piece {
  start: number;
  end: number;
  filler: boolean;
}

/** Edit distance allowed for a typo in a key of this length. */
function typoThreshold(length: number): number {
  if (length < 4) return 0;
  if (length < 10) return 1;
  if (length < 15) return 2;
  return 3;
}

/** The CSV's "Bristol, City of" as a person writes it: "City of Bristol". */
export function displayName(authority: Pick<Authority, 'name'>): string {
  const m = /^(.+),\s*(city of)$/i.exec(authority.name);
  return m ? `City of ${m[1]}` : authority.name;
}

/**
 * A short line for people: "Did you mean: Wakefield, Wokingham?". Empty for a match, and for an
 * unknown input with nothing similar enough to suggest (the caller says it found nothing).
 */
export function formatDidYouMean(resolution: Resolution): string {
  if (resolution.kind === 'match' || resolution.suggestions.length === 0) return '';
  return `Did you mean: ${resolution.suggestions.map(displayName).join(', ')}?`;
}

function byName(a: Authority, b: Authority): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;
}

function clip(text: string): string {
  return text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS)}…` : text;
}

/** The items at the least finite distance. */
function closest<T>(items: readonly T[], distance: (item: T) => number): { distance: number; items: T[] } {
  let best = Number.POSITIVE_INFINITY;
  let at: T[] = [];
  for (const item of items) {
    const d = distance(item);
    if (d < best) {
      best = d;
      at = [item];
    } else if (d === best && d !== Number.POSITIVE_INFINITY) at.push(item);
  }
  return { distance: best, items: at };
}

export function createResolver(registry: Registry): Resolver {
  const authorities = registry.all();
  const nameStrict = new Map<string, Authority[]>();
  const exact = new Map<string, Map<Authority, 'name' | 'alias'>>();
  /** keys for partial, typo and similarity: not those equal to a region's name ("City of London" → "london") */
  const keys: Key[] = [];
  const regionKeys = registry.regions().map((r) => ({ key: reducedKey(r.name), region: r }));
  const isRegionKey = new Set(regionKeys.map((r) => r.key));

  const addKey = (key: string, authority: Authority, via: 'name' | 'alias') => {
    if (key === '') return;
    const forKey = exact.get(key) ?? new Map<Authority, 'name' | 'alias'>();
    if (forKey.get(authority) === 'name') return;
    const firstTime = !forKey.has(authority);
    forKey.set(authority, via);
    exact.set(key, forKey);
    if (firstTime && !isRegionKey.has(key)) keys.push({ key, padded: ` ${key} `, words: key.split(' '), authority, via });
  };
  for (const a of authorities) {
    const strict = strictKey(a.name);
    nameStrict.set(strict, [...(nameStrict.get(strict) ?? []), a]);
    addKey(strict, a, 'name');
    addKey(reduceStrictKey(strict), a, 'name');
  }
  for (const a of authorities) {
    for (const alias of a.aliases) {
      const strict = strictKey(alias);
      addKey(strict, a, 'alias');
      addKey(reduceStrictKey(strict), a, 'alias');
    }
  }

  const unknown = (input: string, suggestions: Authority[] = []): Resolution => ({ kind: 'unknown', input: clip(input), suggestions });
  const single = (a: Authority | undefined, via: MatchVia, input: string): Resolution =>
    a ? { kind: 'match', authorities: [a], via } : unknown(input);
  const region = (idOrName: string, input: string, via: MatchVia = 'region'): Resolution => {
    const r = registry.findRegion(idOrName);
    const members = r ? registry.inRegion(r.id) : [];
    return members.length > 0 ? { kind: 'match', authorities: members, via } : unknown(input);
  };

  /** 0..1: how like the query a key is (edit distance, prefix, shared words). */
  const similarity = (q: string, qWords: ReadonlySet<string>, k: Key): number => {
    const len = Math.max(q.length, k.key.length);
    let s = 1 - editDistance(q, k.key, len) / len;
    if (q.length >= 2 && k.key.startsWith(q)) s = Math.max(s, 0.7 + (0.3 * q.length) / k.key.length);
    let common = 0;
    for (const w of k.words) if (qWords.has(w)) common++;
    if (common > 0) s = Math.max(s, (0.5 * common) / k.words.length + (0.5 * common) / qWords.size);
    return s;
  };

  /** Candidates (or, with none given, every council) ranked by similarity to the query. */
  const rank = (q: string, candidates: ReadonlySet<Authority> | null, limit: number): Authority[] => {
    const qWords = new Set(q.split(' '));
    const best = new Map<Authority, number>();
    for (const k of keys) {
      if (candidates && !candidates.has(k.authority)) continue;
      const s = similarity(q, qWords, k);
      if (s > (best.get(k.authority) ?? -1)) best.set(k.authority, s);
    }
    return [...best]
      .filter(([, s]) => candidates !== null || s > MIN_SUGGESTION_SIMILARITY)
      .sort(([a, sa], [b, sb]) => sb - sa || byName(a, b))
      .slice(0, limit)
      .map(([a]) => a);
  };

  const fromSet = (found: ReadonlySet<Authority>, via: MatchVia, q: string, input: string): Resolution => {
    if (found.size === 1) return { kind: 'match', authorities: [...found], via };
    return { kind: 'ambiguous', input: clip(input), suggestions: rank(q, found, MAX_AMBIGUOUS_SUGGESTIONS) };
  };

  const resolveCore = (raw: string, suggest: boolean): Resolution => {
    const input = String(raw ?? '').trim();
    if (input === '' || input.length > MAX_RAW_CHARS) return unknown(input);

    // 1. codes, URLs, "region:"
    const regionPrefix = /^region\s*[:=]\s*(.*)$/is.exec(input);
    if (regionPrefix) return region(regionPrefix[1] as string, input);
    const url = /\/provider\/\d+\/(\d+)(?:[/?#]|$)/.exec(input);
    if (url) return single(registry.byUrn(url[1] as string), 'urn', input);
    const compact = input.replace(/\s+/g, '').toUpperCase();
    if (/^E12\d{6}$/.test(compact)) return region(compact, input);
    if (/^E\d{8}$/.test(compact)) return single(registry.byGss(compact), 'gss', input);
    const urn = /^(?:URN[:#]?)?(\d{4,})$/.exec(compact);
    if (urn) return single(registry.byUrn(urn[1] as string), 'urn', input);
    const dfe = /^(?:(?:DFE|LA)(?:CODE)?[:#]?)?(\d{3})$/.exec(compact);
    if (dfe) return single(registry.byDfe(dfe[1] as string), 'dfe', input);
    if (/^\d+$/.test(compact)) return unknown(input);

    const strict = strictKey(input);
    if (strict === '' || strict.length > MAX_KEY_CHARS) return unknown(input);
    const reduced = reduceStrictKey(strict);
    const q = reduced === '' ? strict : reduced;

    // 2. exact name
    const named = nameStrict.get(strict);
    if (named) return fromSet(new Set(named), 'name', q, input);

    // 3. region name
    const r = registry.findRegion(input);
    if (r) return region(r.id, input);

    // 4. name or alias, filler words ignored
    for (const key of [strict, reduced]) {
      const hit = exact.get(key);
      if (!hit) continue;
      const via = [...hit.values()].includes('name') ? 'name' : 'alias';
      return fromSet(new Set(hit.keys()), via, q, input);
    }
    if (reduced === '') return unknown(input);

    // 5. partial: a prefix of a key, or whole words inside it
    const partial = new Set<Authority>();
    for (const p of new Set([reduced, strict])) {
      if (p.length < MIN_PARTIAL_CHARS) continue;
      const padded = ` ${p} `;
      for (const k of keys) if (k.key.startsWith(p) || k.padded.includes(padded)) partial.add(k.authority);
    }
    if (partial.size > 0) return fromSet(partial, 'partial', q, input);

    // 6. typo: the closest keys within the threshold, the query read with and without filler words
    const tries = [...new Set([reduced, strict])].map((t) => ({ t, max: typoThreshold(t.length) })).filter((x) => x.max > 0);
    const distance = (key: string): number => {
      let best = Number.POSITIVE_INFINITY;
      for (const { t, max } of tries) {
        const d = editDistance(t, key, max);
        if (d <= max && d < best) best = d;
      }
      return best;
    };
    const councils = closest(keys, (k) => distance(k.key));
    const regions = closest(regionKeys, (r) => distance(r.key));
    if (regions.distance < councils.distance && regions.items.length === 1) {
      return region((regions.items[0] as { region: Region }).region.id, input, 'typo');
    }
    if (councils.items.length > 0) return fromSet(new Set(councils.items.map((k) => k.authority)), 'typo', q, input);

    // 7. unknown
    return unknown(input, suggest ? rank(q, null, MAX_SUGGESTIONS) : []);
  };

  const resolve = (text: string): Resolution => resolveCore(text, true);

  const resolveMany = (raw: string): ResolvedPart[] => {
    const text = String(raw ?? '');
    if (text.trim() === '') return [];
    if (text.length > MAX_MANY_CHARS) return [{ input: clip(text.trim()), resolution: unknown(text.trim()) }];

    // pieces of text between delimiters; delimiters[i] lies between pieces[i] and pieces[i + 1]
    const pieces: Piece[] = [];
    const delimiters: Delimiter[] = [];
    const strength: Record<Delimiter, number> = { and: 0, comma: 1, hard: 2 };
    let pending: Delimiter | null = null;
    let pos = 0;
    const addPiece = (from: number, to: number) => {
      const piece = text.slice(from, to);
      if (piece.trim() === '') return false;
      if (pieces.length > 0) delimiters.push(pending ?? 'comma');
      pieces.push({
        start: from + (piece.length - piece.trimStart().length),
        end: to - (piece.length - piece.trimEnd().length),
        filler: reducedKey(piece) === '',
      });
      return true;
    };
    for (const m of text.matchAll(/\s*(?:[,;]|\r?\n|&|\band\b)\s*/gi)) {
      const type: Delimiter = /[;\n]/.test(m[0]) ? 'hard' : m[0].includes(',') ? 'comma' : 'and';
      if (addPiece(pos, m.index)) pending = type;
      else if (pending === null || strength[type] > strength[pending]) pending = type;
      pos = m.index + m[0].length;
    }
    addPiece(pos, text.length);
    if (pieces.length === 0) return [];

    // The cheapest grouping of pieces. A group costs by how it resolves (in twentieths: a name 0, an
    // alias 5, partial 20, typo 40, ambiguous 80, unknown 120), plus 20 for each piece in it that is
    // only filler words ("City of") unless the group is a name exactly ("Bristol, City of"). A split
    // at a comma earns 10 (lists are comma-separated), a split at "and" costs 2 (so "and" is split only
    // where both sides resolve, and "Brighton and Hove" stays whole). Equal costs: fewer groups.
    const cache = new Map<string, Resolution>();
    const groupText = (from: number, to: number) => text.slice((pieces[from] as Piece).start, (pieces[to - 1] as Piece).end);
    const quick = (t: string) => {
      let res = cache.get(t);
      if (!res) cache.set(t, (res = resolveCore(t, false)));
      return res;
    };
    const resolutionCost = (res: Resolution) => {
      if (res.kind !== 'match') return res.kind === 'unknown' ? 120 : 80;
      return res.via === 'typo' ? 40 : res.via === 'partial' ? 20 : res.via === 'alias' ? 5 : 0;
    };
    const groupCost = (from: number, to: number) => {
      const t = groupText(from, to);
      let c = resolutionCost(quick(t));
      if (to - from > 1 && !nameStrict.has(strictKey(t))) {
        for (let k = from; k < to; k++) if ((pieces[k] as Piece).filler) c += 20;
      }
      return c;
    };
    const splitCost: Record<Delimiter, number> = { hard: 0, comma: -10, and: 2 };
    const best: { cost: number; groups: number; from: number }[] = [{ cost: 0, groups: 0, from: -1 }];
    for (let i = 1; i <= pieces.length; i++) {
      let choice: { cost: number; groups: number; from: number } | undefined;
      for (let j = i - 1; j >= Math.max(0, i - MAX_GROUP_PIECES); j--) {
        if (j < i - 1 && delimiters[j] === 'hard') break;
        const before = best[j] as { cost: number; groups: number };
        const c = before.cost + groupCost(j, i) + (j > 0 ? splitCost[delimiters[j - 1] as Delimiter] : 0);
        const g = before.groups + 1;
        if (!choice || c < choice.cost || (c === choice.cost && g < choice.groups)) choice = { cost: c, groups: g, from: j };
      }
      best.push(choice as { cost: number; groups: number; from: number });
    }
    const parts: ResolvedPart[] = [];
    for (let i = pieces.length; i > 0; i = (best[i] as { from: number }).from) {
      const from = (best[i] as { from: number }).from;
      const t = groupText(from, i);
      const res = quick(t);
      parts.push({ input: clip(t), resolution: res.kind === 'unknown' ? resolveCore(t, true) : res });
    }
    return parts.reverse();
  };

  return { resolve, resolveMany, registry };
}
