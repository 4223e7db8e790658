// Benchmarks the letter reader on a corpus and prints ONE JSON object:
//   1. the whole pipeline through the worker pool (first, while this thread has not loaded
//      pdf.js, as in the running bot where only the workers do), with the pool's default
//      heap limits and without them,
//   2. extraction alone, in this thread, one letter after another,
//   3. the whole pipeline in this thread, one letter after another (what structure, themes and
//      summary add over extraction),
//   4. pdftotext over the same files one after another, for comparison,
//   and peak RSS. Each timing is the best of --reps runs (default 3): the machine is shared.
//   npm run bench:letters [-- --dir DIR --pool-size N --reps N]
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_CORPUS_DIR, loadCorpus } from '../src/letters/corpus.ts';
import { extractPdfText } from '../src/letters/extract-text.ts';
import { createLetterPool, LETTER_WORKER_LIMITS } from '../src/letters/letter-pool.ts';
import { readLetter } from '../src/letters/read-letter.ts';
import type { LetterTimings } from '../src/letters/types.ts';

const exec = promisify(execFile);
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = opt('--dir') ? resolve(opt('--dir') as string) : DEFAULT_CORPUS_DIR;
const poolSize = Number(opt('--pool-size') ?? availableParallelism());
const reps = Math.max(1, Number(opt('--reps') ?? 3));

const files = loadCorpus(dir).map((e) => ({ path: e.path, bytes: readFileSync(e.path) as Uint8Array }));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const mb = (b: number) => round(b / (1024 * 1024));

// ---- RSS sampling: worker threads live in this process, so its RSS includes them ----
let peakRss = process.memoryUsage().rss;
let phasePeak = peakRss;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  phasePeak = Math.max(phasePeak, rss);
}, 10);

/** Runs fn `reps` times; the best time and the phase's peak RSS. */
async function best<T>(fn: () => Promise<T>): Promise<{ ms: number; runsMs: number[]; value: T; peakRssMb: number }> {
  phasePeak = process.memoryUsage().rss;
  const runsMs: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    value = await fn();
    runsMs.push(round(performance.now() - t0));
  }
  return { ms: Math.min(...runsMs), runsMs, value: value as T, peakRssMb: mb(phasePeak) };
}

const rates = (ms: number, pages: number) => ({
  ms: round(ms),
  lettersPerSec: round(files.length / (ms / 1000), 2),
  msPerPage: round(ms / pages, 2),
});

// ---- 1. the whole pipeline through the pool (each worker warmed with one letter first), with the
//      letter pool's default heap limits, then without them (the memory/CPU trade-off) ----
async function throughPool(opts: Parameters<typeof createLetterPool>[0]) {
  const pool = createLetterPool({ size: poolSize, ...opts });
  await Promise.all(files.slice(0, poolSize).map((f) => readLetter(f.bytes, 'application/pdf', { pool })));
  const cpu0 = process.cpuUsage();
  // keeps each letter's page count only (-1: not read), as a bot that stores and drops each letter
  // would: holding all the full results would add their tens of MB to the RSS measured
  const pagesOf = async (f: (typeof files)[number]) => {
    const r = await readLetter(f.bytes, 'application/pdf', { pool });
    return r.ok ? r.pages : -1;
  };
  const run = await best(() => Promise.all(files.map(pagesOf)));
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  return { ...run, cpuSecPerRun: round((cpu.user + cpu.system) / 1e6 / reps, 2) };
}
const pooled = await throughPool({});
const pooledUnlimited = await throughPool({ resourceLimits: {} });
const totalPages = pooled.value.reduce((n, pages) => n + Math.max(0, pages), 0);

// ---- 2. extraction alone, this thread ----
await extractPdfText(files[0]?.bytes ?? new Uint8Array()); // load pdf.js before timing
const extraction = await best(async () => {
  for (const f of files) await extractPdfText(f.bytes);
});

// ---- 3. the whole pipeline, this thread ----
const inThread = await best(async () => {
  const stages: LetterTimings = { extract: 0, parse: 0, classify: 0, summarise: 0, total: 0 };
  for (const f of files) {
    const r = await readLetter(f.bytes, 'application/pdf');
    if (!r.ok || !r.timings) continue;
    for (const k of Object.keys(stages) as (keyof LetterTimings)[]) stages[k] += r.timings[k];
  }
  return stages;
});
const stages = inThread.value;

// ---- 4. pdftotext, one file after another ----
let pdftotext: Record<string, unknown>;
try {
  const probe = await exec('pdftotext', ['-v']).catch((e: { stdout?: string; stderr?: string }) => e);
  const version = `${probe.stdout ?? ''}${probe.stderr ?? ''}`.split('\n')[0]?.trim() ?? '';
  const t = await best(async () => {
    for (const f of files) await exec('pdftotext', ['-layout', f.path, '-'], { maxBuffer: 64 * 1024 * 1024 });
  });
  pdftotext = { available: true, version, ...rates(t.ms, totalPages), runsMs: t.runsMs };
} catch (err) {
  pdftotext = { available: false, note: `pdftotext could not be run: ${err instanceof Error ? err.message : String(err)}` };
}
clearInterval(sampler);

const added = stages.parse + stages.classify + stages.summarise;
const result = {
  corpus: dir,
  letters: files.length,
  totalPages,
  cores: availableParallelism(),
  poolSize,
  reps,
  pipelineThroughPool: {
    heapLimits: LETTER_WORKER_LIMITS,
    ...rates(pooled.ms, totalPages),
    runsMs: pooled.runsMs,
    cpuSecPerRun: pooled.cpuSecPerRun,
    peakRssMb: pooled.peakRssMb,
    unread: pooled.value.filter((pages) => pages < 0).length,
  },
  pipelineThroughPoolUnlimitedHeap: {
    heapLimits: 'none (V8 defaults)',
    ...rates(pooledUnlimited.ms, totalPages),
    runsMs: pooledUnlimited.runsMs,
    cpuSecPerRun: pooledUnlimited.cpuSecPerRun,
    peakRssMb: pooledUnlimited.peakRssMb,
    unread: pooledUnlimited.value.filter((pages) => pages < 0).length,
  },
  extractionOnly: { thread: 'main, one after another', ...rates(extraction.ms, totalPages), runsMs: extraction.runsMs },
  pipelineInThread: {
    thread: 'main, one after another',
    ...rates(inThread.ms, totalPages),
    runsMs: inThread.runsMs,
    stageMsLastRun: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(v)])),
    addedOverExtraction: {
      all: round(added / stages.extract, 3),
      structure: round(stages.parse / stages.extract, 3),
      themes: round(stages.classify / stages.extract, 3),
      summary: round(stages.summarise / stages.extract, 3),
      note: 'stage time / extraction time within the same run: structure = clean + parse; themes = classifyLetter; summary = summariseLetter',
    },
  },
  pdftotext,
  poolSpeedupOverPdftotext: typeof pdftotext.ms === 'number' ? round((pdftotext.ms as number) / pooled.ms, 2) : null,
  unlimitedPoolSpeedupOverPdftotext: typeof pdftotext.ms === 'number' ? round((pdftotext.ms as number) / pooledUnlimited.ms, 2) : null,
  peakRssMb: {
    overall: mb(peakRss),
    pipelineThroughPool: pooled.peakRssMb,
    pipelineThroughPoolUnlimitedHeap: pooledUnlimited.peakRssMb,
    extractionOnly: extraction.peakRssMb,
    pipelineInThread: inThread.peakRssMb,
    note: 'process RSS sampled every 10 ms; worker threads share the process, so it includes them. The pool phases run first, before this thread loads pdf.js, as in the running bot.',
  },
};
console.log(JSON.stringify(result, null, 2));
