// Store operations whose meaning must not depend on the engine: leases (one holder, expiry, take-over,
// and a race between many would-be holders), counts and sums as numbers, faults raised at once by several
// callers, a letter saved twice at once, transactions that roll back, and NULL ordering made explicit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLease, leaseHolder, releaseLease } from '../../src/store/leases.ts';
import { openFaults, raiseFault, resolveFaults } from '../../src/store/faults.ts';
import { getOffset, latestEventId, setOffset } from '../../src/store/events.ts';
import { saveLetter, searchLetters } from '../../src/store/letters.ts';
import { healthReport } from '../../src/health/health-report.ts';
import { deliveryHealth } from '../../src/delivery/delivery-health.ts';
import { enqueueNotice } from '../../src/delivery/enqueue-notice.ts';
import { rememberChannel } from '../../src/subscriptions/channels.ts';
import { retryDeliveries } from '../../src/delivery/retry-failed.ts';
import { findWorkspaceSubscription } from '../../src/subscriptions/list-subscriptions.ts';
import { addPublication, channel, okLetter, openTestStore, WAKEFIELD, type TestStore } from '../domain/helpers/store.ts';
import { testDatabases } from '../helpers/test-database.ts';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

describe.each(testDatabases())('$name', (database) => {
  let s: TestStore;
  beforeEach(async () => {
    s = await openTestStore(database);
  });
  afterEach(async () => s.close());

  describe('leases', () => {
    it('one holder at a time; renewed by its holder; taken over once expired; released only by its holder', async () => {
      expect(await acquireLease(s.db, 'watcher', 'a', 60_000, at(0))).toBe(true);
      expect(await acquireLease(s.db, 'watcher', 'b', 60_000, at(1_000))).toBe(false);
      expect(await acquireLease(s.db, 'watcher', 'a', 60_000, at(30_000))).toBe(true); // renewed: now until 90 s
      expect(await acquireLease(s.db, 'watcher', 'b', 60_000, at(61_000))).toBe(false);
      expect(await leaseHolder(s.db, 'watcher', at(61_000))).toEqual({ holder: 'a', expiresAt: at(90_000).toISOString() });
      expect(await leaseHolder(s.db, 'watcher', at(90_001))).toBeNull();
      expect(await acquireLease(s.db, 'watcher', 'b', 60_000, at(90_001))).toBe(true); // expired: taken over
      expect(await acquireLease(s.db, 'watcher', 'a', 60_000, at(90_002))).toBe(false);
      await releaseLease(s.db, 'watcher', 'a'); // not a's any more: nothing happens
      expect((await leaseHolder(s.db, 'watcher', at(90_003)))?.holder).toBe('b');
      await releaseLease(s.db, 'watcher', 'b');
      expect(await leaseHolder(s.db, 'watcher', at(90_004))).toBeNull();
      expect(await acquireLease(s.db, 'digests', 'a', 60_000, at(90_005))).toBe(true); // leases are per name
    });

    it('twenty would-be holders at once: exactly one gets it', async () => {
      const got = await Promise.all(Array.from({ length: 20 }, (_, i) => acquireLease(s.db, 'race', `h${i}`, 60_000, at(0))));
      expect(got.filter(Boolean)).toHaveLength(1);
      const winner = `h${got.indexOf(true)}`;
      expect((await leaseHolder(s.db, 'race', at(1)))?.holder).toBe(winner);
      // and again once it has expired
      const again = await Promise.all(Array.from({ length: 20 }, (_, i) => acquireLease(s.db, 'race', `g${i}`, 60_000, at(60_001))));
      expect(again.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('numbers come back as numbers', () => {
    it('count(*), sum(), max(), generated ids and the reports built on them', async () => {
      const p1 = await addPublication(s.db, WAKEFIELD, at(0));
      const p2 = await addPublication(s.db, WAKEFIELD, at(0));
      expect(typeof p1.id).toBe('number');
      const row = await s.db
        .selectFrom('publications')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('id').as('total'), eb.fn.max('id').as('top'), eb.fn.avg('id').as('mean')])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ n: 2, total: p1.id + p2.id, top: p2.id, mean: (p1.id + p2.id) / 2 });
      const lastEvent = await s.db.selectFrom('events').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(await latestEventId(s.db)).toBe(lastEvent.id);

      await rememberChannel(s.db, channel('C1'), at(0));
      await enqueueNotice(s.db, { to: channel('C1'), dedupeKey: 'n1', notice: { text: 'hello' }, now: at(0) });
      const d = await deliveryHealth(s.db, at(0));
      expect(d.counts).toEqual({ pending: 1, sending: 0, sent: 0, failed: 0, undeliverable: 0, cancelled: 0 });
      expect(d.inDoubt).toBe(0);
      const h = await healthReport(s.db, at(0));
      expect(h.publications).toBe(2);
      expect(h.consumers.every((c) => typeof c.behind === 'number' && c.behind === 2)).toBe(true);
    });
  });

  describe('concurrent writers', () => {
    it('the same fault raised by eight callers at once is one open fault seen eight times', async () => {
      await Promise.all(Array.from({ length: 8 }, (_, i) => raiseFault(s.db, 'http', 'listing', `attempt ${i}`, at(i))));
      const open = await openFaults(s.db);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ kind: 'http', subject: 'listing', occurrences: 8, resolved_at: null });
      expect(await resolveFaults(s.db, ['http'], 'listing', at(10))).toBe(1);
      const again = await raiseFault(s.db, 'http', 'listing', 'back', at(20));
      expect(again).toMatchObject({ occurrences: 1, first_seen_at: at(20).toISOString(), message: 'back' });
      expect(again.id).not.toBe(open[0]!.id);
      const later = await raiseFault(s.db, 'http', 'listing', 'still', at(30));
      expect(later).toMatchObject({ id: again.id, occurrences: 2, first_seen_at: at(20).toISOString(), last_seen_at: at(30).toISOString(), message: 'still' });
    });

    it('a letter saved by several readers at once: every attempt counted, indexed once', async () => {
      const p = await addPublication(s.db, WAKEFIELD, at(0));
      await Promise.all(Array.from({ length: 5 }, () => saveLetter(s.db, p, okLetter({ text: 'Personal advisers keep in touch with care leavers.' }), at(0))));
      const row = await s.db.selectFrom('letters').select(['attempts', 'status']).where('publication_id', '=', p.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ attempts: 5, status: 'ok' });
      expect(await searchLetters(s.db, 'personal advisers')).toHaveLength(1);
    });

    it('a transaction that fails leaves nothing behind', async () => {
      await expect(
        s.db.transaction().execute(async (tx) => {
          await tx.insertInto('meta').values({ key: 'a', value: '1' }).execute();
          await tx.insertInto('meta').values({ key: 'a', value: '2' }).execute(); // duplicate key
        }),
      ).rejects.toThrow(/UNIQUE|duplicate key/);
      expect(await s.db.selectFrom('meta').selectAll().execute()).toEqual([]);
    });
  });

  it("a consumer's offset only moves forward", async () => {
    expect(await getOffset(s.db, 'fan-out')).toBe(0);
    await setOffset(s.db, 'fan-out', 5, at(0));
    await setOffset(s.db, 'fan-out', 3, at(1_000)); // a late writer behind the other
    expect(await getOffset(s.db, 'fan-out')).toBe(5);
    await setOffset(s.db, 'fan-out', 9, at(2_000));
    expect(await getOffset(s.db, 'fan-out')).toBe(9);
    expect(await getOffset(s.db, 'console')).toBe(0); // per consumer
  });

  it('an id too large for any row finds nothing (Postgres would refuse it in a query)', async () => {
    expect(await retryDeliveries(s.db, 2 ** 40, at(0))).toEqual({ ok: false, message: `there is no delivery ${2 ** 40}` });
    expect(await findWorkspaceSubscription(s.db, 2 ** 31, 'slack', 'T1')).toBeNull();
    expect(await retryDeliveries(s.db, 2 ** 31 - 1, at(0))).toEqual({ ok: false, message: `there is no delivery ${2 ** 31 - 1}` });
  });

  it('NULLs sort where the query says, not where the engine would put them', async () => {
    await rememberChannel(s.db, channel('C1'), at(0));
    await rememberChannel(s.db, channel('C2'), at(0));
    await s.db.updateTable('channels').set({ last_delivered_at: at(5).toISOString() }).where('channel', '=', 'C2').execute();
    // SQLite puts NULLs first in ascending order, Postgres last: an explicit "nulls first" means the same on both
    const rows = await s.db.selectFrom('channels').select(['channel']).orderBy('last_delivered_at', (ob) => ob.asc().nullsFirst()).execute();
    expect(rows.map((r) => r.channel)).toEqual(['C1', 'C2']);
    const last = await s.db.selectFrom('channels').select(['channel']).orderBy('last_delivered_at', (ob) => ob.asc().nullsLast()).execute();
    expect(last.map((r) => r.channel)).toEqual(['C2', 'C1']);
  });
});
