// Loads, validates (zod) and compiles src/themes/taxonomy.json: the classifier's data.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { compilePattern, patternError, type Pattern } from './patterns.ts';

const pattern = z.string().superRefine((s, ctx) => {
  const err = patternError(s);
  if (err) ctx.addIssue({ code: 'custom', message: `pattern "${s}": ${err}` });
});

const cueSchema = z
  .object({
    p: pattern,
    w: z.number().min(0).max(10),
    /** other themes the same words also support, with their weights */
    also: z.record(z.string(), z.number().min(0).max(10)).optional(),
    /** the cue only counts when one of these patterns is in the same text */
    if: z.array(pattern).min(1).optional(),
    /** the cue does not count when one of these patterns is in the same text */
    unless: z.array(pattern).min(1).optional(),
    note: z.string().optional(),
  })
  .strict();

const themeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    name: z.string().min(1),
    description: z.string().min(1),
    /** the taxonomy doc's own cue words: used only by the keyword baseline in bench/eval-themes.ts */
    keywords: z.array(pattern).min(1),
    cues: z.array(cueSchema).min(1),
  })
  .strict();

const clauseSchema = z
  .object({
    p: pattern,
    /** multiplies theme cues inside the clause */
    theme: z.number().min(0).max(2),
    /** multiplies polarity cues inside the clause */
    polarity: z.number().min(0).max(2),
    /** multiplies polarity cues before the marker in the same sentence (contrast: "…, but …") */
    before: z.number().min(0).max(2).optional(),
    /** where the clause ends: at the next comma, or (default) at the end of the sentence; a marker opening a sentence always ends at its comma */
    scope: z.enum(['comma', 'sentence']).optional(),
    /** different factors when the marker opens the sentence ("Although X, Y" vs "Y, although X") */
    atStart: z.object({ theme: z.number().min(0).max(2), polarity: z.number().min(0).max(2) }).strict().optional(),
    note: z.string().optional(),
  })
  .strict();

const polarityCueSchema = z
  .object({ p: pattern, w: z.number().min(0).max(10), unless: z.array(pattern).min(1).optional(), note: z.string().optional() })
  .strict();

const taxonomySchema = z
  .object({
    version: z.literal(1),
    about: z.string(),
    patternSyntax: z.string(),
    settings: z
      .object({
        minThemeScore: z.number().positive(),
        relativeCut: z.number().min(0).max(1),
        maxThemes: z.number().int().min(1).max(3),
        /** multiplies the first theme cue of the main clause: what the text is about */
        headFactor: z.number().min(1).max(3),
        /** a theme's 2nd, 3rd … cue count this much, squared, … of their weight: repetition adds less */
        repeatDecay: z.number().min(0).max(1),
        laterSentenceFactor: z.number().min(0).max(1),
        polarityMin: z.number().positive(),
        negationWindow: z.number().int().min(1).max(8),
        negatedConcernFactor: z.number().min(0).max(1),
      })
      .strict(),
    clauses: z.array(clauseSchema),
    absorb: z.array(z.object({ p: pattern, note: z.string().optional() }).strict()),
    themes: z.array(themeSchema).min(1),
    polarity: z
      .object({
        strength: z.array(polarityCueSchema).min(1),
        concern: z.array(polarityCueSchema).min(1),
        negators: z.array(z.object({ p: pattern, w: z.number().min(0).max(5), note: z.string().optional() }).strict()).min(1),
        mitigators: z.array(z.object({ p: pattern, note: z.string().optional() }).strict()),
        neutralisers: z.array(z.object({ p: pattern, factor: z.number().min(0).max(1), note: z.string().optional() }).strict()),
      })
      .strict(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    t.themes.forEach((th, i) => {
      if (ids.has(th.id)) ctx.addIssue({ code: 'custom', path: ['themes', i, 'id'], message: `duplicate theme id ${th.id}` });
      ids.add(th.id);
    });
    t.themes.forEach((th, i) => {
      const seen = new Set<string>();
      th.cues.forEach((c, j) => {
        if (seen.has(c.p)) ctx.addIssue({ code: 'custom', path: ['themes', i, 'cues', j, 'p'], message: `duplicate cue "${c.p}" in ${th.id}` });
        seen.add(c.p);
        for (const other of Object.keys(c.also ?? {})) {
          if (!ids.has(other)) ctx.addIssue({ code: 'custom', path: ['themes', i, 'cues', j, 'also'], message: `unknown theme id "${other}"` });
          if (other === th.id) ctx.addIssue({ code: 'custom', path: ['themes', i, 'cues', j, 'also'], message: `"also" repeats the cue's own theme` });
        }
      });
    });
  });

export type TaxonomyData = z.infer<typeof taxonomySchema>;
export type Settings = TaxonomyData['settings'];

export interface ThemeInfo {
  id: string;
  name: string;
  description: string;
}

/** A cue ready to match. `key` names it in explanations and in the held-out evaluation ("care-leavers/pathway plan*"). */
export interface CompiledCue {
  key: string;
  pattern: Pattern;
  /** theme id -> weight; empty for absorbing phrases */
  weights: Record<string, number>;
  requires: Pattern[];
  blockers: Pattern[];
  /** the theme whose list the cue sits in ('' for absorbing phrases) */
  home: string;
}

export interface CompiledPolarityCue {
  key: string;
  pattern: Pattern;
  weight: number;
  target: 'strength' | 'concern';
  blockers: Pattern[];
}

export interface CompiledTaxonomy {
  data: TaxonomyData;
  settings: Settings;
  themes: ThemeInfo[];
  /** theme cues and absorbing phrases: they compete for the same words */
  cues: CompiledCue[];
  clauses: Array<{ key: string; pattern: Pattern; theme: number; polarity: number; before: number; untilComma: boolean; atStart: { theme: number; polarity: number } | null }>;
  polarityCues: CompiledPolarityCue[];
  negators: Array<{ key: string; pattern: Pattern; weight: number }>;
  mitigators: Array<{ key: string; pattern: Pattern }>;
  neutralisers: Array<{ key: string; pattern: Pattern; factor: number }>;
  keywords: Array<{ theme: string; pattern: Pattern }>;
}

/** Validates raw taxonomy data. Throws an Error listing every problem (with its JSON path). */
export function parseTaxonomy(raw: unknown): TaxonomyData {
  const result = taxonomySchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid theme taxonomy:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function compileTaxonomy(raw: unknown): CompiledTaxonomy {
  const data = parseTaxonomy(raw);
  const cues: CompiledCue[] = [];
  for (const theme of data.themes) {
    for (const c of theme.cues) {
      cues.push({
        key: `${theme.id}/${c.p}`,
        pattern: compilePattern(c.p),
        weights: { [theme.id]: c.w, ...(c.also ?? {}) },
        requires: (c.if ?? []).map(compilePattern),
        blockers: (c.unless ?? []).map(compilePattern),
        home: theme.id,
      });
    }
  }
  for (const a of data.absorb) cues.push({ key: `absorb/${a.p}`, pattern: compilePattern(a.p), weights: {}, requires: [], blockers: [], home: '' });
  const polarityCues: CompiledPolarityCue[] = (['strength', 'concern'] as const).flatMap((target) =>
    data.polarity[target].map((c) => ({
      key: `${target}/${c.p}`,
      pattern: compilePattern(c.p),
      weight: c.w,
      target,
      blockers: (c.unless ?? []).map(compilePattern),
    })),
  );
  return {
    data,
    settings: data.settings,
    themes: data.themes.map(({ id, name, description }) => ({ id, name, description })),
    cues,
    clauses: data.clauses.map((c) => ({ key: `clause/${c.p}`, pattern: compilePattern(c.p), theme: c.theme, polarity: c.polarity, before: c.before ?? 1, untilComma: c.scope === 'comma', atStart: c.atStart ?? null })),
    polarityCues,
    negators: data.polarity.negators.map((n) => ({ key: `negator/${n.p}`, pattern: compilePattern(n.p), weight: n.w })),
    mitigators: data.polarity.mitigators.map((m) => ({ key: `mitigator/${m.p}`, pattern: compilePattern(m.p) })),
    neutralisers: data.polarity.neutralisers.map((n) => ({ key: `neutraliser/${n.p}`, pattern: compilePattern(n.p), factor: n.factor })),
    keywords: data.themes.flatMap((t) => t.keywords.map((k) => ({ theme: t.id, pattern: compilePattern(k) }))),
  };
}

export const TAXONOMY_URL = new URL('./taxonomy.json', import.meta.url);

export function loadTaxonomyFile(url: URL = TAXONOMY_URL): CompiledTaxonomy {
  return compileTaxonomy(JSON.parse(readFileSync(url, 'utf8')));
}

/** The project's taxonomy, read once when this module is first imported. */
export const TAXONOMY: CompiledTaxonomy = loadTaxonomyFile();

export const THEME_IDS: readonly string[] = TAXONOMY.themes.map((t) => t.id);
export const THEME_NAMES: Readonly<Record<string, string>> = Object.fromEntries(TAXONOMY.themes.map((t) => [t.id, t.name]));

export function themeName(id: string): string {
  return THEME_NAMES[id] ?? id;
}
