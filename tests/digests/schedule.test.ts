// The digest schedule on a fake clock: runs as the process would (every few minutes), across daylight
// saving changes, an empty week, an interrupted run, and downtime over a digest's time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDigestSchedule } from '../../src/digests/digest-scheduler.ts';
import { digestDb } from '../../src/digests/digest-store.ts';
import { channelWindow, planSlots, type PlannedSlot } from '../../src/digests/recover-missed.ts';
import { at, authority, BARNET, digestChannel, ids, LEEDS, openDigestStore, publish, queuedDigests, slack, WAKEFIELD, type TestStore } from './helpers.ts';
import { testDatabases } from '../helpers/test-database.ts';

describe.each(testDatabases())('$name', (database) => {
  let s: TestStore;
  beforeEach(async () => {
    s = await openDigestStore(database);
  });
  afterEach(async () => {
    await s.close();
  });

  /** Runs the schedule every `stepMin` minutes from `from` (inclusive) to `to` (exclusive). */
  async function tick(from: string, to: string, stepMin: number): Promise<number> {
    let runs = 0;
    for (let t = Date.parse(from); t < Date.parse(to); t += stepMin * 60_000) {
      await runDigestSchedule(s.deps, new Date(t));
      runs++;
    }
    return runs;
  }

  async function windows(channelId: string) {
    return digestDb(s.db).selectFrom('digest_windows').selectAll().where('channel', '=', channelId).orderBy('window_end').execute();
  }

  describe('across daylight saving changes', () => {
    it('weekly (Monday 08:00): one digest a week, the March week 167 hours, nothing skipped or doubled', async () => {
      const ch = slack('CWEEK');
      await digestChannel(s.db, ch, { mode: 'weekly', day: 'monday', time: '08:00' }, [authority(WAKEFIELD)]);
      const p1 = await publish(s.db, WAKEFIELD, at('2026-03-23T07:59:00Z')); // 07:59 GMT: the week ending 23 March
      const p2 = await publish(s.db, WAKEFIELD, at('2026-03-23T08:00:00Z')); // 08:00 GMT: the next week
      const p3 = await publish(s.db, WAKEFIELD, at('2026-03-30T06:59:00Z')); // 07:59 BST: still that week
      const p4 = await publish(s.db, WAKEFIELD, at('2026-03-30T07:00:00Z')); // 08:00 BST: the week after

      await tick('2026-03-21T00:00:00Z', '2026-04-07T00:00:00Z', 15);

      const sent = await queuedDigests(s.db, ch);
      expect(sent.map((d) => [d.digest.window.start, d.digest.window.end, ids(d.digest)])).toEqual([
        ['2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z', [p1.id]],
        ['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z', [p2.id, p3.id]],
        ['2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z', [p4.id]],
      ]);
      // made at the boundary itself (the first run at or after it)
      expect(sent.map((d) => d.row.created_at)).toEqual(['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z']);
      expect(sent.every((d) => d.digest.late === null)).toBe(true);
      expect(sent[1]!.digest.windowLabel).toBe('08:00 Monday 23 March to 08:00 Monday 30 March 2026');
      expect(new Set(sent.map((d) => d.row.dedupe_key)).size).toBe(3);
      expect(sent[0]!.row.dedupe_key).toBe('digest:slack:T1:CWEEK:2026-03-23T08:00:00.000Z');
    });

    it('weekly in October: the 169-hour week', async () => {
      const ch = slack('COCT');
      await digestChannel(s.db, ch, { mode: 'weekly', day: 'monday', time: '08:00' }, [authority(WAKEFIELD)]);
      const p = await publish(s.db, WAKEFIELD, at('2026-10-26T07:30:00Z')); // 07:30 GMT Monday: before 08:00 GMT
      await tick('2026-10-19T06:00:00Z', '2026-10-26T09:00:00Z', 30);
      const sent = await queuedDigests(s.db, ch);
      expect(sent.map((d) => [d.digest.window.start, d.digest.window.end, ids(d.digest)])).toEqual([['2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z', [p.id]]]);
    });

    it('daily (08:00) across the last Sunday of October: one digest a day, the 25-hour day included', async () => {
      const ch = slack('CDAY');
      await digestChannel(s.db, ch, { mode: 'daily', time: '08:00' }, [authority(LEEDS)]);
      const a = await publish(s.db, LEEDS, at('2026-10-24T06:59:00Z')); // 07:59 BST Saturday
      const b = await publish(s.db, LEEDS, at('2026-10-24T07:00:00Z')); // 08:00 BST Saturday
      const c = await publish(s.db, LEEDS, at('2026-10-25T07:30:00Z')); // 07:30 GMT Sunday
      const d = await publish(s.db, LEEDS, at('2026-10-25T08:00:00Z')); // 08:00 GMT Sunday
      const e = await publish(s.db, LEEDS, at('2026-10-26T12:00:00Z'));

      await tick('2026-10-23T00:00:00Z', '2026-10-27T12:00:00Z', 10);

      const sent = await queuedDigests(s.db, ch);
      expect(sent.map((x) => [x.digest.window.start, x.digest.window.end, ids(x.digest)])).toEqual([
        ['2026-10-23T07:00:00.000Z', '2026-10-24T07:00:00.000Z', [a.id]],
        ['2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', [b.id, c.id]],
        ['2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z', [d.id]],
        ['2026-10-26T08:00:00.000Z', '2026-10-27T08:00:00.000Z', [e.id]],
      ]);
      // every day's window recorded once, contiguous (the first one empty: nothing published)
      const rows = await windows('CDAY');
      expect(rows.map((r) => r.window_end)).toEqual([
        '2026-10-23T07:00:00.000Z', '2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z', '2026-10-27T08:00:00.000Z',
      ]);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.window_start).toBe(rows[i - 1]!.window_end);
      expect(rows[0]!.outcome).toBe('empty');
    });

    it('daily across the last Sunday of March', async () => {
      const ch = slack('CMAR');
      await digestChannel(s.db, ch, { mode: 'daily', time: '08:00' }, [authority(LEEDS)]);
      const a = await publish(s.db, LEEDS, at('2026-03-29T06:30:00Z')); // 07:30 BST Sunday
      const b = await publish(s.db, LEEDS, at('2026-03-29T07:30:00Z')); // 08:30 BST Sunday
      await tick('2026-03-28T06:00:00Z', '2026-03-30T09:00:00Z', 10);
      const sent = await queuedDigests(s.db, ch);
      expect(sent.map((x) => [x.digest.window.start, x.digest.window.end, ids(x.digest)])).toEqual([
        ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', [a.id]],
        ['2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z', [b.id]],
      ]);
    });
  });

  describe('per channel, not per subscription', () => {
    it('a channel following ten councils gets one digest', async () => {
      const ch = slack('CTEN');
      const ten = s.directory.all().slice(0, 10);
      await digestChannel(s.db, ch, { mode: 'weekly', day: 'monday', time: '08:00' }, ten.map((a) => authority(a)));
      for (const a of ten) await publish(s.db, a, at('2026-03-04T10:00:00Z'));
      await runDigestSchedule(s.deps, at('2026-03-09T08:00:00Z'));
      const sent = await queuedDigests(s.db, ch);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.digest.totals).toMatchObject({ publications: 10, councils: 10 });
      expect(JSON.parse(sent[0]!.row.subscription_ids)).toHaveLength(10);
    });
  });

  describe('an empty window', () => {
    it('sends nothing, and records the window so the next one starts after it', async () => {
      const ch = slack('CEMPTY');
      await digestChannel(s.db, ch, { mode: 'weekly', day: 'monday', time: '08:00' }, [authority(BARNET)]);
      await publish(s.db, WAKEFIELD, at('2026-03-04T10:00:00Z')); // not one of its councils
      const r = await runDigestSchedule(s.deps, at('2026-03-09T08:00:00Z'));
      expect(r).toMatchObject({ queued: 0, empty: 1 });
      expect(await queuedDigests(s.db)).toEqual([]);
      expect((await windows('CEMPTY')).map((w) => [w.window_start, w.window_end, w.outcome])).toEqual([['2026-03-02T08:00:00.000Z', '2026-03-09T08:00:00.000Z', 'empty']]);
      // a channel on digests with no subscription at all: also nothing
      await digestChannel(s.db, slack('CNONE'), { mode: 'weekly', day: 'monday', time: '08:00' }, []);
      await runDigestSchedule(s.deps, at('2026-03-16T08:00:00Z'));
      expect(await queuedDigests(s.db)).toEqual([]);
    });
  });

  describe('an interrupted run', () => {
    async function seedTwelve() {
      const chans = Array.from({ length: 12 }, (_, i) => slack(`C${String(i).padStart(2, '0')}`));
      for (const [i, ch] of chans.entries()) {
        await digestChannel(s.db, ch, { mode: 'weekly', day: 'monday', time: '08:00' }, [authority(i % 2 ? WAKEFIELD : LEEDS)]);
      }
      const w = await publish(s.db, WAKEFIELD, at('2026-03-03T10:00:00Z'));
      const l = await publish(s.db, LEEDS, at('2026-03-05T10:00:00Z'));
      return { chans, w, l };
    }

    it('a crash after some batches: the next run does exactly the rest', async () => {
      const { chans, w, l } = await seedTwelve();
      const now = at('2026-03-09T08:00:30Z');
      await expect(
        runDigestSchedule(s.deps, now, {
          batchSize: 5,
          afterBatch: ({ batch }) => {
            if (batch === 1) throw new Error('the process died');
          },
        }),
      ).rejects.toThrow('the process died');
      expect(await queuedDigests(s.db)).toHaveLength(5);

      const resumed = await runDigestSchedule(s.deps, at('2026-03-09T08:01:30Z'));
      expect(resumed.slots[0]).toMatchObject({ channels: 12, alreadyDone: 5, queued: 7 });
      const all = await queuedDigests(s.db);
      expect(all).toHaveLength(12);
      expect(new Set(all.map((d) => d.channel)).size).toBe(12);
      for (const d of all) {
        const i = chans.findIndex((c) => `slack:T1:${c.channel}` === d.channel);
        expect(ids(d.digest)).toEqual([i % 2 ? w.id : l.id]);
        expect(d.digest.window).toEqual({ start: '2026-03-02T08:00:00.000Z', end: '2026-03-09T08:00:00.000Z' });
      }
      // every window recorded as queued has its delivery: no half-written batch
      const rows = await digestDb(s.db).selectFrom('digest_windows').selectAll().execute();
      expect(rows).toHaveLength(12);
      expect(rows.every((r) => r.outcome === 'queued' && all.some((d) => d.row.dedupe_key === r.dedupe_key))).toBe(true);
      // and a third run does nothing
      expect(await runDigestSchedule(s.deps, at('2026-03-09T08:02:30Z'))).toMatchObject({ queued: 0, slots: [] });
    });

    it('stopped by the signal between batches: what was committed stays, the rest follows', async () => {
      await seedTwelve();
      const stop = new AbortController();
      const first = await runDigestSchedule(s.deps, at('2026-03-09T08:00:00Z'), { batchSize: 4, signal: stop.signal, afterBatch: ({ batch }) => void (batch === 2 && stop.abort()) });
      expect(first).toMatchObject({ interrupted: true, queued: 8 });
      const second = await runDigestSchedule(s.deps, at('2026-03-09T08:01:00Z'), { batchSize: 4 });
      expect(second).toMatchObject({ interrupted: false, queued: 4 });
      expect(second.slots[0]!.alreadyDone).toBe(8);
      expect(await queuedDigests(s.db)).toHaveLength(12);
    });

    it('two runs at once: one holds the lease, the other does nothing', async () => {
      await seedTwelve();
      // the second starts while the first is in the middle of its work (on Postgres two calls started
      // together really run in parallel, and the first may even finish before the second begins)
      let b: Awaited<ReturnType<typeof runDigestSchedule>> | undefined;
      const a = await runDigestSchedule(s.deps, at('2026-03-09T08:00:00Z'), {
        afterBatch: async () => {
          b ??= await runDigestSchedule({ ...s.deps, holder: 'another-process' }, at('2026-03-09T08:00:00Z'));
        },
      });
      expect([a.busy, b?.busy]).toEqual([false, true]);
      expect(b).toMatchObject({ queued: 0, slots: [] });
      expect(await queuedDigests(s.db)).toHaveLength(12);
    });
  });

  describe('missed while the process was down', () => {
    it('a missed week is sent late, once, saying so; the next week is on time and does not repeat it', async () => {
      const ch = slack('CMISS');
      await digestChannel(s.db, ch, { mode: 'weekly', day: 'monday', time: '08:00' }, [authority(WAKEFIELD)]);
      const a = await publish(s.db, WAKEFIELD, at('2026-03-04T10:00:00Z'));
      const b = await publish(s.db, WAKEFIELD, at('2026-03-11T10:00:00Z'));
      const c = await publish(s.db, WAKEFIELD, at('2026-03-17T09:00:00Z')); // after the missed boundary

      await runDigestSchedule(s.deps, at('2026-03-09T08:00:00Z'));
      await runDigestSchedule(s.deps, at('2026-03-09T08:05:00Z'));
      // down from 08:05 on 9 March until 10:00 on Tuesday 17 March
      const back = await runDigestSchedule(s.deps, at('2026-03-17T10:00:00Z'));
      expect(back.slots).toMatchObject([{ schedule: 'weekly:monday:08:00', windowEnd: '2026-03-16T08:00:00.000Z', late: true, queued: 1 }]);
      await tick('2026-03-17T10:01:00Z', '2026-03-23T08:30:00Z', 60);

      const sent = await queuedDigests(s.db, ch);
      expect(sent.map((d) => [d.digest.window.start, d.digest.window.end, ids(d.digest), d.digest.late?.missedWindows ?? 0])).toEqual([
        ['2026-03-02T08:00:00.000Z', '2026-03-09T08:00:00.000Z', [a.id], 0],
        ['2026-03-09T08:00:00.000Z', '2026-03-16T08:00:00.000Z', [b.id], 1],
        ['2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z', [c.id], 0],
      ]);
      const late = sent[1]!.digest;
      expect(late.late!.notice).toBe('This digest is late: it was due at 08:00 on Monday 16 March 2026, but ofsted-alerts was not running then.');
      expect(late.text).toMatch(/^Late weekly digest, 9 to 16 March: 1 publication about Wakefield$/);
      expect(sent[1]!.row.created_at).toBe('2026-03-17T10:00:00.000Z');
    });

    it('daily digests missed on three days come as one late digest covering the three', async () => {
      const ch = slack('CDAILYMISS');
      await digestChannel(s.db, ch, { mode: 'daily', time: '08:00' }, [authority(LEEDS)]);
      const p = [
        await publish(s.db, LEEDS, at('2026-05-04T12:00:00Z')),
        await publish(s.db, LEEDS, at('2026-05-05T12:00:00Z')),
        await publish(s.db, LEEDS, at('2026-05-06T12:00:00Z')),
        await publish(s.db, LEEDS, at('2026-05-07T12:00:00Z')),
      ];
      await runDigestSchedule(s.deps, at('2026-05-04T07:00:00Z')); // 08:00 BST Monday: on time
      // down until 09:30 BST on Thursday 7 May: the digests of Tuesday, Wednesday and Thursday were missed
      await runDigestSchedule(s.deps, at('2026-05-07T08:30:00Z'));
      await tick('2026-05-07T08:31:00Z', '2026-05-08T08:00:00Z', 30);
      const sent = await queuedDigests(s.db, ch);
      expect(sent.map((d) => [d.digest.window.start, d.digest.window.end, ids(d.digest), d.digest.late?.missedWindows ?? 0])).toEqual([
        ['2026-05-04T07:00:00.000Z', '2026-05-07T07:00:00.000Z', [p[0]!.id, p[1]!.id, p[2]!.id], 3],
        ['2026-05-07T07:00:00.000Z', '2026-05-08T07:00:00.000Z', [p[3]!.id], 0],
      ]);
      expect(sent[0]!.digest.late!.notice).toContain('due at 08:00 on Tuesday 5 May 2026');
      expect(sent[0]!.digest.late!.notice).toContain('It covers the 3 daily digests that were missed, in one message.');
      const runs = await digestDb(s.db).selectFrom('digest_runs').select(['window_end', 'status']).orderBy('window_end').execute();
      expect(runs.map((r) => r.status)).toEqual(['done', 'superseded', 'superseded', 'done', 'done']);
    });

    it('an interrupted recovery, resumed, still sends one late digest that counts every missed day', async () => {
      const ch = [slack('CR1'), slack('CR2'), slack('CR3')];
      for (const c of ch) await digestChannel(s.db, c, { mode: 'daily', time: '08:00' }, [authority(LEEDS)]);
      await publish(s.db, LEEDS, at('2026-05-05T12:00:00Z'));
      await runDigestSchedule(s.deps, at('2026-05-04T07:00:00Z'));
      const stop = new AbortController();
      const first = await runDigestSchedule(s.deps, at('2026-05-07T08:30:00Z'), { batchSize: 1, signal: stop.signal, afterBatch: () => stop.abort() });
      expect(first).toMatchObject({ interrupted: true, queued: 1 });
      const second = await runDigestSchedule(s.deps, at('2026-05-07T08:31:00Z'), { batchSize: 1 });
      expect(second).toMatchObject({ interrupted: false, queued: 2 });
      const sent = await queuedDigests(s.db);
      expect(sent.map((d) => d.digest.late?.missedWindows)).toEqual([3, 3, 3]);
      expect(new Set(sent.map((d) => d.digest.window.start + d.digest.window.end)).size).toBe(1);
    });

    it('looks back at most seven days: a boundary missed longer ago is not recovered', async () => {
      const ch = slack('CLONG');
      await digestChannel(s.db, ch, { mode: 'weekly', day: 'monday', time: '08:00' }, [authority(WAKEFIELD)]);
      await publish(s.db, WAKEFIELD, at('2026-03-11T10:00:00Z'));
      const recent = await publish(s.db, WAKEFIELD, at('2026-03-18T10:00:00Z'));
      await runDigestSchedule(s.deps, at('2026-03-09T08:00:00Z'));
      // down until Tuesday 24 March 10:00: 16 March is more than seven days back, 23 March is not
      await runDigestSchedule(s.deps, at('2026-03-24T10:00:00Z'));
      const sent = await queuedDigests(s.db, ch);
      expect(sent.map((d) => [d.digest.window.start, d.digest.window.end, ids(d.digest)])).toEqual([['2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z', [recent.id]]]);
      expect(sent[0]!.digest.late).not.toBeNull();
    });

    it('a channel that changed its setting: the window starts where its last digest ended, not late', () => {
      const weekly = { mode: 'weekly' as const, day: 'monday' as const, time: '08:00' };
      const daily = { mode: 'daily' as const, day: null, time: '08:00' };
      const now = Date.parse('2026-03-12T08:00:30Z');
      const [slot] = planSlots([daily], now, Date.parse('2026-03-12T07:59:00Z'), new Set()) as [PlannedSlot];
      // its last weekly digest ended on Monday; it switched to daily on Wednesday
      const w = channelWindow(slot, Date.parse('2026-03-09T08:00:00Z'), now)!;
      expect([new Date(w.start).toISOString(), new Date(w.end).toISOString(), w.late]).toEqual(['2026-03-09T08:00:00.000Z', '2026-03-12T08:00:00.000Z', null]);
      expect(planSlots([weekly], now, Date.parse('2026-03-12T07:59:00Z'), new Set())).toEqual([]);
    });
  });
});
