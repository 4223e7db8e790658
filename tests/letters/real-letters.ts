// Helpers for tests that read the real letters in ../shared/corpus/letters (skipped where absent).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanText } from '../../src/letters/clean-text.ts';
import { extractPdfText } from '../../src/letters/extract-text.ts';
import { parseLetter } from '../../src/letters/parse-structure.ts';
import type { LetterStructure } from '../../src/letters/types.ts';

export const LETTERS_DIR = resolve(process.cwd(), '../shared/corpus/letters');
export const haveLetters = existsSync(LETTERS_DIR);

export function letterBytes(file: string): Uint8Array {
  return readFileSync(resolve(LETTERS_DIR, file));
}

/** Extract, clean and parse one of the corpus letters in this thread. */
export async function readStructure(file: string): Promise<{ text: string; pages: number; structure: LetterStructure }> {
  const extracted = await extractPdfText(letterBytes(file));
  if (!extracted.ok) throw new Error(`${file}: ${extracted.reason}`);
  const text = cleanText(extracted.pages);
  return { text, pages: extracted.totalPages, structure: parseLetter(text) };
}
