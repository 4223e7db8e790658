// The platform-neutral, extractive summary of a letter: every sentence in it is the letter's own.
// summariseLetter picks the content and fits it to a character budget by adding whole items in
// order of importance (headline, first overview sentence, improvement points, theme counts, more
// overview, representative sentences), skipping any that would not fit: items and sentences are
// cut whole, never words. renderSummaryText is the plain-text form whose length the budget bounds. Pure.
import { themeName, THEME_IDS } from '../themes/taxonomy.ts';
import type { ClassifiedSentence, Grade, JudgementArea, LetterStructure, LetterSummary, PublicationType, ThemeSummary } from './types.ts';

export interface SummaryOptions {
  /** the most characters renderSummaryText(summary) may take */
  budget: number;
}

const TYPE_TITLES: Record<PublicationType, [string, string]> = {
  inspection: ['Inspection', 'of'],
  'focused-visit': ['Focused visit', 'to'],
  'monitoring-visit': ['Monitoring visit', 'to'],
  jtai: ['Joint targeted area inspection', 'of'],
  send: ['Area SEND inspection', 'of'],
  other: ['Report', 'on'],
};

const AREA_LABELS: Record<JudgementArea, string> = {
  overall_effectiveness: 'overall effectiveness',
  impact_of_leaders: 'leaders',
  help_and_protection: 'help and protection',
  children_in_care: 'children in care',
  care_leavers: 'care leavers',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Sections whose opening sentences make the overview, best first. */
const OVERVIEW_SECTIONS = ['headline', 'overview', 'main-findings'];
const OVERVIEW_SENTENCES = 3;
const POINT_SECTIONS = new Set(['improvements', 'priority-actions']);

export function summariseLetter(structure: LetterStructure, sentences: ClassifiedSentence[], opts: SummaryOptions): LetterSummary {
  const full = fullSummary(structure, sentences);
  return fitToBudget(full, opts.budget);
}

// ---- content ---------------------------------------------------------------------------------

interface FullSummary {
  headlineParts: string[];
  overview: string[];
  priorityActions: { text: string; themes: string[] }[];
  improvements: { text: string; themes: string[] }[];
  themes: ThemeSummary[];
}

function fullSummary(structure: LetterStructure, sentences: ClassifiedSentence[]): FullSummary {
  const points = (section: string) => sentences.filter((s) => s.section === section).map((s) => ({ text: s.text, themes: s.themes }));
  return {
    headlineParts: headlineParts(structure),
    overview: overview(sentences),
    priorityActions: points('priority-actions'),
    improvements: points('improvements'),
    themes: themeSummaries(sentences),
  };
}

export function headlineParts(structure: LetterStructure): string[] {
  const [typeName, preposition] = TYPE_TITLES[structure.type];
  const title = structure.authority ? `${typeName} ${preposition} ${structure.authority}` : typeName;
  const dates = formatDateRange(structure.visitDates.start, structure.visitDates.end);
  const letterDate = formatDate(structure.letterDate);
  const first = dates ? `${title}: ${dates}` : letterDate ? `${title}: letter of ${letterDate}` : title;
  const parts = [first];
  if (structure.type === 'inspection') {
    const j = structure.judgements;
    const graded = (Object.keys(AREA_LABELS) as JudgementArea[]).filter((a) => j[a] !== null);
    if (graded.length === 0) parts.push('no grades found');
    else {
      // a missing overall grade is reported as missing, never guessed
      if (j.overall_effectiveness === null) parts.push('overall effectiveness not graded');
      for (const area of graded) parts.push(`${AREA_LABELS[area]} ${j[area] as Grade}`);
    }
  }
  return parts;
}

/**
 * The opening sentences of the letter's own headline findings; failing those, the findings (not the
 * methodology: neutral sentences are skipped) of its opening section or main findings.
 */
function overview(sentences: ClassifiedSentence[]): string[] {
  for (const section of OVERVIEW_SECTIONS) {
    const inSection = sentences.filter((s) => s.section === section && s.text.length >= 25);
    const findings = section === 'headline' ? inSection : inSection.filter((s) => s.polarity !== 'neutral');
    if (findings.length > 0) return findings.slice(0, OVERVIEW_SENTENCES).map((s) => s.text);
  }
  return [];
}

function themeSummaries(sentences: ClassifiedSentence[]): ThemeSummary[] {
  const order = new Map(THEME_IDS.map((id, i) => [id, i]));
  const byTheme = new Map<string, ClassifiedSentence[]>();
  for (const s of sentences) for (const t of s.themes) byTheme.set(t, [...(byTheme.get(t) ?? []), s]);
  const used = new Set<string>();
  // most discussed first: sentences about it (a theme named first counts fully, a secondary one half)
  const weight = (id: string) => (byTheme.get(id) ?? []).reduce((w, s) => w + (s.themes[0] === id ? 1 : 0.5), 0);
  const ids = [...byTheme.keys()].sort((a, b) => weight(b) - weight(a) || count(byTheme.get(b)!, 'concern') - count(byTheme.get(a)!, 'concern') || (order.get(a) ?? 99) - (order.get(b) ?? 99));
  return ids.map((id) => {
    const list = byTheme.get(id)!;
    const concernSentence = representative(id, list, 'concern', used);
    const strengthSentence = representative(id, list, 'strength', used);
    return {
      id,
      name: themeName(id),
      strengths: count(list, 'strength'),
      concerns: count(list, 'concern'),
      neutral: count(list, 'neutral'),
      concernSentence,
      strengthSentence,
    };
  });
}

function count(list: ClassifiedSentence[], polarity: ClassifiedSentence['polarity']): number {
  return list.filter((s) => s.polarity === polarity).length;
}

/** The strongest finding of that polarity about the theme, from the letter's prose (the points are listed anyway). */
function representative(id: string, list: ClassifiedSentence[], polarity: 'concern' | 'strength', used: Set<string>): string | null {
  const ranked = list
    .filter((s) => s.polarity === polarity && !POINT_SECTIONS.has(s.section))
    .map((s) => ({ s, rank: s.score * (s.themes[0] === id ? 1 : 0.6) }))
    .sort((a, b) => b.rank - a.rank || a.s.text.length - b.s.text.length);
  const pick = ranked.find((r) => !used.has(r.s.text)) ?? ranked[0];
  if (!pick) return null;
  used.add(pick.s.text);
  return pick.s.text;
}

// ---- budget --------------------------------------------------------------------------------

/** The themes whose sentences are worth space before the minor themes get a count line. */
const MAJOR_THEMES = 6;

/**
 * Adds whole items, most important first, while the rendered text stays within the budget:
 * headline, first overview sentence, the points; then the major themes' count lines, their concern
 * sentences and the second overview sentence; then their strength sentences and the third overview
 * sentence; then the minor themes' lines and sentences. An item that does not fit is skipped (and
 * `truncated` set) but smaller ones after it may still fit.
 */
function fitToBudget(full: FullSummary, budget: number): LetterSummary {
  const draft: LetterSummary = { headline: '', overview: [], improvements: [], themes: [], truncated: false };
  const priority: { text: string; themes: string[] }[] = [];
  const headline: string[] = [];
  const lines = new Map<string, ThemeSummary>(); // theme id -> its line, once included
  let truncated = false;
  const current = (): LetterSummary => ({
    ...draft,
    headline: headline.join(' · '),
    ...(priority.length ? { priorityActions: priority } : {}),
    themes: full.themes.filter((t) => lines.has(t.id)).map((t) => lines.get(t.id)!),
  });
  /** tries a change; keeps it if the result fits, undoes it otherwise */
  const attempt = (apply: () => void, undo: () => void): boolean => {
    apply();
    if (renderSummaryText(current()).length <= budget) return true;
    undo();
    truncated = true;
    return false;
  };
  const addLine = (t: ThemeSummary) => attempt(() => lines.set(t.id, { ...t, concernSentence: null, strengthSentence: null }), () => lines.delete(t.id));
  const addSentence = (t: ThemeSummary, key: 'concernSentence' | 'strengthSentence') => {
    const line = lines.get(t.id);
    const sentence = t[key];
    if (line && sentence) attempt(() => (line[key] = sentence), () => (line[key] = null));
  };
  const addOverview = (s: string | undefined) => s && attempt(() => draft.overview.push(s), () => draft.overview.pop());

  // the headline grows part by part; without its title nothing after it makes sense
  for (const part of full.headlineParts) if (!attempt(() => headline.push(part), () => headline.pop())) break;
  addOverview(full.overview[0]);
  for (const p of full.priorityActions) attempt(() => priority.push(p), () => priority.pop());
  for (const p of full.improvements) attempt(() => draft.improvements.push(p), () => draft.improvements.pop());
  const major = full.themes.slice(0, MAJOR_THEMES);
  const minor = full.themes.slice(MAJOR_THEMES);
  for (const t of major) addLine(t);
  for (const t of major) addSentence(t, 'concernSentence');
  addOverview(full.overview[1]);
  for (const t of major) addSentence(t, 'strengthSentence');
  addOverview(full.overview[2]);
  for (const t of minor) addLine(t);
  for (const t of minor) addSentence(t, 'concernSentence');
  for (const t of minor) addSentence(t, 'strengthSentence');
  return { ...current(), truncated };
}

// ---- rendering -------------------------------------------------------------------------------

/** The plain-text summary (as the CLI prints it). Its length is what the budget bounds. */
export function renderSummaryText(summary: LetterSummary): string {
  const blocks: string[] = [];
  if (summary.headline) blocks.push(summary.headline);
  if (summary.overview.length) blocks.push(summary.overview.join(' '));
  const points = (title: string, list: { text: string; themes: string[] }[] | undefined) => {
    if (list && list.length) blocks.push([title, ...list.map((p) => `- ${p.text}${p.themes.length ? ` [${p.themes.map(themeName).join('; ')}]` : ''}`)].join('\n'));
  };
  points('Areas for priority action:', summary.priorityActions);
  points('What needs to improve:', summary.improvements);
  if (summary.themes.length) {
    const lines = ['Themes:'];
    for (const t of summary.themes) {
      lines.push(`- ${t.name}: ${plural(t.concerns, 'concern')}, ${plural(t.strengths, 'strength')}, ${t.neutral} neutral`);
      if (t.concernSentence) lines.push(`  Concern: ${t.concernSentence}`);
      if (t.strengthSentence) lines.push(`  Strength: ${t.strengthSentence}`);
    }
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

export function summaryLength(summary: LetterSummary): number {
  return renderSummaryText(summary).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---- dates ---------------------------------------------------------------------------------

function parseIso(iso: string | null): { y: number; m: number; d: number } | null {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 ? { y, m: mo, d } : null;
}

export function formatDate(iso: string | null): string | null {
  const p = parseIso(iso);
  return p ? `${p.d} ${MONTHS[p.m - 1]} ${p.y}` : null;
}

/** "14–18 July 2025", "28 February – 3 March 2025", "30 December 2024 – 3 January 2025". */
export function formatDateRange(startIso: string | null, endIso: string | null): string | null {
  const a = parseIso(startIso);
  const b = parseIso(endIso);
  if (!a || !b) return formatDate(startIso) ?? formatDate(endIso);
  if (a.y === b.y && a.m === b.m) return a.d === b.d ? formatDate(startIso) : `${a.d}–${b.d} ${MONTHS[a.m - 1]} ${a.y}`;
  if (a.y === b.y) return `${a.d} ${MONTHS[a.m - 1]} – ${b.d} ${MONTHS[b.m - 1]} ${b.y}`;
  return `${formatDate(startIso)} – ${formatDate(endIso)}`;
}
