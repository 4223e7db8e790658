// Evaluates the theme classifier: `node bin/run-ts.js bench/eval-themes.ts [--errors] [--no-heldout]`.
// Prints JSON: micro precision/recall/F1 on the 300 labelled improvement points of
// ../shared/corpus/letters/labels.json (recall against `themes`, or any one of `acceptable` where
// `themes` is empty; precision against `acceptable`), per-theme counts, the keyword baseline, a
// leave-one-letter-out view (with per-theme counts, and a stricter leave-one-council-out variant:
// src/themes/eval/heldout.ts says how each is computed), and the hand-labelled held-out prose
// sentences (themes and polarity). The scoring is metrics.ts's, unchanged by any of the views.
import { readFileSync } from 'node:fs';
import { classifyText } from '../src/themes/classify.ts';
import { keywordThemes } from '../src/themes/eval/baseline.ts';
import { leaveOneLetterOut } from '../src/themes/eval/heldout.ts';
import { perTheme, scoreAll, type LabelledText, type ThemeCounts } from '../src/themes/eval/metrics.ts';
import { round } from '../src/themes/numbers.ts';
import { TAXONOMY, THEME_IDS } from '../src/themes/taxonomy.ts';

const args = new Set(process.argv.slice(2));
const labelsUrl = new URL(process.env.OFSTED_LABELS ?? '../../shared/corpus/letters/labels.json', import.meta.url);
const proseUrl = new URL('../tests/themes/fixtures/prose-heldout.json', import.meta.url);

interface LabelFile {
  [letter: string]: { improvements: Array<{ text: string; themes: string[]; acceptable: string[] }> };
}

const labels = JSON.parse(readFileSync(labelsUrl, 'utf8')) as LabelFile;
const points: LabelledText[] = Object.entries(labels).flatMap(([letter, l]) => l.improvements.map((p) => ({ letter, ...p })));

const started = Date.now();
const predicted = points.map((p) => classifyText(p.text, { improvementPoint: true }).themes);
const msPerPoint = (Date.now() - started) / points.length;
const baseline = points.map((p) => keywordThemes(p.text, TAXONOMY));

const prose = JSON.parse(readFileSync(proseUrl, 'utf8')) as { sentences: Array<LabelledText & { polarity: string | null }> };
const proseClass = prose.sentences.map((s) => classifyText(s.text));
const polarityScored = prose.sentences.map((s, i) => [s.polarity, proseClass[i]!.polarity] as const).filter(([want]) => want !== null);
const confusion: Record<string, Record<string, number>> = {};
for (const [want, got] of polarityScored) {
  const row = (confusion[want!] ??= {});
  row[got] = (row[got] ?? 0) + 1;
}

const heldOut = args.has('--no-heldout') ? null : leaveOneLetterOut(points, TAXONOMY.data);
const strict = args.has('--no-heldout') ? null : leaveOneLetterOut(points, TAXONOMY.data, { strict: true, byCouncil: true });

/** Per-theme counts with the precision and recall they imply (null where there is nothing to divide). */
function withRates(counts: Record<string, ThemeCounts>): Record<string, ThemeCounts & { precision: number | null; recall: number | null }> {
  return Object.fromEntries(
    Object.entries(counts).map(([id, c]) => [
      id,
      { ...c, precision: c.predicted ? round((c.predicted - c.wrong) / c.predicted, 3) : null, recall: c.required ? round(c.found / c.required, 3) : null },
    ]),
  );
}

const report = {
  labelled: {
    points: points.length,
    letters: new Set(points.map((p) => p.letter)).size,
    ...scoreAll(points, predicted).micro,
    msPerPoint: Math.round(msPerPoint * 100) / 100,
    perTheme: withRates(perTheme(points, predicted, THEME_IDS)),
  },
  keywordBaseline: scoreAll(points, baseline).micro,
  heldOut: heldOut && {
    leaveOneLetterOut: heldOut.leaveOneLetterOut,
    thresholdsOnly: heldOut.thresholdsOnly,
    letterSpecificElements: heldOut.letterSpecific.length,
    generalElements: heldOut.generalElements,
    letterSpecific: heldOut.letterSpecific.map((l) => `${l.letter}: ${l.element}`),
    perTheme: withRates(perTheme(points, heldOut.predictions, THEME_IDS)),
    strict: strict && {
      about:
        'a council\'s letters held out together; a cue is prior knowledge only if every reading of it is in the taxonomy doc\'s own words; "if" conditions, "also" weights and clause markers judged like the other elements',
      leaveOneCouncilOut: strict.leaveOneLetterOut,
      thresholdsOnly: strict.thresholdsOnly,
      councilSpecificElements: strict.letterSpecific.length,
      generalElements: strict.generalElements,
      councilSpecific: strict.letterSpecific.map((l) => `${l.letter}: ${l.element}`),
    },
  },
  prose: {
    about: 'hand-labelled sentences from the letters\' body text, labelled before the classifier was written (tests/themes/fixtures/prose-heldout.json)',
    sentences: prose.sentences.length,
    themes: scoreAll(prose.sentences, proseClass.map((c) => c.themes)).micro,
    keywordBaseline: scoreAll(prose.sentences, prose.sentences.map((s) => keywordThemes(s.text, TAXONOMY))).micro,
    polarity: {
      scored: polarityScored.length,
      accuracy: Math.round((polarityScored.filter(([w, g]) => w === g).length / polarityScored.length) * 1000) / 1000,
      confusion,
    },
  },
  settings: TAXONOMY.settings,
  ...(args.has('--errors') ? { errors: errors() } : {}),
};
console.log(JSON.stringify(report, null, 2));

function errors() {
  const out: Array<Record<string, unknown>> = [];
  const misses = (item: LabelledText, got: string[]) => ({
    missed: item.themes.length ? item.themes.filter((t) => !got.includes(t)) : got.some((t) => item.acceptable.includes(t)) ? [] : ['(any acceptable)'],
    wrong: got.filter((t) => !item.acceptable.includes(t)),
  });
  points.forEach((p, i) => {
    const got = predicted[i]!;
    const { missed, wrong } = misses(p, got);
    if (missed.length || wrong.length) out.push({ set: 'labels', letter: p.letter, text: p.text, themes: p.themes, got, missed, wrong });
    const held = heldOut?.predictions[i];
    if (held) {
      const h = misses(p, held);
      if (h.missed.length || h.wrong.length) out.push({ set: 'labels, its letter held out', letter: p.letter, text: p.text, themes: p.themes, got: held, missed: h.missed, wrong: h.wrong });
    }
  });
  prose.sentences.forEach((s, i) => {
    const c = proseClass[i]!;
    const { missed, wrong } = misses(s, c.themes);
    const polarity = s.polarity !== null && s.polarity !== c.polarity ? `${s.polarity} -> ${c.polarity}` : undefined;
    if (missed.length || wrong.length || polarity) out.push({ set: 'prose', text: s.text, themes: s.themes, got: c.themes, missed, wrong, polarity });
  });
  return out;
}
