// The coordinator for one process (SQLite, the embedded default): sections are a Set in memory and the
// schedule is node-cron in the configured time zone. Across processes on one SQLite file the watcher's
// lease in the database still keeps two polls apart (src/watcher/watch-run.ts).
import { createScheduler, type Scheduler } from '../scheduler/scheduler.ts';
import { type ClusterJob, type Coordinator, type CoordinatorDeps, type Exclusive } from './coordinator.ts';

export function createInProcessCoordinator(deps: CoordinatorDeps): Coordinator {
  const held = new Set<string>();
  let scheduler: Scheduler | null = null;

  const never = new AbortController().signal; // a section in memory cannot be lost
  const exclusive = async <T>(name: string, fn: (lost: AbortSignal) => Promise<T>): Promise<Exclusive<T>> => {
    if (held.has(name)) return { ran: false };
    held.add(name);
    try {
      return { ran: true, value: await fn(never) };
    } finally {
      held.delete(name);
    }
  };

  return {
    mode: 'in-process',
    exclusive,
    async schedule(jobs: ClusterJob[], opts) {
      scheduler = createScheduler(
        jobs.map((job) => ({ ...job, run: (signal: AbortSignal) => exclusive(job.name, () => job.run(signal)) })),
        { timezone: opts.timezone, logger: deps.logger },
      );
      scheduler.start();
    },
    runNow(name) {
      if (!scheduler) return Promise.reject(new Error('the schedule has not started'));
      return scheduler.runNow(name);
    },
    async stop() {
      await scheduler?.stop();
    },
  };
}
