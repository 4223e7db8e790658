// A human-readable account of why a text was classified as it was (for `--explain`). Pure.
import { analyseText, type Analysis, type ClassifyOptions } from './classify.ts';
import { TAXONOMY } from './taxonomy.ts';
import { round } from './numbers.ts';

export function explain(text: string, opts?: ClassifyOptions): string {
  return formatAnalysis(analyseText(text, opts), TAXONOMY.settings.minThemeScore, TAXONOMY.settings.relativeCut);
}

export function formatAnalysis(a: Analysis, minScore: number, relativeCut: number): string {
  const lines: string[] = [];
  lines.push(`text: ${a.text}`);
  lines.push(`themes: ${a.themes.length ? a.themes.map((t) => `${t} (${scoreOf(a, t)})`).join(', ') : '(none)'}`);
  for (const c of a.cues.filter((c) => !c.target.startsWith('polarity:'))) {
    const where = c.head ? ' [subject of the main clause]' : c.clause ? ` [under "${c.clause}"]` : '';
    lines.push(`  ${c.target} +${c.weight}  "${c.cue}"  (cue ${c.pattern})${where}`);
  }
  const top = a.ranked[0]?.score ?? 0;
  const dropped = a.ranked.filter((r) => !a.themes.includes(r.id));
  for (const r of dropped) {
    const why = r.score < minScore ? `below the minimum ${minScore}` : r.score < relativeCut * top ? `under ${relativeCut} of the top score ${top}` : 'at most three themes';
    const words = a.hits.filter((h) => h.cue.weights[r.id] !== undefined).map((h) => `"${h.text}"`);
    lines.push(`  not kept: ${r.id} (${r.score}, ${why}) from ${words.join(', ')}`);
  }
  const p = a.polarityDetail;
  lines.push(`polarity: ${a.polarity} (strength ${round(p.strength)}, concern ${round(p.concern)}, score ${a.score})`);
  for (const c of a.cues.filter((c) => c.target.startsWith('polarity:'))) lines.push(`  ${c.target.slice(9)} +${c.weight}  "${c.cue}"`);
  if (p.neutraliser) lines.push(`  damped ×${p.neutraliser.factor} by "${p.neutraliser.text}" (methodology, not a finding)`);
  return lines.join('\n');
}

function scoreOf(a: Analysis, id: string): number {
  return a.ranked.find((r) => r.id === id)?.score ?? 0;
}
