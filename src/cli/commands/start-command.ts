// `start`: the long-running process. Schedules the poll and the sweep (in TZ), reads new letters in a
// worker pool, fans new publications out to subscribed channels through the outbox, builds digests on
// schedule, and runs the configured chat adapters (Slack, Teams; the console adapter prints every new
// publication when no chat adapter is configured). Any number of instances may run on one Postgres
// database: the coordinator (src/cluster) runs the poll, the sweep, the letters consumer, the fan-out and
// the digest check on one instance at a time, and the outbox's claims share the sending. SIGTERM/SIGINT:
// stop scheduling, abort the request in flight, let the current transaction finish, release claimed
// deliveries and locks, close the pool and the store.
import { hostname } from 'node:os';
import type { AppContext } from '../../app/context.ts';
import type { ChatSender, Platform } from '../../chat/types.ts';
import { every } from '../../scheduler/scheduler.ts';
import { createCoordinator } from '../../cluster/create-coordinator.ts';
import { runPoll } from '../../watcher/poll.ts';
import { runSweep } from '../../watcher/sweep.ts';
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
  const coordinator = createCoordinator({ db: ctx.db, databaseUrl: config.DATABASE_URL, logger, cronMonitorSeconds: config.JOB_CRON_CHECK_SECONDS });
  const watcherDeps = () => ({ ...ctx.watcherDeps(), leaseTakeover: coordinator.mode === 'postgres' });

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

  const worker = createOutboxWorker({
    db: ctx.db, senders, now: ctx.now, logger, holder: `${hostname()}:${process.pid}`, baseUrl: config.OFSTED_BASE_URL,
    claimTtlMs: config.OUTBOX_CLAIM_TTL_SECONDS * 1000,
  });
  if (senders.size) worker.start();
  const fanout = every(5_000, () => coordinator.exclusive('fan-out', async () => {
    const r = await fanOut({ db: ctx.db, directory: ctx.directory, now: ctx.now, logger });
    if (r.deliveries > 0) worker.notify();
  }), logger, 'fan-out');
  const readLetters = every(30_000, () => coordinator.exclusive('letters', async (lost) => {
    const r = await readNewLetters(letters, { signal: AbortSignal.any([stopping.signal, lost]) });
    if (r.read > 0) fanout.kick();
  }), logger, 'letters');
  const digests = startDigestSchedule(ctx, { onQueued: () => worker.notify(), section: (fn) => coordinator.exclusive('digests', fn) });
  const consoleOn = config.CONSOLE_ADAPTER && senders.size === 0;
  const announcer = consoleOn
    ? every(5_000, () => coordinator.exclusive('console', () => announceToConsole({ db: ctx.db, now: ctx.now, write: (t) => io.out(t) })), logger, 'console')
    : null;

  const afterRun = async (r: { announced: unknown[]; republished: unknown[] }) => {
    if (r.announced.length || r.republished.length) {
      await ctx.directory.refresh();
      readLetters.kick();
    }
  };
  const jobs = [
    { name: 'poll', cron: config.POLL_CRON, run: (signal: AbortSignal) => runPoll(watcherDeps(), { signal }).then(afterRun) },
    { name: 'sweep', cron: config.SWEEP_CRON, run: (signal: AbortSignal) => runSweep(watcherDeps(), { signal }).then(afterRun) },
  ];

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
  try {
    await coordinator.schedule(jobs, { timezone: config.TZ });
  } catch (error) {
    io.err(`ofsted-alerts: the job schedule could not start: ${(error as Error).message}`);
    stopping.abort();
    await coordinator.stop();
    await Promise.all([readLetters.stop(), fanout.stop(), digests.stop(), announcer?.stop()]);
    await worker.stop();
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await pool.close();
    return EXIT.CONFIG;
  }
  const adapters = [...senders.keys(), ...(consoleOn ? ['console'] : [])];
  logger.info({ base: config.OFSTED_BASE_URL, adapters, coordination: coordinator.mode }, 'ofsted-alerts started');
  io.err(
    `ofsted-alerts is running: polling ${config.OFSTED_BASE_URL} on "${config.POLL_CRON}", sweeping on "${config.SWEEP_CRON}" (${config.TZ}); ` +
      `adapters: ${adapters.join(', ') || 'none (CONSOLE_ADAPTER=false)'}.${consoleOn ? ' New publications print here.' : ''} Ctrl-C stops.`,
  );
  void coordinator.runNow('poll').catch((error: unknown) => logger.error({ err: error }, 'the first poll failed'));
  await stopped;

  stopping.abort();
  await coordinator.stop();
  await Promise.all([readLetters.stop(), fanout.stop(), digests.stop(), announcer?.stop()]);
  await worker.stop();
  for (const stop of stops.reverse()) await stop().catch((error: unknown) => logger.error({ err: error }, 'adapter did not stop cleanly'));
  await pool.close();
  logger.info('stopped cleanly');
  return EXIT.OK;
}
