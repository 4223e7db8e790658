// What the long-running process needs to share work with other instances of itself, behind one interface:
//  - exclusive(name, fn): run fn only if no other holder (this instance or another) is inside the same
//    named section; otherwise skip at once. The watcher, the letters consumer, the fan-out and the
//    digest check each run inside one, so with N instances each still runs on one at a time.
//  - schedule(jobs): the poll and the sweep on their cron schedules, once per slot across the cluster.
// Two implementations: in-process (SQLite, one machine: a Set of running sections and node-cron) and
// Postgres (session advisory locks, which the server releases when a holder's connection dies, so a
// killed instance never blocks the others; pg-boss 10 for cluster-wide cron). See docs/deploy.md.
import type { Logger } from '../log/logger.ts';

export interface ClusterJob {
  name: string;
  cron: string;
  run: (signal: AbortSignal) => Promise<unknown>;
}

export type Exclusive<T> = { ran: true; value: T } | { ran: false };

export interface Coordinator {
  readonly mode: 'in-process' | 'postgres';
  /**
   * Runs fn while holding the named section; returns { ran: false } at once if anyone else holds it.
   * `lost` aborts if the section is lost while fn runs (Postgres: the lock's connection died).
   */
  exclusive<T>(name: string, fn: (lost: AbortSignal) => Promise<T>): Promise<Exclusive<T>>;
  /** Starts the cron schedule of the jobs; each job body runs inside exclusive(job.name). */
  schedule(jobs: ClusterJob[], opts: { timezone: string }): Promise<void>;
  /** Runs a scheduled job now on this instance (inside its exclusive section); resolves when it ends. */
  runNow(name: string): Promise<void>;
  /** Stops scheduling, aborts job bodies (they wind down), waits for them, and lets go of every lock. */
  stop(): Promise<void>;
}

export interface CoordinatorDeps {
  logger: Logger;
}

/** Runs `fn` with the job's abort signal, logging a failure instead of throwing into a timer. */
export async function runJob(job: ClusterJob, signal: AbortSignal, logger: Logger): Promise<void> {
  try {
    await job.run(signal);
  } catch (error) {
    logger.error({ err: error, job: job.name }, `${job.name} failed`);
  }
}
