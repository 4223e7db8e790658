// The whole reading of one PDF letter after its bytes are checked: extract -> clean -> parse ->
// classify -> summarise. Runs in a worker thread (letter-worker.ts) or, without a pool, in the
// caller's thread.
import { classifyLetter } from './classify-letter.ts';
import { cleanText } from './clean-text.ts';
import { extractPdfText, type ExtractOptions } from './extract-text.ts';
import { parseLetter } from './parse-structure.ts';
import { summariseLetter } from './summarise.ts';
import type { LetterReadResult } from './types.ts';

export interface LetterPipelineRequest extends ExtractOptions {
  bytes: Uint8Array;
  /** characters the summary may take */
  summaryBudget: number;
}

export async function runLetterPipeline(req: LetterPipelineRequest): Promise<LetterReadResult> {
  const t0 = performance.now();
  const extracted = await extractPdfText(req.bytes, { maxPages: req.maxPages, timeoutMs: req.timeoutMs });
  if (!extracted.ok) return extracted;
  const t1 = performance.now();
  const text = cleanText(extracted.pages);
  const structure = parseLetter(text);
  const t2 = performance.now();
  const sentences = classifyLetter(structure);
  const t3 = performance.now();
  const summary = summariseLetter(structure, sentences, { budget: req.summaryBudget });
  const t4 = performance.now();
  return {
    ok: true,
    pages: extracted.totalPages,
    text,
    structure,
    sentences,
    summary,
    timings: { extract: t1 - t0, parse: t2 - t1, classify: t3 - t2, summarise: t4 - t3, total: t4 - t0 },
  };
}
