// Pure: reads the grades from a report's own judgement table. In extracted text a table row is a
// paragraph holding a judgement area's label and a grade, wrapped over lines in any order
// ("The impact of leaders on social work Outstanding / practice with children and families",
// "Requires / 1. Children who need help and protection / improvement"). A grade that is not
// printed stays null; the older "adequate" scale has no equivalent and is null too.
import { JUDGEMENT_AREAS, type Grade, type JudgementArea, type Judgements } from './types.ts';

export function emptyJudgements(): Judgements {
  return Object.fromEntries(JUDGEMENT_AREAS.map((a) => [a, null])) as Judgements;
}

export type AreaKey = JudgementArea | 'adoption';

/** Labels of judgement areas, older frameworks' included; the first that matches wins. */
const AREA_LABELS: { area: AreaKey; re: RegExp }[] = [
  { area: 'overall_effectiveness', re: /^overall effectiveness$/ },
  { area: 'impact_of_leaders', re: /^(?:the )?impact of leaders on social work practice with children and families$/ },
  { area: 'impact_of_leaders', re: /^leadership,? management and governance$/ },
  { area: 'impact_of_leaders', re: /^leadership and management$/ },
  { area: 'help_and_protection', re: /^(?:the )?(?:experiences and progress of )?children who need help and protection$/ },
  { area: 'children_in_care', re: /^(?:the )?(?:experiences and progress of )?children (?:in care|looked after)(?: and care leavers| and achieving permanence)?$/ },
  { area: 'care_leavers', re: /^(?:the )?(?:experiences? and progress of )?(?:children )?care leavers$/ },
  { area: 'adoption', re: /^adoption performance$/ },
];

/** Words of a printed grade; none of them occurs in a judgement area's label. */
const GRADE_WORDS = /\b(?:outstanding|good|requires?|improvement|to|be|inadequate|adequate|judgement|grade)\b/gi;

export function gradeOf(text: string): Grade | 'adequate' | null {
  const t = text.toLowerCase();
  if (/\binadequate\b/.test(t)) return 'inadequate';
  if (/\brequires?\b/.test(t) && /\bimprovement\b/.test(t)) return 'requires improvement';
  if (/\boutstanding\b/.test(t)) return 'outstanding';
  if (/\bgood\b/.test(t)) return 'good';
  if (/\badequate\b/.test(t)) return 'adequate';
  return null;
}

/** The area a table row names, with its grade words and numbering ("2.1") taken out. */
export function areaOf(row: string): AreaKey | null {
  const label = row
    .replace(GRADE_WORDS, ' ')
    .replace(/^\s*\d+(?:\.\d+)*\.?\s+/, '')
    .replace(/\(grade \d\)/gi, ' ')
    .replace(/[^a-z, ]/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/,$/, '')
    .toLowerCase();
  return AREA_LABELS.find((l) => l.re.test(label))?.area ?? null;
}

const MAX_ROW_WORDS = 24;

/** Sentences that state the overall judgement in 2013-2018 reports ("Children's services in York are good"). */
const OVERALL_SENTENCE =
  /^(?:The overall judgement is\s+|Children's services in [^.]{1,80}? (?:are\s+|is\s+)?)(outstanding|good|inadequate|requires? improvement(?: to be good)?)\b/i;

/** Cheap test that a text may print a grade (most lines do not). */
const GRADE_HINT = /outstanding|good|adequate|improvement/i;

/** How many grades a text prints ("Requires improvement to be good" is one). */
function gradeCount(text: string): number {
  const w = text.toLowerCase().match(/[a-z]+/g) ?? [];
  const count = (x: string) => w.filter((t) => t === x).length;
  const requires = count('requires') + count('require');
  const good = count('good') - Math.min(requires, count('be'));
  return count('outstanding') + count('inadequate') + count('adequate') + requires + Math.max(0, good);
}

/** A table row: one judgement area's label and one grade, and nothing else. */
export function rowOf(text: string): { area: AreaKey; grade: Grade | 'adequate' } | null {
  if (!GRADE_HINT.test(text)) return null;
  const row = text.replace(/\s+/g, ' ').trim();
  if (row.split(' ').length > MAX_ROW_WORDS || gradeCount(row) !== 1) return null;
  const grade = gradeOf(row);
  const area = grade === null ? null : areaOf(row);
  return grade !== null && area !== null ? { area, grade } : null;
}

/**
 * Grades from the report's own table. A row is a paragraph holding nothing but an area label and
 * one grade; where rows are not separated by blank lines, runs of one to three lines are tried.
 * The first row found for an area wins: the table comes before any later summary table.
 */
export function parseJudgements(text: string): Judgements {
  const out = emptyJudgements();
  const seen = new Set<AreaKey>();
  let adoption: Grade | null = null;
  const take = (area: AreaKey, grade: Grade | 'adequate' | null) => {
    if (seen.has(area)) return;
    seen.add(area);
    if (area === 'adoption') adoption = toGrade(grade);
    else out[area] = toGrade(grade);
  };
  for (const lines of blocks(text)) {
    const para = lines.join(' ');
    // older reports state the overall judgement in a sentence of their own
    const overall = OVERALL_SENTENCE.exec(para);
    if (overall) {
      take('overall_effectiveness', gradeOf(overall[1] ?? ''));
      continue;
    }
    const whole = rowOf(para);
    if (whole) {
      take(whole.area, whole.grade);
      continue;
    }
    if (lines.length < 2 || lines.length > 12) continue;
    for (let i = 0; i < lines.length; ) {
      const n = [1, 2, 3].find((k) => i + k <= lines.length && rowOf(lines.slice(i, i + k).join(' ')) !== null);
      if (n === undefined) {
        i++;
        continue;
      }
      const row = rowOf(lines.slice(i, i + n).join(' '));
      if (row) take(row.area, row.grade);
      i += n;
    }
  }
  // older reports grade adoption alongside care leavers; it stands in only where care leavers has no row
  if (!seen.has('care_leavers') && adoption !== null) out.care_leavers = adoption;
  return out;
}

/** Blank-line separated blocks of lines. */
function blocks(text: string): string[][] {
  return text
    .split(/\n\s*\n/)
    .map((b) => b.split('\n').map((l) => l.trim()).filter((l) => l !== ''))
    .filter((b) => b.length > 0);
}

function toGrade(g: Grade | 'adequate' | null): Grade | null {
  return g === 'adequate' ? null : g;
}
