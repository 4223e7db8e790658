// `poll` and `sweep`: one run of the watcher, printing what it found (JSON lines with --json).
import type { AppContext } from '../../app/context.ts';
import { runPoll } from '../../watcher/poll.ts';
import { runSweep } from '../../watcher/sweep.ts';
import { toJsonLine } from '../../watcher/publication-event.ts';
import type { WatchRunResult } from '../../watcher/watch-run.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export interface WatchCommandOptions {
  json: boolean;
  announceSince: string | null;
  signal?: AbortSignal;
}

export async function watchCommand(kind: 'poll' | 'sweep', ctx: AppContext, opts: WatchCommandOptions, io: Output): Promise<number> {
  const run = kind === 'poll' ? runPoll : runSweep;
  const result = await run(ctx.watcherDeps(), { announceSince: opts.announceSince, signal: opts.signal });
  printRun(result, opts.json, io);
  if (result.status === 'skipped') return EXIT.BUSY;
  if (result.status === 'ok') return EXIT.OK;
  return EXIT.FAULTS;
}

export function printRun(r: WatchRunResult, json: boolean, io: Output): void {
  if (json) {
    for (const e of r.announced) io.out(toJsonLine(e));
  } else {
    for (const e of r.announced) io.out(`NEW  ${e.publicationDate}  ${e.authority} (URN ${e.urn})  ${e.title}  ${e.url}`);
    for (const e of r.republished) io.out(`RE-PUBLISHED  ${e.publicationDate}  ${e.authority}  ${e.title}  new file ${e.fileId} (was ${e.previousFileId})`);
  }
  if (r.skipped) {
    io.err(`${r.kind} skipped: ${r.skipped}`);
    return;
  }
  const summary =
    `${r.kind} ${r.status}: ${r.announced.length} new, ${r.republished.length} re-published` +
    (r.recordedSilently ? `, ${r.recordedSilently} recorded without announcing (baseline)` : '') +
    `; ${r.requests} requests, ${r.bytes} bytes, ${r.notModified} not modified`;
  io.err(summary);
  if (!r.baselineCompletedAt) io.err('The first baseline is not complete yet: what exists is recorded, not announced. Use --announce-since DATE to announce a backfill.');
  for (const f of r.faults) io.err(`FAULT [${f.kind}] ${f.subject}: ${f.message}`);
}
