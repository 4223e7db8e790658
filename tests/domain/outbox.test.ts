import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelKey } from '../../src/chat/types.ts';
import { deliveryHealth, renderDeliveryHealth } from '../../src/delivery/delivery-health.ts';
import { retryDeliveries } from '../../src/delivery/retry-failed.ts';
import { backoffDelay } from '../../src/delivery/backoff.ts';
import { nextAfterRateLimit, nextAfterSend, waitMs } from '../../src/delivery/pacing.ts';
import { endSubscriptions } from '../../src/subscriptions/end-subscriptions.ts';
import { listSubscriptions } from '../../src/subscriptions/list-subscriptions.ts';
import { createOutboxWorker, realSleep } from '../../src/delivery/outbox-worker.ts';
import { fanOut } from '../../src/delivery/fan-out.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { channel, openTestStore, type TestStore } from './helpers/store.ts';
import { FakeSender, World } from './helpers/fake-sender.ts';
import { VirtualClock } from './helpers/virtual-clock.ts';
import { channelIds, makeWorker, publish, subscribeChannels } from './helpers/outbox.ts';
import { testDatabases } from '../helpers/test-database.ts';

describe.each(testDatabases())('$name', (database) => {
  let s: TestStore;
  let clock: VirtualClock;
  let world: World;

  beforeEach(async () => {
    s = await openTestStore(database);
    clock = new VirtualClock(undefined, s.busy);
    world = new World();
  });
  afterEach(async () => s.close());

  const deliveries = () => s.db.selectFrom('deliveries').selectAll().orderBy('id').execute();

  function sendTimesByChannel(): Map<string, number[]> {
    const m = new Map<string, number[]>();
    for (const p of world.posted) m.set(p.channel, [...(m.get(p.channel) ?? []), p.at]);
    return m;
  }

  describe('pacing and parallelism', () => {
    it('one message a second per channel, the next exactly when allowed, channels in parallel', async () => {
      const ids = channelIds(50);
      await subscribeChannels(s, ids, clock.now());
      await publish(s, clock.now());
      await publish(s, clock.now()); // 2 alerts × 2 parts = 4 messages per channel
      const start = clock.ms;
      const stats = await makeWorker(s, clock, new FakeSender(world, clock)).runOnce();
      expect(stats).toMatchObject({ channels: 50, delivered: 100, parts: 200, failed: 0 });
      const times = sendTimesByChannel();
      expect(times.size).toBe(50);
      for (const [, t] of times) expect(t.map((x) => x - start)).toEqual([0, 1000, 2000, 3000]);
      expect(clock.ms - start).toBe(3000); // parallel: not 50 × 3 s
      // every part after the first is a thread reply to the first part of its alert
      for (const p of world.posted.filter((x) => x.dedupeKey.endsWith('#1'))) {
        const first = world.posted.find((x) => x.dedupeKey === p.dedupeKey.replace(/#1$/, '#0'));
        expect(p.threadRef).toBe(first!.ref);
      }
      const d = await deliveries();
      expect(d.every((x) => x.status === 'sent' && x.parts_sent === 2 && x.parts_total === 2 && x.thread_ref && x.sent_at && !x.claimed_by)).toBe(true);
      const chans = await s.db.selectFrom('channels').selectAll().execute();
      expect(chans.every((c) => c.last_delivered_at && c.claimed_by === null)).toBe(true);
    });

    it("a channel's last delivery time is written when it is let go, and once a minute while a long run lasts", async () => {
      const [id] = channelIds(1);
      await subscribeChannels(s, [id!], clock.now());
      for (let i = 0; i < 35; i++) await publish(s, clock.now()); // 70 parts, one a second: 69 s of sending
      const start = clock.ms;
      const seen: (string | null)[] = [];
      const fake = new FakeSender(world, clock);
      const sender = Object.assign(Object.create(fake) as FakeSender, {
        // what the store says at each send (the marks of earlier deliveries are written by then)
        sendPart: async (...args: Parameters<FakeSender['sendPart']>) => {
          const row = await s.db.selectFrom('channels').select('last_delivered_at').executeTakeFirstOrThrow();
          seen.push(row.last_delivered_at);
          return fake.sendPart(...args);
        },
      });
      const stats = await makeWorker(s, clock, sender).runOnce();
      expect(stats.delivered).toBe(35);
      const at = (ms: number) => new Date(start + ms).toISOString();
      // nothing written with the first deliveries; a minute in (part 61 went at 60 s), the delivery then
      expect(seen.slice(0, 62).every((x) => x === null)).toBe(true);
      expect(seen[62]).toBe(at(61_000));
      // at the end, the last delivery's time (its last part went at 69 s)
      const end = await s.db.selectFrom('channels').select('last_delivered_at').executeTakeFirstOrThrow();
      expect(end.last_delivered_at).toBe(at(69_000));
    });

    it('concurrency caps the channels served at once', async () => {
      await subscribeChannels(s, channelIds(30), clock.now());
      await publish(s, clock.now());
      const start = clock.ms;
      const stats = await makeWorker(s, clock, new FakeSender(world, clock), { concurrency: 10 }).runOnce();
      expect(stats.delivered).toBe(30);
      const atStart = new Set(world.posted.filter((p) => p.at === start).map((p) => p.channel));
      expect(atStart.size).toBe(10);
      for (const [, t] of sendTimesByChannel()) expect(t[1]! - t[0]!).toBe(1000);
    });

    it('the pace of a channel carries over to the next pass', async () => {
      await subscribeChannels(s, ['C1'], clock.now());
      await publish(s, clock.now());
      const worker = makeWorker(s, clock, new FakeSender(world, clock));
      await worker.runOnce();
      const last = world.posted.at(-1)!.at;
      clock.advance(200);
      await publish(s, clock.now());
      await worker.runOnce();
      expect(world.posted).toHaveLength(4);
      expect(world.posted[2]!.at - last).toBe(1000);
    });
  });

  describe('rate limits, transient and permanent errors', () => {
    it('429: the channel is rescheduled after Retry-After, not counted as an attempt; other channels go on', async () => {
      await subscribeChannels(s, ['C1', 'C2'], clock.now());
      await publish(s, clock.now());
      let limited = false;
      const sender = new FakeSender(world, clock, {
        script: (c) => {
          if (c.channel.channel === 'C1' && !limited) {
            limited = true;
            return { ok: false, kind: 'rate-limited', retryAfterMs: 30_000, message: 'ratelimited' };
          }
          return undefined;
        },
      });
      const worker = makeWorker(s, clock, sender);
      const t0 = clock.ms;
      expect(await worker.runOnce()).toMatchObject({ delivered: 1, rateLimited: 1 });
      const c1 = (await deliveries()).find((d) => d.channel === 'C1')!;
      expect(c1).toMatchObject({ status: 'pending', attempts: 0, parts_sent: 0, part_started_at: null, next_attempt_at: new Date(t0 + 30_000).toISOString() });
      expect(c1.last_error).toMatch(/rate-limited/);
      expect(world.to(channel('C1'))).toHaveLength(0);
      expect(world.to(channel('C2'))).toHaveLength(2);
      clock.advance(10_000);
      expect((await worker.runOnce()).parts).toBe(0);
      clock.advance(20_000);
      await worker.runOnce();
      const sent = world.to(channel('C1'));
      expect(sent).toHaveLength(2);
      expect(sent[0]!.at).toBeGreaterThanOrEqual(t0 + 30_000);
    });

    it('transient errors are retried with backoff, then held as failed (visible in health), and retryable', async () => {
      await subscribeChannels(s, ['C1', 'C2'], clock.now());
      await publish(s, clock.now());
      let down = true;
      // one part per message, so no pacing wait lets time pass inside a pass (a retry due then would be served in it)
      const sender = new FakeSender(world, clock, { parts: 1, script: (c) => (c.channel.channel === 'C1' && down ? { ok: false, kind: 'transient', message: 'HTTP 503' } : undefined) });
      // the backoff alone: in-doubt parts are looked up at once here (the settle time has its own test)
      const worker = makeWorker(s, clock, sender, { maxAttempts: 3, inDoubtSettleMs: 0 });
      const t0 = clock.ms;
      expect(await worker.runOnce()).toMatchObject({ retried: 1, delivered: 1 });
      let c1 = (await deliveries()).find((d) => d.channel === 'C1')!;
      // backoff: base 1 s, random 0 → half the step
      expect(c1).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: new Date(t0 + 500).toISOString() });
      expect(c1.part_started_at).not.toBeNull(); // a transient failure may have posted: in doubt
      clock.advance(500);
      expect(await worker.runOnce()).toMatchObject({ retried: 1 });
      clock.advance(1_000);
      expect(await worker.runOnce()).toMatchObject({ failed: 1 });
      c1 = (await deliveries()).find((d) => d.channel === 'C1')!;
      expect(c1).toMatchObject({ status: 'failed', attempts: 3, last_error: 'HTTP 503' });
      expect(sender.findSentCalls).toBe(2); // each retry checked the in-doubt part first
      clock.advance(3_600_000);
      expect((await worker.runOnce()).parts).toBe(0);

      const health = await deliveryHealth(s.db, clock.now());
      expect(health.counts).toMatchObject({ failed: 1, sent: 1, pending: 0 });
      expect(health.failed).toEqual([expect.objectContaining({ id: c1.id, attempts: 3, lastError: 'HTTP 503', channel: channel('C1') })]);
      expect(health.healthy).toBe(false);
      expect(renderDeliveryHealth(health).join('\n')).toMatch(/held as failed.*\n.*#\d+ alert to slack:T1:C1 after 3 attempt\(s\): HTTP 503/);

      down = false;
      expect(await retryDeliveries(s.db, 'all', clock.now())).toEqual({ ok: true, retried: [c1.id] });
      expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
      expect(world.to(channel('C1'))).toHaveLength(1);
      expect((await deliveryHealth(s.db, clock.now())).healthy).toBe(true);
      expect(await retryDeliveries(s.db, c1.id, clock.now())).toEqual({ ok: false, message: `delivery ${c1.id} is sent: only failed or undeliverable deliveries can be retried` });
      expect(await retryDeliveries(s.db, 99_999, clock.now())).toEqual({ ok: false, message: 'there is no delivery 99999' });
    });

    it('an in-doubt part is looked up only once the platform has had time to show it (a message that landed late is not sent twice)', async () => {
      await subscribeChannels(s, ['C1'], clock.now());
      await publish(s, clock.now());
      // the first post times out, but the platform took it and shows it 20 s later
      const script = (c: { n: number }) => (c.n === 1 ? { do: 'land-late' as const, afterMs: 20_000 } : undefined);
      const run = async (settleMs: number | undefined) => {
        const sender = new FakeSender(world, clock, { parts: 1, script });
        const worker = makeWorker(s, clock, sender, settleMs === undefined ? {} : { inDoubtSettleMs: settleMs });
        for (let i = 0; i < 20; i++) {
          await worker.runOnce();
          clock.advance(5_000);
        }
        return sender;
      };
      const t0 = clock.ms;
      const sender = await run(undefined); // the default: 30 s
      expect(world.to(channel('C1'))).toHaveLength(1);
      expect(sender.findSentCalls).toBe(1);
      const [d] = await deliveries();
      expect(d).toMatchObject({ status: 'sent', attempts: 1, part_started_at: null });
      expect(Date.parse(d!.sent_at!)).toBeGreaterThanOrEqual(t0 + 30_000); // looked up at 30 s, found, not sent again

      // the same with no settle time: the lookup after the 0.5 s backoff misses the message, which goes twice
      await s.db.deleteFrom('deliveries').execute();
      world.posted.length = 0;
      await publish(s, clock.now());
      await run(0);
      expect(world.to(channel('C1'))).toHaveLength(2);
    });

    it('permanent: pauses the channel with the reason, marks the delivery undeliverable, tells another reachable channel', async () => {
      await subscribeChannels(s, ['C1', 'C2'], clock.now());
      await subscribeChannels(s, ['C9'], clock.now(), 'T2');
      await publish(s, clock.now());
      const sender = new FakeSender(world, clock, {
        script: (c) => (c.channel.channel === 'C2' && world.to(channel('C2')).length >= 2 ? { ok: false, kind: 'permanent', code: 'channel_not_found', message: 'the channel was deleted' } : undefined),
      });
      const worker = makeWorker(s, clock, sender);
      await worker.runOnce(); // first alert reaches all: C1 is known to be reachable
      clock.advance(60_000);
      await publish(s, clock.now());
      const stats = await worker.runOnce();
      expect(stats).toMatchObject({ undeliverable: 1 });
      const c2 = (await deliveries()).filter((d) => d.channel === 'C2');
      expect(c2.at(-1)).toMatchObject({ status: 'undeliverable', last_error: 'channel_not_found: the channel was deleted' });
      const subs = await listSubscriptions(s.db, channel('C2'));
      expect(subs.subscriptions.map((x) => [x.status, x.statusReason])).toEqual([['paused', 'channel_not_found: the channel was deleted']]);
      // the notice went to C1 (same workspace), not to T2
      const notice = world.to(channel('C1')).find((p) => (p.part as { kind: string }).kind === 'notice');
      expect(notice).toBeDefined();
      expect((notice!.part as { text: string }).text).toMatch(/could not post in channel C2 \(channel_not_found: the channel was deleted\).*subscription \(Wakefield\) is paused.*unarchive the channel.*type `\/ofsted resume` in that channel/);
      expect((notice!.part as { about: unknown }).about).toEqual(channel('C2'));
      expect(world.to(channel('C9', 'T2')).every((p) => (p.part as { kind: string }).kind !== 'notice')).toBe(true);
      // nothing more is queued for the paused channel
      await publish(s, clock.now());
      expect((await deliveries()).filter((d) => d.channel === 'C2')).toHaveLength(2);
      const health = await deliveryHealth(s.db, clock.now());
      expect(health.pausedChannels).toEqual([{ channel: channel('C2'), subscriptions: 1, reason: 'channel_not_found: the channel was deleted' }]);
      expect(health.undeliverable[0]).toMatchObject({ channel: channel('C2'), lastError: 'channel_not_found: the channel was deleted' });
    });

    it('permanent with no other reachable channel: paused and visible, no notice (a message that repeats the code is not doubled)', async () => {
      await subscribeChannels(s, ['C1'], clock.now());
      await publish(s, clock.now());
      const sender = new FakeSender(world, clock, { script: () => ({ ok: false, kind: 'permanent', code: 'is_archived', message: 'is_archived: the channel is archived' }) });
      await makeWorker(s, clock, sender).runOnce();
      expect((await deliveries()).map((d) => [d.kind, d.status])).toEqual([['alert', 'undeliverable']]);
      expect((await listSubscriptions(s.db, channel('C1'))).subscriptions[0]).toMatchObject({ status: 'paused', statusReason: 'is_archived: the channel is archived' });
    });

    it('an alert whose subscription ended before it was sent is cancelled, not sent', async () => {
      await subscribeChannels(s, ['C1', 'C2'], clock.now());
      await publish(s, clock.now());
      await endSubscriptions(s.db, { channel: channel('C1'), targets: 'all', reason: 'unsubscribed by U1', now: clock.now() });
      expect(await makeWorker(s, clock, new FakeSender(world, clock)).runOnce()).toMatchObject({ cancelled: 1, delivered: 1 });
      expect(world.to(channel('C1'))).toEqual([]);
      expect((await deliveries()).find((d) => d.channel === 'C1')).toMatchObject({ status: 'cancelled' });
    });

    it('a pass ends even when a due delivery is still held by another live worker', async () => {
      await subscribeChannels(s, ['C1'], clock.now());
      await publish(s, clock.now());
      await s.db.updateTable('deliveries').set({ status: 'sending', claimed_by: 'other', claimed_until: new Date(clock.ms + 30_000).toISOString() }).execute();
      const stats = await makeWorker(s, clock, new FakeSender(world, clock)).runOnce();
      expect(stats).toMatchObject({ channels: 1, parts: 0 });
      expect(world.posted).toEqual([]);
      clock.advance(30_001); // the other worker's claim ran out: taken over
      expect(await makeWorker(s, clock, new FakeSender(world, clock)).runOnce()).toMatchObject({ delivered: 1 });
    });

    it('a sender that cannot render a message: retried, then failed, never thrown', async () => {
      await subscribeChannels(s, ['C1'], clock.now());
      await publish(s, clock.now());
      const sender = new FakeSender(world, clock);
      sender.prepare = () => {
        throw new Error('msg_blocks_too_long');
      };
      const worker = makeWorker(s, clock, sender, { maxAttempts: 1 });
      expect(await worker.runOnce()).toMatchObject({ failed: 1 });
      expect((await deliveries())[0]).toMatchObject({ status: 'failed', last_error: 'could not render the message: msg_blocks_too_long' });
    });
  });

  describe('stop and start', () => {
    it('stop() finishes the part in flight and releases the rest; a new worker completes exactly once', async () => {
      const ids = channelIds(40);
      await subscribeChannels(s, ids, clock.now());
      await publish(s, clock.now());
      let worker1: ReturnType<typeof makeWorker> | undefined;
      let stopped: Promise<void> | undefined;
      const sender = new FakeSender(world, clock, {
        script: (c) => {
          if (c.n === 20) stopped = worker1!.stop();
          return undefined;
        },
      });
      worker1 = makeWorker(s, clock, sender, { holder: 'w1' });
      await worker1.runOnce();
      await stopped;
      const d = await deliveries();
      expect(d.filter((x) => x.status === 'sending')).toEqual([]);
      expect(d.filter((x) => x.claimed_by !== null)).toEqual([]);
      expect(await s.db.selectFrom('channels').select('claimed_by').where('claimed_by', 'is not', null).execute()).toEqual([]);
      expect(d.filter((x) => x.status === 'sent')).toEqual([]);
      const halfDone = d.filter((x) => x.parts_sent === 1);
      expect(halfDone.length).toBeGreaterThanOrEqual(20);
      // the second part was marked as started with the first one's mark, but never sent: not in doubt
      expect(halfDone.every((x) => x.status === 'pending' && x.thread_ref && x.part_started_at === null)).toBe(true);
      const sender2 = new FakeSender(world, clock);
      await makeWorker(s, clock, sender2, { holder: 'w2' }).runOnce();
      expect(sender2.findSentCalls).toBe(0);
      for (const id of ids) {
        const got = world.to(channel(id));
        expect(got.map((p) => p.dedupeKey.slice(-2))).toEqual(['#0', '#1']);
        expect(got[1]!.threadRef).toBe(got[0]!.ref);
      }
      expect((await deliveries()).every((x) => x.status === 'sent')).toBe(true);
    });

    it('start() delivers what fan-out queues (notify), and stop() ends the loop (real time)', async () => {
      const realNow = () => new Date();
      await subscribeChannels(s, ['C1', 'C2'], realNow());
      const sender = new FakeSender(world, { now: realNow }, { intervalMs: 5 });
      const worker = createOutboxWorker({
        db: s.db, senders: new Map([['slack', sender]]), now: realNow, logger: silentLogger, holder: 'live', idleMs: 2_000, sleep: realSleep,
      });
      worker.start();
      expect(worker.running).toBe(true);
      await publish(s, realNow());
      worker.notify();
      const deadline = Date.now() + 5_000;
      while (world.posted.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await worker.stop({ graceMs: 1_000 });
      expect(worker.running).toBe(false);
      expect(world.posted).toHaveLength(4);
      void fanOut;
    });
  });
});

describe('pure pieces', () => {
  it('pacing', () => {
    expect(waitMs(0, 5_000)).toBe(0);
    const next = nextAfterSend(0, 10_000, 1_000);
    expect(next).toBe(11_000);
    expect(waitMs(next, 10_400)).toBe(600);
    expect(nextAfterRateLimit(next, 10_500, 30_000)).toBe(40_500);
    expect(nextAfterRateLimit(50_000, 10_500, 30_000)).toBe(50_000);
  });
  it('backoff grows exponentially with jitter, capped', () => {
    const p = { baseMs: 1_000, maxMs: 10_000 };
    expect(backoffDelay(1, { ...p, random: () => 0 })).toBe(500);
    expect(backoffDelay(1, { ...p, random: () => 0.999999 })).toBe(1_000);
    expect(backoffDelay(3, { ...p, random: () => 0 })).toBe(2_000);
    expect(backoffDelay(30, { ...p, random: () => 0.5 })).toBe(7_500);
    expect(channelKey(channel('C1'))).toBe('slack:T1:C1');
  });
});
