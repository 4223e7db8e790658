// A digest as plain text, for a terminal (`ofsted-alerts digest preview`, the console adapter) and as a
// text fallback for any platform. Lines are wrapped at words, never cut. Pure.
import type { Digest, DigestPublication, DigestTheme, JudgementChange } from '../../src/digests/types.ts';
import { changedJudgements } from '../../src/digests/types.ts';
import { dateLabel, dateRangeLabel } from '../../src/digests/format.ts';
import { JUDGEMENT_AREAS, PUBLICATION_TYPE_NAMES, type JudgementArea } from '../../src/letters/types.ts';

const TYPE_NAMES: Readonly<Record<string, string>> = PUBLICATION_TYPE_NAMES;

const AREA_NAMES: Record<JudgementArea, string> = {
  overall_effectiveness: 'overall effectiveness',
  impact_of_leaders: 'impact of leaders',
  help_and_protection: 'help and protection',
  children_in_care: 'children in care',
  care_leavers: 'care leavers',
};

const WIDTH = 100;

/** Wraps text at words to `width`, each line after the first indented by `indent`. */
export function wrap(text: string, indent: string, width = WIDTH, firstIndent = indent): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = firstIndent;
  for (const w of words) {
    const prefix = lines.length === 0 ? firstIndent : indent;
    if (line.length > prefix.length && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else line += (line.length > prefix.length ? ' ' : '') + w;
  }
  lines.push(line);
  return lines.join('\n');
}

export function renderDigestText(d: Digest): string {
  const rule = '─'.repeat(WIDTH);
  const out: string[] = [rule, `${d.mode === 'weekly' ? 'WEEKLY' : 'DAILY'} DIGEST: ${d.windowLabel} (UK time)`];
  if (d.late) out.push(wrap(d.late.notice, '  ', WIDTH, ''));
  const n = d.totals.publications;
  out.push(`${n} ${n === 1 ? 'publication' : 'publications'} about ${d.totals.councils} ${d.totals.councils === 1 ? 'council' : 'councils'}${d.totals.unreadable ? ` (${d.totals.unreadable} without a summary)` : ''}.`, '');

  for (const c of d.councils) {
    out.push(`${c.authority.toUpperCase()}  ${c.authorityPageUrl}`);
    for (const p of c.publications) out.push(publicationText(p));
    out.push('');
  }

  const changes = changedJudgements(d);
  if (changes.length) {
    out.push('JUDGEMENT CHANGES SINCE THE PREVIOUS INSPECTION');
    for (const { authority, change } of changes) out.push(`  ${authority}, ${AREA_NAMES[change.area]}: ${changeText(change)}`);
    out.push('');
  }

  if (d.themes.length) {
    out.push(`THEMES ACROSS THE LETTERS${d.themeFocus ? ' (the themes this channel follows)' : ''}: letters raising a concern / a strength`);
    for (const t of d.themes) out.push(themeText(t));
  }
  out.push(rule);
  return out.join('\n');
}

function publicationText(p: DigestPublication): string {
  const lines: string[] = [];
  const visit = dateRangeLabel(p.visitDates.start, p.visitDates.end);
  const what = `${TYPE_NAMES[p.type] ?? 'Publication'}${p.type === 'other' && p.title ? `: ${p.title}` : ''}`;
  lines.push(wrap(`• ${what}, published ${dateLabel(p.publicationDate)}${visit ? ` (visit ${visit})` : ''}${p.republished ? ', letter re-published' : ''}`, '    ', WIDTH, '  '));
  if (p.judgements) {
    const byArea = new Map(p.judgementChanges.map((c) => [c.area, c]));
    const grades = JUDGEMENT_AREAS.filter((a) => p.judgements![a]).map((a) => {
      const c = byArea.get(a);
      const was = c && c.from && c.direction !== 'unchanged' ? ` (${c.direction}, was ${c.from})` : '';
      return `${AREA_NAMES[a]}: ${p.judgements![a]}${was}`;
    });
    if (grades.length) lines.push(wrap(grades.join('; '), '    ', WIDTH, '    '));
  }
  if (p.letter.status === 'ok') {
    if (p.headline) lines.push(wrap(`“${p.headline}”`, '     ', WIDTH, '    '));
  } else lines.push(wrap(`Summary unavailable: ${p.letter.reason}.`, '    ', WIDTH, '    '));
  lines.push(`    Letter: ${p.url}`);
  return lines.join('\n');
}

function changeText(c: JudgementChange): string {
  return `${c.from ?? 'not graded'} → ${c.to ?? 'not graded'} (${c.direction})`;
}

function themeText(t: DigestTheme): string {
  const lines = [`  ${t.name}: ${t.concernLetters} / ${t.strengthLetters} of ${t.letters} ${t.letters === 1 ? 'letter' : 'letters'}`];
  if (t.concern) lines.push(wrap(`concern: “${t.concern.sentence}” (${t.concern.authority})`, '      ', WIDTH, '    '));
  if (t.strength) lines.push(wrap(`strength: “${t.strength.sentence}” (${t.strength.authority})`, '      ', WIDTH, '    '));
  return lines.join('\n');
}
