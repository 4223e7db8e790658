// Runs the poll and the sweep on cron schedules (node-cron, in the configured time zone). A job never
// overlaps itself (node-cron's noOverlap, plus our own flag since a run can outlive a tick), and stop()
// aborts the current run's request and waits for it to wind down, so state is never left half-written.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log/logger.ts';

export interface ScheduledJob {
  name: string;
  cron: string;
  run: (signal: AbortSignal) => Promise<unknown>;
}

export interface Scheduler {
  start(): void;
  /** runs a job now (if it is not already running); resolves when it ends */
  runNow(name: string): Promise<void>;
  stop(): Promise<void>;
  running(): string[];
}

export function createScheduler(jobs: ScheduledJob[], opts: { timezone: string; logger: Logger }): Scheduler {
  const controller = new AbortController();
  const inFlight = new Map<string, Promise<void>>();
  const tasks: ScheduledTask[] = [];

  const fire = (job: ScheduledJob): Promise<void> => {
    const current = inFlight.get(job.name);
    if (current) {
      opts.logger.info({ job: job.name }, `${job.name} is still running: this tick is skipped`);
      return current;
    }
    if (controller.signal.aborted) return Promise.resolve();
    const p = job
      .run(controller.signal)
      .then(() => undefined)
      .catch((error: unknown) => opts.logger.error({ err: error, job: job.name }, `${job.name} failed`))
      .finally(() => inFlight.delete(job.name));
    inFlight.set(job.name, p);
    return p;
  };

  return {
    start() {
      for (const job of jobs) {
        const task = cron.schedule(job.cron, () => fire(job), { timezone: opts.timezone, name: job.name, noOverlap: true });
        tasks.push(task);
        opts.logger.info({ job: job.name, cron: job.cron, timezone: opts.timezone, next: task.getNextRun()?.toISOString() }, `scheduled ${job.name}`);
      }
    },
    runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) return Promise.reject(new Error(`no job named ${name}`));
      return fire(job);
    },
    async stop() {
      for (const t of tasks) await t.destroy();
      controller.abort();
      await Promise.allSettled([...inFlight.values()]);
    },
    running: () => [...inFlight.keys()],
  };
}

/** Calls fn every intervalMs, never overlapping itself; stop() waits for the current call to end. */
export function every(intervalMs: number, fn: () => Promise<unknown>, logger: Logger, name: string): { stop(): Promise<void>; kick(): void } {
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  let stopped = false;
  let again = false;
  const tick = () => {
    timer = null;
    if (stopped) return;
    if (current) { again = true; return; }
    current = fn()
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error, loop: name }, `${name} failed`))
      .finally(() => {
        current = null;
        if (stopped) return;
        if (again) { again = false; tick(); } else timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    kick() {
      if (stopped) return;
      if (timer) { clearTimeout(timer); timer = null; tick(); } else again = true;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (current) await current;
    },
  };
}
