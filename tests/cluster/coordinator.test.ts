// The coordinators: sections that run on one holder at a time, and schedules that fire once per slot.
// In-process (SQLite) always; Postgres (advisory locks + pg-boss 10) where TEST_DATABASE_URL is set.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import PgBoss from 'pg-boss';
import { sql } from 'kysely';
import { createInProcessCoordinator } from '../../src/cluster/in-process-coordinator.ts';
import { createPostgresCoordinator, pgBossSchemaFor } from '../../src/cluster/postgres-coordinator.ts';
import type { Coordinator } from '../../src/cluster/coordinator.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { openStore, type OpenedStore } from '../../src/store/db.ts';
import { postgresTestDatabase } from '../helpers/test-database.ts';

const pg = postgresTestDatabase();

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('in-process coordinator', () => {
  it('a section held is skipped by a second caller, and free again once the first ends', async () => {
    const c = createInProcessCoordinator({ logger: silentLogger });
    const g = gate();
    const first = c.exclusive('poll', async () => { await g.opened; return 'first'; });
    expect(await c.exclusive('poll', async () => 'second')).toEqual({ ran: false });
    expect(await c.exclusive('sweep', async () => 'other section')).toEqual({ ran: true, value: 'other section' });
    g.open();
    expect(await first).toEqual({ ran: true, value: 'first' });
    expect(await c.exclusive('poll', async () => 'third')).toEqual({ ran: true, value: 'third' });
  });

  it('a section whose body throws is released', async () => {
    const c = createInProcessCoordinator({ logger: silentLogger });
    await expect(c.exclusive('poll', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await c.exclusive('poll', async () => 1)).toEqual({ ran: true, value: 1 });
  });
});

describe.skipIf(!pg)('Postgres coordinator', () => {
  const urls: string[] = [];
  const stores: OpenedStore[] = [];
  const coordinators: Coordinator[] = [];
  const fresh = async () => {
    const url = await pg!.freshUrl();
    urls.push(url);
    return url;
  };
  const open = async (url: string, opts: { cronMonitorSeconds?: number } = {}) => {
    const store = await openStore(url, { poolSize: 4 });
    stores.push(store);
    const c = createPostgresCoordinator({ db: store.db, databaseUrl: url, logger: silentLogger, jobPollSeconds: 0.5, heartbeatMs: 200, ...opts });
    coordinators.push(c);
    return { store, c };
  };
  let url: string;
  beforeEach(async () => {
    url = await fresh();
  });
  afterEach(async () => {
    for (const c of coordinators.splice(0)) await c.stop();
    for (const s of stores.splice(0)) await s.close();
    for (const u of urls.splice(0)) await pg!.drop(u);
  });

  it('two instances (two pools) never hold the same section at once; other sections and other schemas are independent', async () => {
    const a = await open(url);
    const b = await open(url);
    const elsewhere = await open(await fresh());
    const g = gate();
    let lostReason = '';
    const held = a.c.exclusive('poll', async (lost) => {
      lost.addEventListener('abort', () => { lostReason = String((lost.reason as Error).message); g.open(); }); await g.opened; return 'a'; });
    await new Promise((r) => setTimeout(r, 100));
    expect(await b.c.exclusive('poll', async () => 'b')).toEqual({ ran: false });
    expect(await b.c.exclusive('sweep', async () => 'b-sweep')).toEqual({ ran: true, value: 'b-sweep' });
    expect(await elsewhere.c.exclusive('poll', async () => 'other schema')).toEqual({ ran: true, value: 'other schema' });
    g.open();
    expect(await held).toEqual({ ran: true, value: 'a' });
    expect(await b.c.exclusive('poll', async () => 'b again')).toEqual({ ran: true, value: 'b again' });
  });

  it('a holder whose connection dies (its process killed) loses the section at once', async () => {
    const a = await open(url);
    const b = await open(url);
    const g = gate();
    let lostReason = '';
    const held = a.c.exclusive('poll', async (lost) => {
      lost.addEventListener('abort', () => { lostReason = String((lost.reason as Error).message); g.open(); });
      // the server ends this holder's lock connection, as it does when the process holding it dies
      // (only this test's lock: the key is scoped by this test's schema)
      const killed = await sql<{ n: number }>`
        SELECT count(pg_terminate_backend(l.pid))::int AS n FROM pg_locks l
        WHERE l.locktype = 'advisory'
          AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(current_schema() || ':ofsted-alerts:poll', 0)`.execute(b.store.db);
      expect(killed.rows[0]!.n).toBe(1);
      await g.opened;
      return 'a';
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await b.c.exclusive('poll', async () => 'b took over')).toEqual({ ran: true, value: 'b took over' });
    await g.opened; // the first holder is told, by its heartbeat, that its lock is gone
    expect(lostReason).toBe('the poll lock was lost');
    await held.catch(() => undefined);
  });

  it('pg-boss: the schedule is stored cluster-wide, and a job is run by exactly one of three instances', async () => {
    const runs: number[] = [];
    const three = await Promise.all([0, 1, 2].map(() => open(url)));
    await Promise.all(three.map(({ c }, i) =>
      c.schedule([{ name: 'poll', cron: '*/10 * * * *', run: async () => { runs.push(i); await new Promise((r) => setTimeout(r, 300)); } }], { timezone: 'Europe/London' }),
    ));
    const schema = await pgBossSchemaFor(three[0]!.store.db);
    const boss = new PgBoss({ connectionString: url, schema, max: 1, schedule: false, supervise: false });
    await boss.start();
    try {
      const schedules = await boss.getSchedules();
      expect(schedules.map((s) => [s.name, s.cron, (s as { timezone?: string }).timezone])).toEqual([['poll', '*/10 * * * *', 'Europe/London']]);
      await boss.send('poll', {});
      const until = Date.now() + 20_000;
      while (runs.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 2_000));
      expect(runs, 'one instance ran the job').toHaveLength(1);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  }, 60_000);

  it('pg-boss: a whole-minute cron fires once per slot across three instances', async () => {
    const runs: { at: number; by: number }[] = [];
    const three = await Promise.all([0, 1, 2].map(() => open(url, { cronMonitorSeconds: 1 })));
    await Promise.all(three.map(({ c }, i) =>
      c.schedule([{ name: 'poll', cron: '* * * * *', run: async () => { runs.push({ at: Date.now(), by: i }); } }], { timezone: 'Europe/London' }),
    ));
    const until = Date.now() + 90_000;
    while (runs.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(runs.length, 'the first slot fired').toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(runs, 'once for the slot, not once per instance').toHaveLength(1);
  }, 120_000);
});
