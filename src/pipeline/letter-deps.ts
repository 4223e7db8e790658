// Assembles the letter reader's dependencies from the app context and the configured limits.
import type { AppContext } from '../app/context.ts';
import type { LetterPool } from '../letters/letter-pool.ts';
import type { LetterDeps } from './ensure-letter.ts';

export function letterDeps(ctx: AppContext, pool?: LetterPool): LetterDeps {
  return {
    db: ctx.db,
    client: ctx.client,
    logger: ctx.logger,
    now: ctx.now,
    pool,
    limits: {
      maxBytes: ctx.config.LETTER_MAX_BYTES,
      maxPages: ctx.config.LETTER_MAX_PAGES,
      timeoutMs: ctx.config.LETTER_TIMEOUT_MS,
      summaryBudget: ctx.config.SUMMARY_BUDGET_CHARS,
    },
  };
}
