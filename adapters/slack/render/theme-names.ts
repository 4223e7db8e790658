// Theme ids → names, from the taxonomy file (src/themes/taxonomy.json), read once.
import { readFileSync } from 'node:fs';

let names: Record<string, string> | null = null;

function load(): Record<string, string> {
  try {
    const raw = JSON.parse(readFileSync(new URL('../../../src/themes/taxonomy.json', import.meta.url), 'utf8')) as { themes?: { id: string; name: string }[] };
    return Object.fromEntries((raw.themes ?? []).map((t) => [t.id, t.name]));
  } catch {
    return {};
  }
}

/** The theme's name ("Front door, contacts and referrals"), or its id made readable if unknown. */
export function themeName(id: string): string {
  names ??= load();
  return names[id] ?? id.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
