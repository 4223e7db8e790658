// The reconciliation sweep (nightly by default): reads every known council's page, conditionally where
// the server allows, to catch what the listing does not reveal (visits that do not move the latest-report date).
import { readAuthority } from './read-authority.ts';
import { backfillAnnouncements } from './record-page.ts';
import type { WatcherDeps } from './deps.ts';
import { completeBaselineIfDone, withWatchRun, type WatchRunResult } from './watch-run.ts';

export interface SweepOptions {
  announceSince?: string | null;
  signal?: AbortSignal;
}

export function runSweep(deps: WatcherDeps, opts: SweepOptions = {}): Promise<WatchRunResult> {
  return withWatchRun(deps, 'sweep', async (run) => {
    const listed = await deps.db.selectFrom('listed_authorities').select('urn').execute();
    const urns = [...new Set([...deps.authorities.urns(), ...listed.map((r) => r.urn)])].sort();
    const swept = new Set<string>();
    let allOk = true;
    for (const urn of urns) {
      if (opts.signal?.aborted) { run.aborted = true; break; }
      const ok = await readAuthority(run, { urn, foundBy: 'sweep', announceSince: opts.announceSince ?? null, signal: opts.signal });
      if (run.aborted) break;
      if (ok) swept.add(urn);
      else allOk = false;
      await run.renewLease();
    }
    if (allOk && !run.aborted) await completeBaselineIfDone(run, swept);
    if (opts.announceSince && !run.aborted) {
      run.result.announced.push(...(await backfillAnnouncements(deps.db, opts.announceSince, deps.now(), (urn) => deps.authorities.lookup(urn)?.gss ?? null)));
    }
  });
}
