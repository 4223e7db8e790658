// `summarise FILE_OR_URL` (read one letter and print its summary) and `search WORDS` (stored letters).
import { readFile, stat } from 'node:fs/promises';
import type { AppContext } from '../../app/context.ts';
import { readLetter } from '../../letters/read-letter.ts';
import { renderSummaryText } from '../../letters/summarise.ts';
import { explain } from '../../themes/explain.ts';
import { classifyText } from '../../themes/classify.ts';
import { searchLetters } from '../../store/letters.ts';
import type { LetterReadResult } from '../../letters/types.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export async function summariseCommand(
  ctx: AppContext,
  source: string,
  opts: { json: boolean; budget?: number; explain: boolean },
  io: Output,
): Promise<number> {
  const loaded = await load(ctx, source);
  if (!loaded.ok) {
    io.err(loaded.message);
    return loaded.code;
  }
  const result = await readLetter(loaded.bytes, loaded.contentType, {
    maxBytes: ctx.config.LETTER_MAX_BYTES,
    maxPages: ctx.config.LETTER_MAX_PAGES,
    timeoutMs: ctx.config.LETTER_TIMEOUT_MS,
    summaryBudget: opts.budget ?? ctx.config.SUMMARY_BUDGET_CHARS,
  });
  if (!result.ok) {
    io.err(`Cannot summarise ${source}: ${result.reason}`);
    return EXIT.FAULTS;
  }
  if (opts.json) io.out(JSON.stringify(toJson(result)));
  else {
    io.out(renderSummaryText(result.summary));
    if (opts.explain) {
      io.out('\nWhy each sentence was placed where it is:');
      for (const s of result.sentences) io.out(`- ${explain(s.text, { improvementPoint: s.section === 'improvements' })}`);
    }
  }
  return EXIT.OK;
}

/** The JSON contract of `summarise --json`. */
export function toJson(r: Extract<LetterReadResult, { ok: true }>) {
  const s = r.structure;
  return {
    type: s.type,
    authority: s.authority,
    publicationDate: s.letterDate,
    visitDates: { start: s.visitDates.start, end: s.visitDates.end },
    inspectors: s.inspectors,
    judgements: s.judgements,
    // every point, whatever the summary's budget kept
    improvements: s.improvements.map((text) => ({ text, themes: classifyText(text, { improvementPoint: true }).themes })),
    themes: r.summary.themes.map((t) => ({ id: t.id, strengths: t.strengths, concerns: t.concerns, concernSentence: t.concernSentence, strengthSentence: t.strengthSentence })),
    headline: r.summary.headline,
    overview: r.summary.overview.join(' '),
  };
}

type Loaded = { ok: true; bytes: Uint8Array; contentType: string | null } | { ok: false; message: string; code: number };

async function load(ctx: AppContext, source: string): Promise<Loaded> {
  if (/^https?:\/\//i.test(source)) {
    const res = await ctx.client.getBytes(source, { maxBytes: ctx.config.LETTER_MAX_BYTES });
    if (!res.ok) return { ok: false, message: `Cannot download ${source}: ${res.error.message}`, code: EXIT.FAULTS };
    if (res.status === 304) return { ok: false, message: `Cannot download ${source}: unexpected 304 Not Modified`, code: EXIT.FAULTS };
    return { ok: true, bytes: res.body, contentType: res.contentType };
  }
  try {
    const info = await stat(source);
    if (!info.isFile()) return { ok: false, message: `${source} is not a file`, code: EXIT.NOT_FOUND };
    if (info.size > ctx.config.LETTER_MAX_BYTES) {
      return { ok: false, message: `Cannot summarise ${source}: too large (${(info.size / 1048576).toFixed(1)} MB > ${(ctx.config.LETTER_MAX_BYTES / 1048576).toFixed(0)} MB cap, LETTER_MAX_BYTES)`, code: EXIT.FAULTS };
    }
    return { ok: true, bytes: new Uint8Array(await readFile(source)), contentType: null };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: code === 'ENOENT' ? `No such file: ${source}` : `Cannot read ${source}: ${(error as Error).message}`, code: EXIT.NOT_FOUND };
  }
}

export async function searchCommand(ctx: AppContext, words: string, opts: { json: boolean }, io: Output): Promise<number> {
  const hits = await searchLetters(ctx.db, words, { limit: 20 });
  if (opts.json) for (const h of hits) io.out(JSON.stringify(h));
  else {
    if (hits.length === 0) io.err(`No stored letter mentions ${JSON.stringify(words)}. (Only letters already read are searched: those announced since the watcher started, and those looked up.)`);
    for (const h of hits) io.out(`${h.publicationDate}  ${h.authority}: ${h.title}\n    …${h.snippet}…\n    ${h.url}`);
  }
  return hits.length ? EXIT.OK : EXIT.NOT_FOUND;
}
