// `start`: the long-running process. Schedules the poll and the sweep (node-cron, in TZ), reads new
// letters in a worker pool, fans new publications out to subscribed channels through the outbox,
// builds digests on schedule, and runs the configured chat adapters (Slack, Teams; the console adapter
// prints every new publication when no chat adapter is configured). SIGTERM/SIGINT: stop scheduling,
// abort the request in flight, let the current transaction finish, release claimed deliveries,
// close the pool and the store.
import { hostname } from 'node:os';
import type { AppContext } from '../../app/context.ts';
import type { ChatSender, Platform } from '../../chat/types.ts';
import { createScheduler, every } from '../../scheduler/scheduler.ts';
import { runPoll } from '../../watcher/poll.ts';
import { runSweep } from '../../watcher/sweep.ts';
import { closeAbandonedRuns } from '../../store/runs.ts';
import { createLetterPool } from '../../letters/letter-pool.ts';
import { readNewLetters } from '../../pipeline/read-new-letters.ts';
import { letterDeps } from '../../pipeline/letter-deps.ts';
import { fanOut } from '../../delivery/fan-out.ts';
import { createOutboxWorker } from '../../delivery/outbox-worker.ts';
import { startDigestSchedule } from '../../digests/digest-scheduler.ts';
import { announceToConsole } from '../../../adapters/console/console-announcer.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export async function startCommand(ctx: AppContext, opts: { signal?: AbortSignal }, io: Output): Promise<number> {
  const { config, logger } = ctx;
  const stopping = new AbortController();
  const abandoned = await closeAbandonedRuns(ctx.db, ctx.now());
  if (abandoned) logger.warn({ runs: abandoned }, 'runs left unfinished by a previous process were closed as aborted');

  const pool = createLetterPool({ size: config.LETTER_WORKERS });
  const letters = letterDeps(ctx, pool);
  const stops: (() => Promise<void>)[] = [];
  const senders = new Map<Platform, ChatSender>();
  try {
    const slack = await import('../../../adapters/slack/index.ts');
    if (slack.slackConfigured(config)) {
      const adapter = await slack.startSlackAdapter({ config, ctx, logger, letters });
      senders.set('slack', adapter.sender);
      stops.push(() => adapter.stop());
      io.err(`Slack adapter running (${adapter.settings.receiver === 'socket' ? 'Socket Mode' : `HTTP on port ${adapter.port}, /slack/events`}).`);
    }
    const teams = await import('../../../adapters/teams/index.ts');
    if (teams.teamsConfigured(config)) {
      const adapter = await teams.startTeamsAdapter({ config, ctx, logger, letters });
      senders.set('teams', adapter.sender);
      stops.push(() => adapter.stop());
      io.err(`Teams adapter running at ${adapter.messagesUrl}.`);
    }
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await pool.close();
    io.err(`ofsted-alerts: a chat adapter could not start: ${(error as Error).message}`);
    return EXIT.CONFIG;
  }

  const worker = createOutboxWorker({ db: ctx.db, senders, now: ctx.now, logger, holder: `${hostname()}:${process.pid}`, baseUrl: config.OFSTED_BASE_URL });
  if (senders.size) worker.start();
  const fanout = every(5_000, async () => {
    const r = await fanOut({ db: ctx.db, directory: ctx.directory, now: ctx.now, logger });
    if (r.deliveries > 0) worker.notify();
  }, logger, 'fan-out');
  const readLetters = every(30_000, async () => {
    const r = await readNewLetters(letters, { signal: stopping.signal });
    if (r.read > 0) fanout.kick();
  }, logger, 'letters');
  const digests = startDigestSchedule(ctx, { onQueued: () => worker.notify() });
  const consoleOn = config.CONSOLE_ADAPTER && senders.size === 0;
  const announcer = consoleOn ? every(5_000, () => announceToConsole({ db: ctx.db, now: ctx.now, write: (t) => io.out(t) }), logger, 'console') : null;

  const afterRun = async (r: { announced: unknown[]; republished: unknown[] }) => {
    if (r.announced.length || r.republished.length) {
      await ctx.directory.refresh();
      readLetters.kick();
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
  const adapters = [...senders.keys(), ...(consoleOn ? ['console'] : [])];
  logger.info({ base: config.OFSTED_BASE_URL, adapters }, 'ofsted-alerts started');
  io.err(
    `ofsted-alerts is running: polling ${config.OFSTED_BASE_URL} on "${config.POLL_CRON}", sweeping on "${config.SWEEP_CRON}" (${config.TZ}); ` +
      `adapters: ${adapters.join(', ') || 'none (CONSOLE_ADAPTER=false)'}.${consoleOn ? ' New publications print here.' : ''} Ctrl-C stops.`,
  );
  void scheduler.runNow('poll');
  await stopped;

  stopping.abort();
  await scheduler.stop();
  await Promise.all([readLetters.stop(), fanout.stop(), digests.stop(), announcer?.stop()]);
  await worker.stop();
  for (const stop of stops.reverse()) await stop().catch((error: unknown) => logger.error({ err: error }, 'adapter did not stop cleanly'));
  await pool.close();
  logger.info('stopped cleanly');
  return EXIT.OK;
}
