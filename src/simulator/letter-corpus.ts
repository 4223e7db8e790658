// The real Ofsted letters in ../shared/corpus/letters, by manifest.csv: council, type, publication date, file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLICATION_TYPES, type PublicationType } from '../letters/types.ts';
import { fileIdFromUrl } from '../sources/ofsted-links.ts';
import { readCsv } from './csv.ts';
import { findSharedDir } from './shared-dir.ts';

export interface CorpusLetter {
  urn: string;
  type: PublicationType;
  publicationDate: string;
  /** absolute path of the PDF */
  path: string;
  /** Ofsted's own file id, where the manifest gives its link */
  fileId: string | null;
}

/** The letters whose PDF is present, or [] when ../shared (or its manifest) is not there. */
export function loadLetterCorpus(sharedDir?: string): CorpusLetter[] {
  const dir = findSharedDir(sharedDir);
  if (!dir) return [];
  const lettersDir = join(dir, 'corpus', 'letters');
  let text: string;
  try {
    text = readFileSync(join(lettersDir, 'manifest.csv'), 'utf8');
  } catch {
    return [];
  }
  const letters: CorpusLetter[] = [];
  for (const row of readCsv(text)) {
    const type = row['type'] as PublicationType;
    const path = join(lettersDir, row['file'] ?? '');
    const date = row['publication_date'] ?? '';
    if (!PUBLICATION_TYPES.includes(type) || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !row['file'] || !existsSync(path)) continue;
    letters.push({ urn: row['ofsted_urn'] ?? '', type, publicationDate: date, path, fileId: fileIdFromUrl(row['source_url'] ?? '') });
  }
  return letters;
}
