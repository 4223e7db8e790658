// The pool of letter-reading workers.
import type { LetterPipelineRequest } from './letter-pipeline.ts';
import { WorkerPool, type PoolOptions } from './pool.ts';
import type { LetterReadResult } from './types.ts';

export type LetterPool = WorkerPool<LetterPipelineRequest, LetterReadResult>;

/**
 * Heap limits per worker. Without them V8 lets each worker's old generation grow to about four
 * times what is live before collecting it: two workers reading the corpus peak at 400-440 MB of
 * process RSS. With any old-generation cap below 2 GB V8 grows it by a smaller factor (1.6 at
 * 1 GB), and a 16 MB young generation keeps short-lived pdf.js garbage from piling up: 260-290 MB,
 * for about a fifth more CPU time (bench/letters.ts runs both). Smaller caps cost far more CPU for
 * little memory (128 MB old / 8 MB young: 270-300 MB, twice the GC time; 48 MB old thrashes).
 * Letters come a few a day, so memory wins by default; pass `resourceLimits: {}` for throughput
 * (a backfill on a machine with memory to spare). A letter that needed more than 1 GB would come
 * back as unreadable ("the worker crashed: ... out of memory").
 */
export const LETTER_WORKER_LIMITS = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 16 };

/** A worker idle this long is stopped and its memory returned; the next letter starts one again (~0.5 s). */
export const LETTER_WORKER_IDLE_MS = 60_000;

export function createLetterPool(opts: Omit<PoolOptions, 'script'> = {}): LetterPool {
  return new WorkerPool<LetterPipelineRequest, LetterReadResult>({
    resourceLimits: LETTER_WORKER_LIMITS,
    idleTimeoutMs: LETTER_WORKER_IDLE_MS,
    ...opts,
    script: new URL('./letter-worker.ts', import.meta.url),
  });
}
