// Reads a corpus of letters laid out as ../shared/corpus/letters: PDFs, manifest.csv and
// labels.json. Used by the evaluator, the benchmark and the tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Judgements } from './types.ts';

export const DEFAULT_CORPUS_DIR = resolve(process.cwd(), '../shared/corpus/letters');

export interface ManifestRow {
  file: string;
  local_authority: string;
  type: string;
  publication_date: string;
  inspection_start_date: string;
  inspection_end_date: string;
  /** grade columns as written: a grade, 'unknown', 'not-judged' or '' */
  grades: Record<keyof Judgements, string>;
}

export interface LabelledPoint {
  text: string;
  themes: string[];
  acceptable: string[];
}

export interface Label {
  type: string;
  improvements: LabelledPoint[];
  judgements: Judgements | null;
  file?: string;
}

export interface CorpusEntry {
  file: string;
  stem: string;
  path: string;
  manifest: ManifestRow | null;
  label: Label | null;
}

const GRADE_COLUMNS = ['overall_effectiveness', 'impact_of_leaders', 'help_and_protection', 'children_in_care', 'care_leavers'] as const;

export function loadCorpus(dir: string = DEFAULT_CORPUS_DIR): CorpusEntry[] {
  const manifestPath = join(dir, 'manifest.csv');
  const labelsPath = join(dir, 'labels.json');
  const manifest = existsSync(manifestPath) ? parseManifest(readFileSync(manifestPath, 'utf8')) : [];
  const labels = existsSync(labelsPath) ? (JSON.parse(readFileSync(labelsPath, 'utf8')) as Record<string, Label>) : {};
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.pdf'))
    .sort()
    .map((file) => {
      const stem = file.replace(/\.pdf$/i, '');
      return { file, stem, path: join(dir, file), manifest: manifest.find((m) => m.file === file) ?? null, label: labels[stem] ?? null };
    });
}

export function parseManifest(csv: string): ManifestRow[] {
  const rows = parseCsv(csv);
  const header = rows.shift() ?? [];
  return rows
    .filter((r) => r.length > 1)
    .map((r) => {
      const get = (name: string) => r[header.indexOf(name)] ?? '';
      return {
        file: get('file'),
        local_authority: get('local_authority'),
        type: get('type'),
        publication_date: get('publication_date'),
        inspection_start_date: get('inspection_start_date'),
        inspection_end_date: get('inspection_end_date'),
        grades: Object.fromEntries(GRADE_COLUMNS.map((c) => [c, get(c)])) as Record<keyof Judgements, string>,
      };
    });
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
