// The comparison point: a plain keyword list (the taxonomy doc's own cue words, `keywords` in
// taxonomy.json), no weights, no context. A theme is predicted if any of its words occurs; at most
// three, those with most hits first. Pure.
import { findAll } from '../patterns.ts';
import type { CompiledTaxonomy } from '../taxonomy.ts';
import { tokenize } from '../tokens.ts';

export function keywordThemes(text: string, tax: CompiledTaxonomy): string[] {
  const tokens = tokenize(text);
  const hits = new Map<string, number>();
  for (const k of tax.keywords) {
    const n = findAll(k.pattern, tokens).length;
    if (n > 0) hits.set(k.theme, (hits.get(k.theme) ?? 0) + n);
  }
  const order = tax.themes.map((t) => t.id);
  return [...hits.entries()]
    .sort((a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]))
    .slice(0, 3)
    .map(([id]) => id);
}
