// Reads one downloaded file into a letter: check the bytes, then (in a worker of the pool, if one
// is given) extract, clean, parse, classify and summarise. Never throws for a bad file: the result
// says why, in words for people.
import { checkPdf, DEFAULT_MAX_PDF_BYTES } from './check-pdf.ts';
import { DEFAULT_EXTRACT_TIMEOUT_MS, DEFAULT_MAX_PAGES } from './extract-text.ts';
import type { LetterPipelineRequest } from './letter-pipeline.ts';
import type { LetterPool } from './letter-pool.ts';
import type { LetterReadResult } from './types.ts';

export interface ReadLetterOptions {
  maxBytes?: number;
  maxPages?: number;
  /** time allowed for reading the PDF's text, ms */
  timeoutMs?: number;
  /** run the reading in this pool's worker threads; without one it runs in the calling thread */
  pool?: LetterPool;
  /** characters the summary may take */
  summaryBudget?: number;
}

export const DEFAULT_SUMMARY_BUDGET = 3000;

export async function readLetter(bytes: Uint8Array, contentType: string | null, opts: ReadLetterOptions = {}): Promise<LetterReadResult> {
  const check = checkPdf(bytes, contentType, opts.maxBytes ?? DEFAULT_MAX_PDF_BYTES);
  if (!check.ok) return check;
  const req: LetterPipelineRequest = {
    bytes,
    maxPages: opts.maxPages ?? DEFAULT_MAX_PAGES,
    timeoutMs: opts.timeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS,
    summaryBudget: opts.summaryBudget ?? DEFAULT_SUMMARY_BUDGET,
  };
  if (opts.pool) return inPool(opts.pool, req);
  // loaded only when needed: with a pool, this thread never loads pdf.js or the classifier
  const { runLetterPipeline } = await import('./letter-pipeline.ts');
  return runLetterPipeline(req);
}

/** Extraction gives up on its own at timeoutMs; the pool stops a worker stuck well past that. */
async function inPool(pool: LetterPool, req: LetterPipelineRequest): Promise<LetterReadResult> {
  const limit = Math.round((req.timeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS) * 1.5) + 2000;
  const r = await pool.run(req, { timeoutMs: limit });
  if (r.ok) return r.value;
  switch (r.kind) {
    case 'timeout':
      return { ok: false, kind: 'timeout', reason: `reading the PDF took longer than ${Math.round(limit / 1000)} s and was stopped` };
    case 'closed':
      return { ok: false, kind: 'timeout', reason: 'not read: the letter reader was shutting down' };
    default:
      return { ok: false, kind: 'corrupt', reason: `corrupt: the PDF could not be read (${r.reason})` };
  }
}
