// The coordinator for several instances on one Postgres database.
// Sections are session-level advisory locks (pg_try_advisory_lock) taken on a connection of a small lock
// pool of the coordinator's own, held for as long as the section runs: if the instance dies (even by SIGKILL) its connection closes and
// the server lets the lock go, so another instance takes over at its next tick; nothing waits for a TTL.
// Lock keys are scoped by the current schema, so deployments (and test schemas) sharing a database never
// block each other. The schedule uses pg-boss 10: a job's cron fires once per slot for the whole cluster
// (pg-boss's cron monitor), the job is fetched by one instance, and its body still runs inside the
// advisory-lock section, so a slow run and the next slot's job never overlap. pg-boss's cron has minute
// resolution; a six-field (seconds) cron, used by tests and demos, ticks on every instance instead and
// relies on the section alone.
import { sql } from 'kysely';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Db } from '../store/db.ts';
import { createScheduler, type Scheduler } from '../scheduler/scheduler.ts';
import { runJob, type ClusterJob, type Coordinator, type CoordinatorDeps, type Exclusive } from './coordinator.ts';

export interface PostgresCoordinatorOptions extends CoordinatorDeps {
  db: Db;
  /** the DATABASE_URL, for pg-boss's own small pool */
  databaseUrl: string;
  /** pg-boss polls for scheduled jobs this often (default 2 s) */
  jobPollSeconds?: number;
  /** pg-boss checks its cron schedules this often (default 30 s, 1..45) */
  cronMonitorSeconds?: number;
  /** how often a held section checks that its lock's connection is alive (default 5 s) */
  heartbeatMs?: number;
  /** connections kept for locks, one per section running at once (default 8) */
  lockConnections?: number;
  /** a job still active after this long is failed by pg-boss (default 2 h; the body is bounded by its own timeouts) */
  jobExpireSeconds?: number;
}

/** pg-boss's tables live in their own schema: `pgboss`, or `<schema>_pgboss` beside a non-public schema. */
export async function pgBossSchemaFor(db: Db): Promise<string> {
  const r = await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db);
  const current = r.rows[0]?.s ?? 'public';
  return current === 'public' ? 'pgboss' : `${current}_pgboss`;
}

export function isMinuteCron(cron: string): boolean {
  return cron.trim().split(/\s+/).length === 5;
}

export function createPostgresCoordinator(opts: PostgresCoordinatorOptions): Coordinator {
  const { db, logger } = opts;
  const stopping = new AbortController();
  const bodies = new Set<Promise<unknown>>();
  let boss: PgBoss | null = null;
  let local: Scheduler | null = null;
  const jobs = new Map<string, ClusterJob>();

  // Locks are held on connections of their own (one per section running), so the store's pool is left
  // whole for the work the sections do: no section can starve its own queries.
  const locks = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.lockConnections ?? 8, application_name: 'ofsted-alerts-locks', idleTimeoutMillis: 30_000 });
  locks.on('error', (error) => logger.warn({ err: error }, 'an idle lock connection failed and was dropped'));
  const lockKey = 'hashtextextended(current_schema() || \':ofsted-alerts:\' || $1, 0)';

  /**
   * Runs fn on a lock connection. `lost` aborts when that connection fails: its 'error' event, or a
   * failed query reported through `lose` (the heartbeat).
   */
  const onLockConnection = async <T>(name: string, fn: (client: pg.PoolClient, lost: AbortSignal, lose: (error: Error) => void) => Promise<T>): Promise<T> => {
    const client = await locks.connect();
    const lost = new AbortController();
    const lose = (error: Error) => {
      if (lost.signal.aborted) return;
      logger.error({ err: error, section: name }, `lost the connection holding the ${name} lock: stopping this ${name}`);
      lost.abort(new Error(`the ${name} lock was lost`));
    };
    client.on('error', lose);
    let broken = false;
    try {
      return await fn(client, lost.signal, lose);
    } finally {
      try {
        // this connection holds no other lock; if this fails the connection is gone, and so is the lock
        await client.query('SELECT pg_advisory_unlock_all()');
      } catch {
        broken = true;
      }
      client.off('error', lose);
      client.release(broken || lost.signal.aborted ? true : undefined);
    }
  };

  const exclusive = async <T>(name: string, fn: (lost: AbortSignal) => Promise<T>): Promise<Exclusive<T>> => {
    if (stopping.signal.aborted) return { ran: false }; // a stopping instance starts no new work
    return onLockConnection(name, async (client, lost, lose) => {
      const got = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${lockKey}) AS ok`, [name]);
      if (!got.rows[0]?.ok) return { ran: false } as const;
      // the lock lives as long as this connection: check it now and then, and tell the body at once if it
      // is gone (the server restarted, or ended the connection), so two holders never work together
      const heartbeat = setInterval(() => client.query('SELECT 1').catch(lose), opts.heartbeatMs ?? 5_000);
      heartbeat.unref();
      try {
        return { ran: true, value: await fn(lost) } as const;
      } finally {
        clearInterval(heartbeat);
      }
    });
  };

  /** Runs fn holding a blocking advisory lock: callers on every instance take turns. */
  const withTurn = async <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    onLockConnection(name, async (client) => {
      await client.query(`SELECT pg_advisory_lock(${lockKey})`, [name]);
      return fn();
    });

  const runLocked = async (job: ClusterJob): Promise<void> => {
    if (stopping.signal.aborted) return;
    const p = exclusive(job.name, (lost) => runJob(job, AbortSignal.any([stopping.signal, lost]), logger)).then((r) => {
      if (!r.ran) logger.info({ job: job.name }, `${job.name} is running on another instance: this slot is skipped here`);
    });
    bodies.add(p);
    try {
      await p;
    } finally {
      bodies.delete(p);
    }
  };

  return {
    mode: 'postgres',
    exclusive,
    async schedule(list, { timezone }) {
      for (const job of list) jobs.set(job.name, job);
      const minute = list.filter((j) => isMinuteCron(j.cron));
      const seconds = list.filter((j) => !isMinuteCron(j.cron));
      if (minute.length) {
        const schema = await pgBossSchemaFor(db);
        boss = new PgBoss({
          connectionString: opts.databaseUrl,
          schema,
          max: 3,
          application_name: 'ofsted-alerts-jobs',
          cronMonitorIntervalSeconds: opts.cronMonitorSeconds ?? 30,
          cronWorkerIntervalSeconds: Math.min(opts.cronMonitorSeconds ?? 5, 5),
        });
        boss.on('error', (error: Error) => logger.error({ err: error }, `pg-boss: ${error.message}`));
        const started = boss;
        // instances starting together would deadlock in pg-boss's own setup (it creates a table per
        // queue): they take turns under a blocking advisory lock
        await withTurn('pg-boss-setup', async () => {
          await started.start();
          for (const job of minute) {
            const expireInSeconds = opts.jobExpireSeconds ?? 7_200;
            await started.createQueue(job.name, { name: job.name, policy: 'standard', retryLimit: 0, expireInSeconds });
            await started.schedule(job.name, job.cron, {}, { tz: timezone, retryLimit: 0, expireInSeconds });
          }
        });
        for (const job of minute) {
          await started.work(job.name, { pollingIntervalSeconds: opts.jobPollSeconds ?? 2 }, async () => runLocked(job));
          logger.info({ job: job.name, cron: job.cron, timezone, schema }, `scheduled ${job.name} cluster-wide (pg-boss)`);
        }
      }
      if (seconds.length) {
        logger.warn({ jobs: seconds.map((j) => j.name) }, 'a cron with seconds ticks on every instance (pg-boss schedules whole minutes); the advisory lock still runs one at a time');
        local = createScheduler(
          seconds.map((job) => ({ ...job, run: () => runLocked(job) })),
          { timezone, logger },
        );
        local.start();
      }
    },
    async runNow(name) {
      const job = jobs.get(name);
      if (!job) throw new Error(`no job named ${name}`);
      await runLocked(job);
    },
    async stop() {
      stopping.abort();
      await local?.stop();
      // graceful: pg-boss stops fetching and waits for the handlers in flight (which see the abort)
      await boss?.stop({ graceful: true, wait: true, timeout: 30_000 }).catch((error: unknown) => logger.warn({ err: error }, 'pg-boss did not stop cleanly'));
      await Promise.allSettled([...bodies]);
      await locks.end().catch(() => undefined);
    },
  };
}
