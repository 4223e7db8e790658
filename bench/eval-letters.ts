// Evaluates the letter reader against labels it did not write: runs the real pipeline
// (readLetter through the worker pool) on every PDF of a corpus and prints ONE JSON object.
//   npm run eval                      # ../shared/corpus/letters
//   npm run eval -- --dir DIR         # another corpus with the same manifest.csv / labels.json
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyText } from '../src/themes/classify.ts';
import { DEFAULT_CORPUS_DIR, loadCorpus, type CorpusEntry } from '../src/letters/corpus.ts';
import { createLetterPool } from '../src/letters/letter-pool.ts';
import { readLetter } from '../src/letters/read-letter.ts';
import { JUDGEMENT_AREAS, type Grade, type LetterStructure } from '../src/letters/types.ts';

const args = process.argv.slice(2);
const dirArg = args.indexOf('--dir');
const dir = dirArg >= 0 && args[dirArg + 1] ? resolve(args[dirArg + 1] as string) : DEFAULT_CORPUS_DIR;

/** Whitespace and quote normalisation: the only liberty taken when comparing points. */
function normalisePoint(s: string): string {
  return s
    .replace(/[\u2018\u2019\u201A\u201B\u2032`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

const LETTER_TYPES = new Set(['focused-visit', 'monitoring-visit', 'jtai', 'send']);
const KNOWN_GRADES = new Set(['outstanding', 'good', 'requires improvement', 'inadequate']);

interface Tally {
  scored: number;
  correct: number;
}
const tally = (): Tally => ({ scored: 0, correct: 0 });
const rate = (t: Tally) => (t.scored === 0 ? null : round(t.correct / t.scored));
const round = (x: number) => Math.round(x * 10000) / 10000;

const score = {
  type: tally(),
  letterDate: tally(),
  reportPublished: tally(),
  visitDates: tally(),
  grades: tally(),
  ungradedAreas: tally(),
  points: { tp: 0, fp: 0, fn: 0 },
  themes: { goldUnits: 0, recalled: 0, predicted: 0, acceptablePredicted: 0, pointsScored: 0 },
};
const failures: Record<string, string[]> = {};
const unreadable: Record<string, string> = {};
const mismatchesNotOurs: Record<string, string> = {};

function note(stem: string, msg: string): void {
  (failures[stem] ??= []).push(msg);
}

function scoreLetter(e: CorpusEntry, s: LetterStructure): void {
  const stem = e.stem;
  const wantType = e.label?.type ?? e.manifest?.type;
  if (wantType) {
    score.type.scored++;
    if (s.type === wantType) score.type.correct++;
    else note(stem, `type ${s.type}, expected ${wantType}`);
  }

  // the letter's own date, where it states one
  const published = e.manifest?.publication_date;
  if (published && LETTER_TYPES.has(wantType ?? s.type)) {
    score.letterDate.scored++;
    if (s.letterDate === published) score.letterDate.correct++;
    else note(stem, `letter date ${s.letterDate ?? 'not found'}, manifest ${published}`);
  } else if (published && s.letterDate) {
    // older reports print "Report published:"; the manifest's date is the site's, which can differ
    score.reportPublished.scored++;
    if (s.letterDate === published) score.reportPublished.correct++;
    else mismatchesNotOurs[stem] = `report says published ${s.letterDate}; manifest (the site) says ${published}`;
  }
  const start = e.manifest?.inspection_start_date;
  const end = e.manifest?.inspection_end_date;
  if (start && end) {
    score.visitDates.scored++;
    if (s.visitDates.start === start && s.visitDates.end === end) score.visitDates.correct++;
    else note(stem, `inspection dates ${s.visitDates.start}..${s.visitDates.end}, manifest ${start}..${end}`);
  }

  // grades: labels' grades as printed where labelled, else the manifest's known grades
  for (const area of JUDGEMENT_AREAS) {
    let want: Grade | null | undefined;
    if (e.label?.judgements) want = e.label.judgements[area];
    else {
      const m = e.manifest?.grades[area]?.trim().toLowerCase();
      want = m && KNOWN_GRADES.has(m) ? (m as Grade) : undefined;
    }
    if (want === undefined) continue;
    const got = s.judgements[area];
    const t = want === null ? score.ungradedAreas : score.grades;
    t.scored++;
    if (got === want) t.correct++;
    else note(stem, `${area} ${got ?? 'none'}, expected ${want ?? 'none (not printed)'}`);
  }

  // improvement points: exact text after whitespace and quote normalisation
  if (e.label) {
    const got = s.improvements.map(normalisePoint);
    const gold = e.label.improvements.map((p) => ({ ...p, norm: normalisePoint(p.text) }));
    for (const g of gold) {
      if (!got.includes(g.norm)) {
        score.points.fn++;
        note(stem, `missed point: "${clip(g.norm)}"`);
        continue;
      }
      score.points.tp++;
      scoreThemes(g.text, g.themes, g.acceptable);
    }
    for (const p of got) {
      if (!gold.some((g) => g.norm === p)) {
        score.points.fp++;
        note(stem, `extra point: "${clip(p)}"`);
      }
    }
  }
}

function scoreThemes(text: string, themes: string[], acceptable: string[]): void {
  const predicted = classifyText(text, { improvementPoint: true }).themes;
  const t = score.themes;
  t.pointsScored++;
  if (themes.length > 0) {
    t.goldUnits += themes.length;
    t.recalled += themes.filter((x) => predicted.includes(x)).length;
  } else {
    t.goldUnits += 1;
    if (predicted.some((x) => acceptable.includes(x))) t.recalled += 1;
  }
  t.predicted += predicted.length;
  t.acceptablePredicted += predicted.filter((x) => acceptable.includes(x)).length;
}

function clip(s: string): string {
  return s.length > 90 ? `${s.slice(0, 87)}...` : s;
}

const entries = loadCorpus(dir);
const pool = createLetterPool();
const t0 = performance.now();
try {
  await Promise.all(
    entries.map(async (e) => {
      const r = await readLetter(readFileSync(e.path), 'application/pdf', { pool });
      if (!r.ok) {
        unreadable[e.stem] = r.reason;
        note(e.stem, `not read: ${r.reason}`);
        return;
      }
      scoreLetter(e, r.structure);
    }),
  );
} finally {
  await pool.close();
}

const { tp, fp, fn } = score.points;
const th = score.themes;
const themeP = th.predicted === 0 ? null : th.acceptablePredicted / th.predicted;
const themeR = th.goldUnits === 0 ? null : th.recalled / th.goldUnits;
const themeF1 = themeP !== null && themeR !== null && themeP + themeR > 0 ? (2 * themeP * themeR) / (themeP + themeR) : null;

const result = {
  corpus: dir,
  letters: entries.length,
  labelled: entries.filter((e) => e.label).length,
  unreadable: Object.keys(unreadable).length,
  seconds: round((performance.now() - t0) / 1000),
  type: { accuracy: rate(score.type), ...score.type },
  publicationDate: {
    accuracy: rate(score.letterDate),
    ...score.letterDate,
    scope: "letters that state their own date at the top (focused and monitoring visits, JTAI, SEND) vs manifest publication_date",
  },
  reportPublishedDate: {
    accuracy: rate(score.reportPublished),
    ...score.reportPublished,
    scope: "2013-2018 reports' printed 'Report published' date vs manifest publication_date (not a target: the site's date can differ)",
  },
  inspectionDates: { accuracy: rate(score.visitDates), ...score.visitDates, scope: 'vs manifest inspection_start_date/end_date where given' },
  grades: { accuracy: rate(score.grades), ...score.grades, scope: 'known grades: labels.json judgements, else manifest grades that are not unknown/not-judged/empty' },
  ungradedAreas: { accuracy: rate(score.ungradedAreas), ...score.ungradedAreas, scope: 'areas labelled null (not printed): a grade here would be invented' },
  improvementPoints: {
    recall: tp + fn === 0 ? null : round(tp / (tp + fn)),
    precision: tp + fp === 0 ? null : round(tp / (tp + fp)),
    tp,
    fp,
    fn,
  },
  themes: {
    microF1: themeF1 === null ? null : round(themeF1),
    precision: themeP === null ? null : round(themeP),
    recall: themeR === null ? null : round(themeR),
    pointsScored: th.pointsScored,
    predicted: th.predicted,
    goldUnits: th.goldUnits,
  },
  failures,
  dataNotes: mismatchesNotOurs,
};
console.log(JSON.stringify(result, null, 2));
