// `start`: the long-running process. Schedules the poll and the sweep (node-cron, in TZ), reads new
// letters in a worker pool, and announces through the configured adapters (the console adapter when
// none is). SIGTERM/SIGINT: stop scheduling, abort the request in flight, let the current transaction
// finish, close the pool and the store.
import type { AppContext } from '../../app/context.ts';
import { createScheduler, every } from '../../scheduler/scheduler.ts';
import { runPoll } from '../../watcher/poll.ts';
import { runSweep } from '../../watcher/sweep.ts';
import { closeAbandonedRuns } from '../../store/runs.ts';
import { createLetterPool } from '../../letters/letter-pool.ts';
import { readNewLetters } from '../../pipeline/read-new-letters.ts';
import { letterDeps } from '../../pipeline/letter-deps.ts';
import { announceToConsole } from '../../../adapters/console/console-announcer.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export async function startCommand(ctx: AppContext, opts: { signal?: AbortSignal }, io: Output): Promise<number> {
  const { config, logger } = ctx;
  const stopping = new AbortController();
  const abandoned = await closeAbandonedRuns(ctx.db, ctx.now());
  if (abandoned) logger.warn({ runs: abandoned }, 'runs left unfinished by a previous process were closed as aborted');

  const pool = createLetterPool({ size: config.LETTER_WORKERS });
  const deps = letterDeps(ctx, pool);
  const letters = every(30_000, () => readNewLetters(deps, { signal: stopping.signal }), logger, 'letters');
  const consoleOn = config.CONSOLE_ADAPTER;
  const announcer = consoleOn
    ? every(5_000, () => announceToConsole({ db: ctx.db, now: ctx.now, write: (t) => io.out(t) }), logger, 'console')
    : null;

  const afterRun = async (r: { announced: unknown[]; republished: unknown[] }) => {
    if (r.announced.length || r.republished.length) {
      await ctx.directory.refresh();
      letters.kick();
    }
  };
  const scheduler = createScheduler(
    [
      { name: 'poll', cron: config.POLL_CRON, run: (signal) => runPoll(ctx.watcherDeps(), { signal }).then(afterRun) },
      { name: 'sweep', cron: config.SWEEP_CRON, run: (signal) => runSweep(ctx.watcherDeps(), { signal }).then(afterRun) },
    ],
    { timezone: config.TZ, logger },
  );
  // Listen for signals before saying we are running: a signal in between would otherwise kill the process.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping');
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve();
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (opts.signal?.aborted) return stop('abort');
    opts.signal?.addEventListener('abort', () => stop('abort'), { once: true });
  });
  scheduler.start();
  logger.info({ base: config.OFSTED_BASE_URL, adapters: consoleOn ? ['console'] : [] }, 'ofsted-alerts started');
  io.err(`ofsted-alerts is running: polling ${config.OFSTED_BASE_URL} on "${config.POLL_CRON}", sweeping on "${config.SWEEP_CRON}" (${config.TZ}). New publications print here. Ctrl-C stops.`);
  void scheduler.runNow('poll');
  await stopped;

  stopping.abort();
  await scheduler.stop();
  await letters.stop();
  await announcer?.stop();
  await pool.close();
  logger.info('stopped cleanly');
  return EXIT.OK;
}
