// Building digests. Pure: the store is read elsewhere (digest-inputs.ts).
//
// 1. publicationData(): what a digest needs of one publication, computed ONCE per run however many
//    channels include it: its entry (type, dates, judgements, one line of headline findings, link), the
//    changes against the council's previous inspection, its themes for filters, and per theme how many
//    concerns and strengths the letter raised with its most telling sentence of each.
// 2. selectPublications(): which of a window's publications one channel's digest shows: announced in
//    its window, covered by one of its daily/weekly subscriptions whose type and theme filters pass
//    (the same rules as immediate alerts, subscriptions/matching.ts), not already alerted to it, and
//    once only (a re-published letter is one publication; a re-dated copy of the same visit counts once).
// 3. buildDigest(): the Digest: grouped by council, newest first, with the roll-up by theme. Null when
//    there is nothing to say: nothing is sent then.
import type { SubscriptionTarget } from '../chat/types.ts';
import { letterView, publicationView } from '../delivery/build-alert.ts';
import { JUDGEMENT_AREAS, type ClassifiedSentence, type Grade, type Judgements, type PublicationType } from '../letters/types.ts';
import type { Letter, Publication } from '../store/schema.ts';
import { letterThemes } from '../subscriptions/letter-themes.ts';
import { filtersPass, targetCovers, type PublicationFacts } from '../subscriptions/matching.ts';
import { THEME_IDS, themeName } from '../themes/taxonomy.ts';
import { instantLabel, shortRange, windowLabel } from './format.ts';
import {
  DIGEST_VERSION,
  type ChangeDirection,
  type Digest,
  type DigestCouncil,
  type DigestLateness,
  type DigestMode,
  type DigestPublication,
  type DigestTheme,
  type JudgementChange,
} from './types.ts';

// ───────────────────────────── per publication, once ─────────────────────────────

/** A theme in one letter: how many concerns and strengths, and the most telling sentence of each. */
export interface ThemeStat {
  concerns: number;
  strengths: number;
  concern: RankedSentence | null;
  strength: RankedSentence | null;
}

interface RankedSentence {
  text: string;
  rank: number;
}

export interface PublicationData {
  id: number;
  urn: string;
  authority: string;
  authorityPageUrl: string;
  regionCode: string | null;
  type: PublicationType;
  publicationDate: string;
  announcedAt: string;
  announcedMs: number;
  /** the letter is read, or failed for good: its themes are known (or known to be unknowable) */
  settled: boolean;
  /** for theme filters; null = unreadable (no theme filter matches it) */
  letterThemes: ReadonlySet<string> | null;
  themeStats: ReadonlyMap<string, ThemeStat>;
  entry: DigestPublication;
  /** one visit published twice (re-dated) has one key */
  sameLetterKey: string;
}

export interface PreviousInspection {
  publicationId: number;
  publicationDate: string;
  url: string;
  judgements: Judgements;
}

export interface PublicationInput {
  publication: Publication;
  letter: Letter | undefined;
  announcedAt: string;
  republished: boolean;
  regionCode: string | null;
  settled: boolean;
  previousInspection: PreviousInspection | null;
  baseUrl: string;
}

/** Sections whose sentences are improvement points: always concerns, quoted only when the prose has none. */
const POINT_SECTIONS = new Set(['improvements', 'priority-actions']);
/** a secondary theme of a sentence speaks for it less (as in the letter summary's own choice) */
const SECONDARY_THEME = 0.6;
/** a point is quoted only when no prose sentence raises the concern */
const POINT_RANK = 0.001;

export function publicationData(input: PublicationInput): PublicationData {
  const p = input.publication;
  const view = publicationView(p, input.baseUrl);
  const letter = letterView(input.letter);
  const ok = letter.status === 'ok' ? letter : null;
  const graded = ok && JUDGEMENT_AREAS.some((a) => ok.judgements[a] !== null) ? ok.judgements : null;
  const previous = graded ? input.previousInspection : null;
  const entry: DigestPublication = {
    id: p.id,
    type: view.type,
    title: p.title,
    publicationDate: p.publication_date,
    announcedAt: input.announcedAt,
    url: p.url,
    visitDates: ok ? ok.visitDates : { start: null, end: null },
    letter: ok ? { status: 'ok' } : { status: 'unavailable', reason: letter.status === 'unavailable' ? letter.reason : 'the letter could not be read' },
    judgements: graded,
    headline: ok?.summary.overview.find((s) => typeof s === 'string' && s.trim() !== '')?.trim() ?? null,
    previousInspection: previous,
    judgementChanges: graded && previous ? judgementChanges(previous.judgements, graded) : [],
    republished: input.republished,
  };
  const visit = entry.visitDates.start || entry.visitDates.end ? `${entry.visitDates.start}|${entry.visitDates.end}` : `#${p.id}`;
  return {
    id: p.id,
    urn: p.authority_urn,
    authority: p.authority_name,
    authorityPageUrl: view.authorityPageUrl,
    regionCode: input.regionCode,
    type: view.type,
    publicationDate: p.publication_date,
    announcedAt: input.announcedAt,
    announcedMs: Date.parse(input.announcedAt),
    settled: input.settled,
    letterThemes: ok ? letterThemes(input.letter) : null,
    themeStats: ok ? themeStats(input.letter, ok.summary.themes) : new Map(),
    entry,
    sameLetterKey: `${p.authority_urn}|${view.type}|${visit}`,
  };
}

const GRADE_ORDER: Record<Grade, number> = { inadequate: 0, 'requires improvement': 1, good: 2, outstanding: 3 };

/** Each area graded in either inspection, compared. */
export function judgementChanges(from: Judgements, to: Judgements): JudgementChange[] {
  const out: JudgementChange[] = [];
  for (const area of JUDGEMENT_AREAS) {
    const a = from[area] ?? null;
    const b = to[area] ?? null;
    if (a === null && b === null) continue;
    let direction: ChangeDirection;
    if (a === null) direction = 'newly-graded';
    else if (b === null) direction = 'not-graded';
    else direction = GRADE_ORDER[b] > GRADE_ORDER[a] ? 'improved' : GRADE_ORDER[b] < GRADE_ORDER[a] ? 'declined' : 'unchanged';
    out.push({ area, from: a, to: b, direction });
  }
  return out;
}

/**
 * Per theme: concerns (concern sentences and improvement points) and strengths, from the letter's
 * classified sentences (all of them, not the budgeted summary), and the most telling sentence of each:
 * the classifier's strongest, a sentence's first theme counting more than its others.
 */
export function themeStats(letter: Pick<Letter, 'sentences'> | undefined, fallback: readonly { id: string; concerns: number; strengths: number; concernSentence: string | null; strengthSentence: string | null }[] = []): Map<string, ThemeStat> {
  const stats = new Map<string, ThemeStat>();
  let sentences: ClassifiedSentence[] = [];
  try {
    const parsed: unknown = JSON.parse(letter?.sentences ?? '[]');
    if (Array.isArray(parsed)) sentences = parsed as ClassifiedSentence[];
  } catch {
    sentences = [];
  }
  for (const s of sentences) {
    if (!s || !Array.isArray(s.themes) || typeof s.text !== 'string') continue;
    const point = POINT_SECTIONS.has(s.section);
    const concern = point || s.polarity === 'concern';
    const strength = !point && s.polarity === 'strength';
    if (!concern && !strength) continue;
    s.themes.forEach((theme, i) => {
      if (typeof theme !== 'string') return;
      let st = stats.get(theme);
      if (!st) stats.set(theme, (st = { concerns: 0, strengths: 0, concern: null, strength: null }));
      const rank = (Number.isFinite(s.score) ? Math.max(s.score, 0.01) : 0.01) * (i === 0 ? 1 : SECONDARY_THEME) * (point ? POINT_RANK : 1);
      const text = s.text.trim();
      if (concern) {
        st.concerns++;
        if (!st.concern || rank > st.concern.rank) st.concern = { text, rank };
      } else {
        st.strengths++;
        if (!st.strength || rank > st.strength.rank) st.strength = { text, rank };
      }
    });
  }
  // a letter stored without its sentences: the summary's counts and sentences
  if (sentences.length === 0) {
    for (const t of fallback) {
      if (t.concerns + t.strengths === 0) continue;
      stats.set(t.id, {
        concerns: t.concerns,
        strengths: t.strengths,
        concern: t.concernSentence ? { text: t.concernSentence, rank: 1 } : null,
        strength: t.strengthSentence ? { text: t.strengthSentence, rank: 1 } : null,
      });
    }
  }
  return stats;
}

// ───────────────────────────── per channel ─────────────────────────────

/** What selection needs of a subscription (daily or weekly, active). */
export interface DigestSubscription {
  id: number;
  target: SubscriptionTarget;
  types: PublicationType[];
  themes: string[];
}

export type Selection =
  | { status: 'deferred'; /** a publication whose letter is still being read */ publicationId: number }
  | { status: 'ok'; publications: PublicationData[]; subscriptionIds: number[]; themeFocus: string[] | null };

export interface SelectOptions {
  /** publication ids already queued as alerts to this channel (it was on immediate alerts then): not repeated */
  alerted?: ReadonlySet<number>;
  /** true: an unsettled letter defers the digest (its themes decide filters); false: the wait is over */
  waitForLetters: boolean;
}

export function selectPublications(
  subs: readonly DigestSubscription[],
  pubs: readonly PublicationData[],
  window: { start: number; end: number },
  opts: SelectOptions,
): Selection {
  const chosen = new Map<string, PublicationData>();
  const subIds = new Set<number>();
  let everyTheme = false;
  const focus = new Set<string>();
  for (const pub of pubs) {
    if (pub.announcedMs < window.start || pub.announcedMs >= window.end) continue;
    if (opts.alerted?.has(pub.id)) continue;
    const facts: PublicationFacts = { urn: pub.urn, regionCode: pub.regionCode, type: pub.type };
    let covered = false;
    let matched = false;
    for (const sub of subs) {
      if (!targetCovers(sub, facts) || (sub.types.length > 0 && !sub.types.includes(pub.type))) continue;
      covered = true;
      if (!filtersPass(sub, facts, pub.letterThemes)) continue;
      matched = true;
      subIds.add(sub.id);
      if (sub.themes.length === 0) everyTheme = true;
      else for (const t of sub.themes) focus.add(t);
    }
    if (covered && !pub.settled && opts.waitForLetters) return { status: 'deferred', publicationId: pub.id };
    if (!matched) continue;
    const earlier = chosen.get(pub.sameLetterKey);
    if (!earlier || pub.announcedMs > earlier.announcedMs || (pub.announcedMs === earlier.announcedMs && pub.id > earlier.id)) chosen.set(pub.sameLetterKey, pub);
  }
  return {
    status: 'ok',
    publications: [...chosen.values()],
    subscriptionIds: [...subIds].sort((a, b) => a - b),
    themeFocus: everyTheme || focus.size === 0 ? null : [...focus].sort(),
  };
}

// ───────────────────────────── the digest ─────────────────────────────

export interface BuildDigestInput {
  mode: DigestMode;
  window: { start: number; end: number };
  late: DigestLateness | null;
  publications: readonly PublicationData[];
  themeFocus: readonly string[] | null;
}

const newestFirst = (a: PublicationData, b: PublicationData) =>
  (a.publicationDate < b.publicationDate ? 1 : a.publicationDate > b.publicationDate ? -1 : 0) || b.announcedMs - a.announcedMs || b.id - a.id;

/** The digest, or null when it would be empty. */
export function buildDigest(input: BuildDigestInput): Digest | null {
  if (input.publications.length === 0) return null;
  const pubs = [...input.publications].sort(newestFirst);
  const councils = new Map<string, DigestCouncil>();
  for (const p of pubs) {
    let c = councils.get(p.urn);
    if (!c) councils.set(p.urn, (c = { urn: p.urn, authority: p.authority, authorityPageUrl: p.authorityPageUrl, publications: [] }));
    c.publications.push(p.entry);
  }
  const themes = rollUp(pubs, input.themeFocus);
  const start = new Date(input.window.start).toISOString();
  const end = new Date(input.window.end).toISOString();
  const n = pubs.length;
  const k = councils.size;
  const mode = input.mode === 'weekly' ? 'Weekly' : 'Daily';
  const names = [...councils.values()].map((c) => c.authority);
  const who = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  const text =
    `${input.late ? 'Late ' + mode.toLowerCase() : mode} digest, ${shortRange(start, end)}: ` +
    `${n} ${n === 1 ? 'publication' : 'publications'} about ${k === 1 ? names[0] : `${k} councils (${who})`}`;
  return {
    version: DIGEST_VERSION,
    mode: input.mode,
    window: { start, end },
    windowLabel: windowLabel(start, end),
    late: input.late,
    text,
    totals: {
      publications: n,
      councils: k,
      unreadable: pubs.filter((p) => p.entry.letter.status !== 'ok').length,
      judgementChanges: pubs.filter((p) => p.entry.judgementChanges.some((c) => c.direction !== 'unchanged')).length,
    },
    councils: [...councils.values()],
    themes,
    themeFocus: input.themeFocus ? [...input.themeFocus] : null,
  };
}

const THEME_ORDER = new Map(THEME_IDS.map((id, i) => [id, i]));

/** Across the letters (newest first): per theme, the letters raising it, and the most telling sentences. */
export function rollUp(pubs: readonly PublicationData[], focus: readonly string[] | null): DigestTheme[] {
  const only = focus ? new Set(focus) : null;
  interface Acc {
    theme: DigestTheme;
    concernRank: number;
    concernCount: number;
    strengthRank: number;
    strengthCount: number;
  }
  const acc = new Map<string, Acc>();
  for (const p of pubs) {
    for (const [id, st] of p.themeStats) {
      if (only && !only.has(id)) continue;
      if (st.concerns + st.strengths === 0) continue;
      let a = acc.get(id);
      if (!a) {
        a = { theme: { id, name: themeName(id), letters: 0, concernLetters: 0, strengthLetters: 0, concern: null, strength: null }, concernRank: -1, concernCount: 0, strengthRank: -1, strengthCount: 0 };
        acc.set(id, a);
      }
      a.theme.letters++;
      if (st.concerns > 0) {
        a.theme.concernLetters++;
        // strictly better only: on a tie the newer letter (seen first) keeps it
        if (st.concern && (st.concern.rank > a.concernRank || (st.concern.rank === a.concernRank && st.concerns > a.concernCount))) {
          a.concernRank = st.concern.rank;
          a.concernCount = st.concerns;
          a.theme.concern = { sentence: st.concern.text, authority: p.authority, publicationId: p.id };
        }
      }
      if (st.strengths > 0) {
        a.theme.strengthLetters++;
        if (st.strength && (st.strength.rank > a.strengthRank || (st.strength.rank === a.strengthRank && st.strengths > a.strengthCount))) {
          a.strengthRank = st.strength.rank;
          a.strengthCount = st.strengths;
          a.theme.strength = { sentence: st.strength.text, authority: p.authority, publicationId: p.id };
        }
      }
    }
  }
  return [...acc.values()]
    .map((a) => a.theme)
    .sort(
      (x, y) =>
        y.letters - x.letters ||
        y.concernLetters - x.concernLetters ||
        (THEME_ORDER.get(x.id) ?? 999) - (THEME_ORDER.get(y.id) ?? 999) ||
        (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
    );
}

/** The lateness note for a digest that went out after it was due. */
export function lateness(dueAt: number, missedWindows: number, mode: DigestMode): DigestLateness {
  const dueLabel = instantLabel(dueAt);
  const more = missedWindows > 1 ? ` It covers the ${missedWindows} ${mode} digests that were missed, in one message.` : '';
  return {
    dueAt: new Date(dueAt).toISOString(),
    dueLabel,
    missedWindows,
    notice: `This digest is late: it was due at ${dueLabel}, but ofsted-alerts was not running then.${more}`,
  };
}
