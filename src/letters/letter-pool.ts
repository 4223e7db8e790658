// The pool of letter-reading workers.
import type { LetterPipelineRequest } from './letter-pipeline.ts';
import { WorkerPool, type PoolOptions } from './pool.ts';
import type { LetterReadResult } from './types.ts';

export type LetterPool = WorkerPool<LetterPipelineRequest, LetterReadResult>;

/**
 * Heap limits per worker. Without them V8 lets each worker's heap grow well past 100 MB before
 * collecting: two workers reading the corpus peak at 450-510 MB of process RSS; with these
 * limits at 290-310 MB, for about a third more CPU time (bench/letters.ts runs both). Letters
 * come a few a day, so memory wins by default; pass `resourceLimits: {}` for throughput (a
 * backfill on a machine with memory to spare). A letter that needed more would come back as
 * unreadable ("the worker crashed: ... out of memory"); the corpus's largest (47 pages) does not.
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
