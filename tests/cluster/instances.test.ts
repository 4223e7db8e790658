// Several real `ofsted-alerts start` processes on one Postgres database (issue 7): one poller at a time,
// and when it is killed another takes over by the next slot; a fan-out of 2,000 deliveries while
// instances are SIGKILLed at random and restarted, every delivery made exactly once; digests sent once
// with three instances running. Runs only where Postgres is available (TEST_DATABASE_URL; CI starts one).
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../src/store/db.ts';
import { startSimulatedOfsted, type SimulatedOfsted } from '../../src/simulator/ofsted-site.ts';
import { loadSharedAuthorities } from '../../src/simulator/authorities.ts';
import { createSubscriptions } from '../../src/subscriptions/create-subscriptions.ts';
import { setDigest } from '../../src/subscriptions/set-digest.ts';
import type { ChannelRef } from '../../src/chat/types.ts';
import { FakeSlack } from '../fakes/fake-slack.ts';
import { seedPublications } from '../slack/seed-morning.ts';
import { publish, WAKEFIELD } from '../digests/helpers.ts';
import { postgresTestDatabase } from '../helpers/test-database.ts';
import { Instances, waitFor } from './instances.ts';

const pg = postgresTestDatabase();
const SIGNING_SECRET = randomBytes(16).toString('hex');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!pg)('several instances on one Postgres', () => {
  let url: string;
  let store: OpenedStore;
  let sim: SimulatedOfsted;
  let instances: Instances | null = null;

  beforeEach(async () => {
    url = await pg!.freshUrl();
    store = await openStore(url);
    sim = await startSimulatedOfsted({ realPdfs: false, authorities: loadSharedAuthorities().slice(0, 6) });
  });
  afterEach(async (test) => {
    if (instances) {
      if (test.task.result?.state === 'fail') console.error(instances.logs());
      await instances.stopAll();
      instances = null;
    }
    await store.close();
    await sim.close();
    await pg!.drop(url);
  });

  const pollRuns = () => store.db.selectFrom('runs').selectAll().where('kind', '=', 'poll').orderBy('id').execute();

  for (const n of [2, 3]) {
    it(`${n} instances: one poll at a time; SIGKILL the poller and another instance takes over by the next slot`, async () => {
      const INTERVAL_S = 3;
      instances = new Instances(() => ({ DATABASE_URL: url, OFSTED_BASE_URL: sim.url, POLL_CRON: `*/${INTERVAL_S} * * * * *`, SWEEP_CRON: '0 3 1 1 *' }));
      await instances.startAll(n);
      await waitFor('the first baseline', async () => store.db.selectFrom('meta').select('value').where('key', '=', 'baseline_completed_at').executeTakeFirst(), 60_000);
      // every request now takes 1.2 s, so a poll (two requests) outlasts the 3 s interval's next tick on the others
      sim.injectFault({ kind: 'slow', ms: 1200, times: 'always' });

      const running = await waitFor('a poll in progress', async () => {
        const run = (await pollRuns()).find((r) => r.status === 'running');
        const lease = await store.db.selectFrom('leases').selectAll().where('name', '=', 'watcher').executeTakeFirst();
        if (!run || !lease) return null;
        const pid = Number(lease.holder.split(':')[1]);
        const instance = instances!.byPid(pid);
        return instance ? { run, instance } : null;
      }, 30_000, 50);
      const killedAt = Date.now();
      await instances.kill(running.instance.index);

      const takeover = await waitFor('a poll by another instance', async () => (await pollRuns()).find((r) => r.id > running.run.id), 30_000, 50);
      const lag = Date.parse(takeover.started_at) - killedAt;
      // the next slot is at most one interval away; one more interval of slack for a loaded machine
      expect(lag, 'the takeover poll started within the next slot').toBeLessThan(2 * INTERVAL_S * 1000);
      await waitFor('the takeover poll to finish', async () => (await pollRuns()).find((r) => r.id === takeover.id && r.status !== 'running'), 30_000);
      // let a few more slots pass with the survivors competing for every tick
      await new Promise((r) => setTimeout(r, 3 * INTERVAL_S * 1000));
      sim.clearFaults();

      const runs = await pollRuns();
      const killed = runs.find((r) => r.id === running.run.id)!;
      expect(killed.status, 'the killed poller’s run is closed as aborted by the next poller').toBe('aborted');
      const finished = runs.filter((r) => r.status !== 'aborted' && r.status !== 'running');
      expect(finished.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < finished.length; i++) {
        expect(finished[i]!.started_at >= finished[i - 1]!.finished_at!, `poll ${finished[i]!.id} started before poll ${finished[i - 1]!.id} finished`).toBe(true);
      }
      expect(runs.filter((r) => r.status === 'skipped'), 'no run found the watcher lease held (the advisory lock decides first)').toEqual([]);
    }, 180_000);
  }

  it('a fan-out of 2,000 deliveries while instances are SIGKILLed at random and restarted: every delivery made exactly once', async () => {
    const CHANNELS = 2000;
    const fake = await FakeSlack.start({ latencyMs: 5, channelIntervalMs: 1000, workspaces: [{ teamId: 'T0CLUSTER' }] });
    try {
      const team = fake.workspace('T0CLUSTER');
      const now = new Date();
      const channels: ChannelRef[] = Array.from({ length: CHANNELS }, (_, i) => ({ platform: 'slack', workspace: team.teamId, channel: `C${String(i).padStart(6, '0')}` }));
      for (const channel of channels) {
        await createSubscriptions(store.db, { channel, createdBy: 'U1', targets: [{ target: { kind: 'all' }, name: 'all councils' }], types: [], themes: [], now });
      }
      const ports = await Promise.all([0, 1, 2].map(() => freePort()));
      instances = new Instances((i) => ({
        DATABASE_URL: url, OFSTED_BASE_URL: sim.url, POLL_CRON: '0 3 1 1 *', SWEEP_CRON: '0 3 1 1 *',
        SLACK_BOT_TOKEN: team.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(ports[i]),
        OUTBOX_CLAIM_TTL_SECONDS: '5',
      }));
      await instances.startAll(3);
      await seedPublications(store.db, 1, now); // a new publication with its letter read: the fan-out starts

      const killsDuring: number[] = [];
      let killing = true;
      const restarts: Promise<unknown>[] = [];
      const killer = (async () => {
        await waitFor('the first message', async () => fake.messages.length > 0, 60_000, 20);
        while (killing) {
          await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
          if (!killing) break;
          const sent = fake.messages.length;
          if (sent >= 2 * CHANNELS) break;
          const live = instances!.list.map((x, i) => (x?.ready ? i : -1)).filter((i) => i >= 0);
          if (live.length < 2) continue; // keep one running; the others come back while it works
          const victim = live[Math.floor(Math.random() * live.length)]!;
          await instances!.kill(victim);
          killsDuring.push(sent);
          restarts.push(instances!.start(victim).catch((error: unknown) => console.error(`restart of instance ${victim} failed: ${(error as Error).message}`)));
        }
      })();
      try {
        await waitFor('every delivery sent', async () => {
          const open = await store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'sent').executeTakeFirstOrThrow();
          const all = await store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          return Number(all.n) === CHANNELS && Number(open.n) === 0;
        }, 240_000, 500);
      } finally {
        killing = false;
        await killer;
        await Promise.allSettled(restarts);
      }

      console.info(`2,000-delivery fan-out: ${killsDuring.length} SIGKILLs, at ${killsDuring.join(', ')} messages sent of ${2 * CHANNELS}`);
      expect(killsDuring.length, 'instances were killed while the fan-out was being sent').toBeGreaterThanOrEqual(3);
      const keys = fake.messages.map((m) => String(m.metadata?.event_payload.dedupe_key ?? ''));
      const counts = new Map<string, number>();
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
      expect([...counts.entries()].filter(([, c]) => c > 1), 'no message was posted twice').toEqual([]);
      for (const c of channels) {
        const got = fake.messagesIn(c.channel, team.teamId).map((m) => String(m.metadata?.event_payload.dedupe_key ?? '').slice(-2));
        expect(got, c.channel).toEqual(['#0', '#1']);
      }
    } finally {
      await instances?.stopAll();
      instances = null;
      await fake.close();
    }
  }, 360_000);

  it('SIGTERM releases what an instance had claimed: the other finishes its channels at once, not when the claims run out', async () => {
    const CHANNELS = 400;
    const fake = await FakeSlack.start({ latencyMs: 20, channelIntervalMs: 1000, workspaces: [{ teamId: 'T0TERM' }] });
    try {
      const team = fake.workspace('T0TERM');
      const now = new Date();
      for (let i = 0; i < CHANNELS; i++) {
        const channel: ChannelRef = { platform: 'slack', workspace: team.teamId, channel: `CT${String(i).padStart(5, '0')}` };
        await createSubscriptions(store.db, { channel, createdBy: 'U1', targets: [{ target: { kind: 'all' }, name: 'all councils' }], types: [], themes: [], now });
      }
      const ports = await Promise.all([0, 1].map(() => freePort()));
      instances = new Instances((i) => ({
        DATABASE_URL: url, OFSTED_BASE_URL: sim.url, POLL_CRON: '0 3 1 1 *', SWEEP_CRON: '0 3 1 1 *',
        SLACK_BOT_TOKEN: team.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(ports[i]),
        OUTBOX_CLAIM_TTL_SECONDS: '600', // a claim left behind would hold its channel for ten minutes
      }));
      await instances.startAll(2);
      await seedPublications(store.db, 1, now);
      await waitFor('sending under way', async () => fake.messages.length >= 100, 60_000, 50);
      // the first instance may look for work only at its next idle check: wait until it holds channels
      const claimedByFirst = await waitFor('channels claimed by the first instance', async () => {
        const rows = await store.db.selectFrom('channels').select('channel').where('claimed_by', 'like', `%:${instances!.list[0]!.pid}`).execute();
        return rows.length > 0 ? rows : null;
      }, 30_000, 50);
      const first = instances.list[0]!;
      first.child.kill('SIGTERM');
      expect(await first.exited, 'the instance stopped cleanly').toBe(0);
      instances.list[0] = null;
      const left = await store.db.selectFrom('channels').select('channel').where('claimed_by', 'like', `%:${first.pid}`).execute();
      expect(left, 'no channel is still claimed by the stopped instance').toEqual([]);
      await waitFor('every delivery sent by the instance left running', async () => {
        const open = await store.db.selectFrom('deliveries').select('id').where('status', '!=', 'sent').limit(1).execute();
        const all = await store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        return Number(all.n) === CHANNELS && open.length === 0;
      }, 120_000, 250);
      expect(claimedByFirst.length, 'the stopped instance had channels claimed when it was told to stop').toBeGreaterThan(0);
      const keys = fake.messages.map((m) => String(m.metadata?.event_payload.dedupe_key ?? ''));
      expect(new Set(keys).size, 'nothing was sent twice').toBe(keys.length);
      expect(keys).toHaveLength(2 * CHANNELS);
    } finally {
      await instances?.stopAll();
      instances = null;
      await fake.close();
    }
  }, 240_000);

  it('digests are sent once with three instances running', async () => {
    const fake = await FakeSlack.start({ latencyMs: 0, channelIntervalMs: 1000, workspaces: [{ teamId: 'T0DIGEST' }] });
    try {
      const team = fake.workspace('T0DIGEST');
      const now = new Date();
      // a daily digest whose time was a minute ago (London), set up two days ago: one digest is due now
      const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(now.getTime() - 60_000));
      const setUp = new Date(now.getTime() - 2 * 86_400_000);
      const channels: ChannelRef[] = Array.from({ length: 40 }, (_, i) => ({ platform: 'slack', workspace: team.teamId, channel: `CD${String(i).padStart(4, '0')}` }));
      for (const channel of channels) {
        await setDigest(store.db, channel, { mode: 'daily', time: london }, setUp);
        await createSubscriptions(store.db, { channel, createdBy: 'U1', targets: [{ target: { kind: 'authority', urn: WAKEFIELD.urn }, name: WAKEFIELD.name }], types: [], themes: [], now: setUp });
      }
      await publish(store.db, WAKEFIELD, new Date(now.getTime() - 3 * 3_600_000));
      // the fan-out consumer has passed the event already (digest channels get no immediate alert anyway)
      const ports = await Promise.all([0, 1, 2].map(() => freePort()));
      instances = new Instances((i) => ({
        DATABASE_URL: url, OFSTED_BASE_URL: sim.url, POLL_CRON: '0 3 1 1 *', SWEEP_CRON: '0 3 1 1 *',
        SLACK_BOT_TOKEN: team.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(ports[i]),
      }));
      await instances.startAll(3);
      await waitFor('a digest in every channel', async () => channels.every((c) => fake.messagesIn(c.channel, team.teamId).length > 0), 120_000, 250);
      // give the others time to (wrongly) send theirs: every instance checks the schedule at start and each minute
      await new Promise((r) => setTimeout(r, 5_000));
      const digests = await store.db.selectFrom('deliveries').selectAll().where('kind', '=', 'digest').execute();
      expect(digests).toHaveLength(channels.length);
      expect(digests.every((d) => d.status === 'sent')).toBe(true);
      for (const c of channels) {
        const tops = fake.messagesIn(c.channel, team.teamId).filter((m) => !m.thread_ts);
        expect(tops, c.channel).toHaveLength(1);
      }
      expect(await store.db.selectFrom('deliveries').selectAll().where('kind', '=', 'alert').execute(), 'digest channels get no immediate alert').toEqual([]);
    } finally {
      await instances?.stopAll();
      instances = null;
      await fake.close();
    }
  }, 240_000);
});
