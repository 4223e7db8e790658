// Wiring for the long-running process: runDigestSchedule(deps, now) is one check of the schedule (make
// the digests that are due, recover missed ones); startDigestSchedule(ctx) runs it every minute with the
// scheduler's `every` loop (never overlapping itself) and stops it cleanly. The check is cheap when
// nothing is due: one grouped read of the channels' schedules and one of the finished slots.
import { hostname } from 'node:os';
import type { AppContext } from '../app/context.ts';
import { every } from '../scheduler/scheduler.ts';
import { initiateDigests, type DigestDeps, type DigestRunOptions, type DigestRunReport } from './initiate-digests.ts';

export type { DigestDeps, DigestRunOptions, DigestRunReport } from './initiate-digests.ts';

export function runDigestSchedule(deps: DigestDeps, now: Date, opts: DigestRunOptions = {}): Promise<DigestRunReport> {
  return initiateDigests(deps, now, opts);
}

export function digestDepsFrom(ctx: Pick<AppContext, 'db' | 'directory' | 'logger' | 'config'>, holder?: string): DigestDeps {
  return {
    db: ctx.db,
    directory: ctx.directory,
    logger: ctx.logger,
    baseUrl: ctx.config.OFSTED_BASE_URL,
    holder: holder ?? `${hostname()}:${process.pid}:digests:${Math.random().toString(36).slice(2, 8)}`,
  };
}

export interface DigestScheduleHandle {
  /** stops between batches (committed work stays) and waits for the check in progress */
  stop(): Promise<void>;
  /** checks now (e.g. after a digest setting changed) */
  kick(): void;
}

export function startDigestSchedule(
  ctx: Pick<AppContext, 'db' | 'directory' | 'logger' | 'config' | 'now'>,
  opts: {
    intervalMs?: number;
    run?: DigestRunOptions;
    /** called when a check queued digests (wake the outbox) */
    onQueued?: (report: DigestRunReport) => void;
    /** runs each check inside the cluster's 'digests' section, so with several instances one checks at a time */
    section?: (fn: () => Promise<void>) => Promise<unknown>;
  } = {},
): DigestScheduleHandle {
  const deps = digestDepsFrom(ctx);
  const stopping = new AbortController();
  const check = async () => {
    const report = await runDigestSchedule(deps, ctx.now(), { ...opts.run, signal: stopping.signal });
    if (report.queued > 0) opts.onQueued?.(report);
  };
  const loop = every(
    opts.intervalMs ?? 60_000,
    () => (opts.section ? opts.section(check) : check()),
    ctx.logger,
    'digests',
  );
  return {
    kick: () => loop.kick(),
    async stop() {
      stopping.abort();
      await loop.stop();
    },
  };
}
