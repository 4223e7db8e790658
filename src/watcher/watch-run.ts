// Bookkeeping shared by poll and sweep: the watcher lease (one run at a time, across processes),
// the run row, request/byte accounting, faults raised and resolved, and the end-of-run baseline check.
import { acquireLease, releaseLease, leaseHolder } from '../store/leases.ts';
import { raiseFault, resolveFaults, type FaultKind } from '../store/faults.ts';
import { closeAbandonedRuns, finishRun, startRun, type RunKind, type RunStatus } from '../store/runs.ts';
import { getMeta, setMeta } from '../store/meta.ts';
import type { WatcherDeps } from './deps.ts';
import type { PublicationEvent } from './publication-event.ts';

export const WATCHER_LEASE = 'watcher';
export const LEASE_TTL_MS = 15 * 60_000;
export const BASELINE_KEY = 'baseline_completed_at';

export interface WatchRunResult {
  kind: RunKind;
  status: RunStatus;
  /** why the run did not happen (another run holds the lease) */
  skipped?: string;
  announced: PublicationEvent[];
  republished: PublicationEvent[];
  recordedSilently: number;
  faults: { kind: FaultKind; subject: string; message: string }[];
  requests: number;
  bytes: number;
  notModified: number;
  pagesFetched: number;
  baselineCompletedAt: string | null;
}

export class WatchRun {
  readonly result: WatchRunResult;
  private readonly startStats: { requests: number; bytes: number; notModified: number };
  aborted = false;
  failed = false;

  constructor(
    readonly deps: WatcherDeps,
    kind: RunKind,
    private readonly runId: number,
    readonly baselineCompletedAt: string | null,
  ) {
    const s = deps.client.stats();
    this.startStats = { requests: s.requests, bytes: s.bytes, notModified: s.notModified ?? 0 };
    this.result = {
      kind, status: 'running', announced: [], republished: [], recordedSilently: 0, faults: [],
      requests: 0, bytes: 0, notModified: 0, pagesFetched: 0, baselineCompletedAt,
    };
  }

  async fault(kind: FaultKind, subject: string, message: string): Promise<void> {
    const { db, logger, now, faultAlertAfter } = this.deps;
    const f = await raiseFault(db, kind, subject, message, now());
    this.result.faults.push({ kind, subject, message });
    const log = { fault: kind, subject, occurrences: f.occurrences };
    if (f.occurrences >= faultAlertAfter) logger.error(log, `REPEATED FAULT (${f.occurrences} times): ${message}`);
    else logger.warn(log, message);
  }

  async resolve(kinds: FaultKind[], subject: string): Promise<void> {
    const n = await resolveFaults(this.deps.db, kinds, subject, this.deps.now());
    if (n > 0) this.deps.logger.info({ subject, kinds }, 'fault resolved');
  }

  async renewLease(): Promise<boolean> {
    return acquireLease(this.deps.db, WATCHER_LEASE, this.deps.holder, LEASE_TTL_MS, this.deps.now(), { takeOver: this.deps.leaseTakeover });
  }

  async finish(): Promise<WatchRunResult> {
    const s = this.deps.client.stats();
    const r = this.result;
    r.requests = s.requests - this.startStats.requests;
    r.bytes = s.bytes - this.startStats.bytes;
    r.notModified = (s.notModified ?? 0) - this.startStats.notModified;
    r.status = this.aborted ? 'aborted' : this.failed ? 'failed' : r.faults.length > 0 ? 'faults' : 'ok';
    await finishRun(this.deps.db, this.runId, {
      status: r.status,
      requests: r.requests,
      bytes: r.bytes,
      notModified: r.notModified,
      pagesFetched: r.pagesFetched,
      newPublications: r.announced.length,
      detail: r.faults.length ? r.faults.map((f) => `${f.kind} ${f.subject}: ${f.message}`).join('\n').slice(0, 4000) : undefined,
    }, this.deps.now());
    return r;
  }
}

/** Runs `body` holding the watcher lease; if another run holds it, returns a skipped result at once. */
export async function withWatchRun(
  deps: WatcherDeps,
  kind: RunKind,
  body: (run: WatchRun) => Promise<void>,
): Promise<WatchRunResult> {
  const { db, now, holder } = deps;
  if (!(await acquireLease(db, WATCHER_LEASE, holder, LEASE_TTL_MS, now(), { takeOver: deps.leaseTakeover }))) {
    const other = await leaseHolder(db, WATCHER_LEASE, now());
    const reason = `another watcher run is in progress (${other?.holder ?? 'unknown holder'}, lease until ${other?.expiresAt ?? '?'})`;
    deps.logger.info({ kind }, reason);
    return {
      kind, status: 'skipped', skipped: reason, announced: [], republished: [], recordedSilently: 0, faults: [],
      requests: 0, bytes: 0, notModified: 0, pagesFetched: 0, baselineCompletedAt: await getMeta(db, BASELINE_KEY),
    };
  }
  // holding the lease, no other run can be live: one still marked 'running' belonged to a process that died
  const abandoned = await closeAbandonedRuns(db, now());
  if (abandoned) deps.logger.warn({ runs: abandoned }, 'runs left unfinished by a process that stopped were closed as aborted');
  const runId = await startRun(db, kind, now());
  const run = new WatchRun(deps, kind, runId, await getMeta(db, BASELINE_KEY));
  try {
    await body(run);
  } catch (error) {
    run.failed = true;
    await run.fault('run-failed', kind, `the ${kind} stopped with an unexpected error: ${(error as Error).message}`).catch(() => {});
    deps.logger.error({ err: error }, `${kind} failed`);
  } finally {
    await releaseLease(db, WATCHER_LEASE, holder).catch(() => {});
  }
  return run.finish();
}

/** After a clean run: if every council the run saw has been read once, the first baseline is complete. */
export async function completeBaselineIfDone(run: WatchRun, seenUrns: Set<string>): Promise<void> {
  if (run.baselineCompletedAt || run.failed || run.aborted || seenUrns.size === 0) return;
  const { db, now } = run.deps;
  const baselined = await db.selectFrom('watch_state').select('urn').where('baselined_at', 'is not', null).execute();
  const done = new Set(baselined.map((r) => r.urn));
  for (const urn of seenUrns) if (!done.has(urn)) return;
  const at = now().toISOString();
  await setMeta(db, BASELINE_KEY, at);
  run.result.baselineCompletedAt = at;
  run.deps.logger.info({ councils: seenUrns.size }, 'first baseline complete: publications found from now on are announced');
}
