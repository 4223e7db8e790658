import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fanOut, FAN_OUT_CONSUMER } from '../../src/delivery/fan-out.ts';
import { createSubscriptions } from '../../src/subscriptions/create-subscriptions.ts';
import { setDigest } from '../../src/subscriptions/set-digest.ts';
import { pauseChannel } from '../../src/subscriptions/pause-subscriptions.ts';
import { endSubscriptions } from '../../src/subscriptions/end-subscriptions.ts';
import type { ResolvedTarget } from '../../src/subscriptions/subscription-rows.ts';
import type { PublicationType } from '../../src/letters/types.ts';
import { getOffset, latestEventId } from '../../src/store/events.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { letterThemes } from '../../src/subscriptions/letter-themes.ts';
import {
  addLetter, addPublication, BARNET, channel, LEEDS, okLetter, openTestStore, unreadableLetter, WAKEFIELD, YORKSHIRE, type TestStore,
} from './helpers/store.ts';
import { testDatabases } from '../helpers/test-database.ts';

/** a readable letter about care leavers (strength), workforce (improvement point), education (neutral only) */
const careLeaversLetter = () =>
  okLetter({
    sentences: [
      { themes: ['care-leavers'], polarity: 'strength' },
      { themes: ['education'], polarity: 'neutral' },
      { themes: ['workforce'], polarity: 'concern', section: 'improvements' },
    ],
    improvements: [{ text: 'Improve supervision.', themes: ['management-oversight'] }],
  });

describe.each(testDatabases())('$name', (database) => {
  let s: TestStore;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const now = () => new Date(clock);
  const deps = () => ({ db: s.db, directory: s.directory, now, logger: silentLogger });

  beforeEach(async () => {
    s = await openTestStore(database);
  });
  afterEach(async () => s.close());

  const wakefield: ResolvedTarget = { target: { kind: 'authority', urn: WAKEFIELD.urn }, name: 'Wakefield' };
  const leeds: ResolvedTarget = { target: { kind: 'authority', urn: LEEDS.urn }, name: 'Leeds' };
  const yorkshire: ResolvedTarget = { target: { kind: 'region', regionCode: YORKSHIRE }, name: 'Yorkshire and the Humber' };
  const all: ResolvedTarget = { target: { kind: 'all' }, name: 'all councils' };

  async function sub(ch: string, targets: ResolvedTarget[], f: { types?: PublicationType[]; themes?: string[]; workspace?: string } = {}) {
    const r = await createSubscriptions(s.db, { channel: channel(ch, f.workspace), createdBy: 'U1', targets, types: f.types ?? [], themes: f.themes ?? [], now: now() });
    return [...r.created, ...r.updated, ...r.alreadyHad];
  }
  const deliveries = () => s.db.selectFrom('deliveries').selectAll().orderBy('channel').orderBy('id').execute();

  describe('fan-out of publication.new events', () => {
    it('one delivery per channel, even with overlapping subscriptions; the matching ids are recorded', async () => {
      const [w] = await sub('C1', [wakefield]);
      const [y] = await sub('C1', [yorkshire]);
      const [a] = await sub('C1', [all]);
      await sub('C2', [leeds]); // does not match Wakefield
      await sub('C3', [yorkshire]);
      await sub('C1', [wakefield], { workspace: 'T2' }); // same channel id, other workspace: its own delivery
      const p = await addPublication(s.db, WAKEFIELD, now());
      await addLetter(s.db, p, careLeaversLetter(), now());
      expect(await fanOut(deps())).toEqual({ events: 1, deliveries: 3, waiting: false });
      const d = await deliveries();
      expect(d.map((x) => [x.workspace, x.channel, JSON.parse(x.subscription_ids)])).toEqual([
        ['T1', 'C1', [w!.id, y!.id, a!.id].sort((m, n) => m - n)],
        ['T2', 'C1', [expect.any(Number)]],
        ['T1', 'C3', [expect.any(Number)]],
      ]);
      expect(d[0]).toMatchObject({ kind: 'alert', publication_id: p.id, status: 'pending', attempts: 0, parts_sent: 0, dedupe_key: `alert:${p.id}:slack:T1:C1` });
      expect(await getOffset(s.db, FAN_OUT_CONSUMER)).toBeGreaterThan(0);
    });

    it('replaying the events adds nothing (unique keys), and a region subscription does not get other regions', async () => {
      await sub('C1', [yorkshire]);
      const p = await addPublication(s.db, WAKEFIELD, now());
      await addLetter(s.db, p, careLeaversLetter(), now());
      const b = await addPublication(s.db, BARNET, now());
      await addLetter(s.db, b, careLeaversLetter(), now());
      expect((await fanOut(deps())).deliveries).toBe(1);
      // as if the offset had never moved (setOffset only moves it forward)
      await s.db.deleteFrom('consumer_offsets').where('consumer', '=', FAN_OUT_CONSUMER).execute();
      expect(await fanOut(deps())).toEqual({ events: 2, deliveries: 0, waiting: false });
      expect(await deliveries()).toHaveLength(1);
    });

    it('filters by type and by theme (themes of improvement points and of sentences with a concern or strength)', async () => {
      await sub('types-match', [wakefield], { types: ['inspection', 'monitoring-visit'] });
      await sub('types-miss', [wakefield], { types: ['focused-visit'] });
      await sub('theme-strength', [wakefield], { themes: ['care-leavers'] });
      await sub('theme-improvement', [wakefield], { themes: ['workforce', 'early-help'] });
      await sub('theme-summary-improvement', [wakefield], { themes: ['management-oversight'] });
      await sub('theme-neutral-only', [wakefield], { themes: ['education'] });
      await sub('theme-absent', [wakefield], { themes: ['early-help'] });
      await sub('both-match', [yorkshire], { types: ['inspection'], themes: ['care-leavers'] });
      await sub('both-type-miss', [yorkshire], { types: ['send'], themes: ['care-leavers'] });
      const p = await addPublication(s.db, { ...WAKEFIELD, type: 'inspection' }, now());
      await addLetter(s.db, p, careLeaversLetter(), now());
      await fanOut(deps());
      expect((await deliveries()).map((d) => d.channel).sort()).toEqual(['both-match', 'theme-improvement', 'theme-strength', 'theme-summary-improvement', 'types-match']);
    });

    it('an unreadable letter matches no theme filter, but subscriptions without one', async () => {
      await sub('plain', [wakefield]);
      await sub('typed', [wakefield], { types: ['inspection'] });
      await sub('themed', [wakefield], { themes: ['care-leavers'] });
      const p = await addPublication(s.db, WAKEFIELD, now());
      await addLetter(s.db, p, unreadableLetter(), now());
      await fanOut(deps());
      expect((await deliveries()).map((d) => d.channel).sort()).toEqual(['plain', 'typed']);
    });

    it('daily and weekly subscriptions, paused and ended ones get no immediate delivery', async () => {
      await sub('immediate', [wakefield]);
      await sub('daily', [wakefield]);
      await setDigest(s.db, channel('daily'), { mode: 'daily', time: '08:00' }, now());
      await sub('weekly', [wakefield]);
      await setDigest(s.db, channel('weekly'), { mode: 'weekly', day: 'monday', time: '09:00' }, now());
      await sub('paused', [wakefield]);
      await pauseChannel(s.db, channel('paused'), 'paused by U1', now());
      await sub('ended', [wakefield]);
      await endSubscriptions(s.db, { channel: channel('ended'), targets: 'all', reason: 'unsubscribed by U1', now: now() });
      const p = await addPublication(s.db, WAKEFIELD, now());
      await addLetter(s.db, p, careLeaversLetter(), now());
      await fanOut(deps());
      expect((await deliveries()).map((d) => d.channel)).toEqual(['immediate']);
    });

    it('waits for the letter, in order, then delivers in one step with the offset', async () => {
      await sub('C1', [wakefield, leeds], { themes: ['care-leavers'] });
      const first = await addPublication(s.db, WAKEFIELD, now());
      const second = await addPublication(s.db, LEEDS, now());
      await addLetter(s.db, second, careLeaversLetter(), now());
      expect(await fanOut(deps())).toEqual({ events: 0, deliveries: 0, waiting: true });
      expect(await deliveries()).toEqual([]);
      expect(await getOffset(s.db, FAN_OUT_CONSUMER)).toBe(0);
      await addLetter(s.db, first, careLeaversLetter(), now());
      expect(await fanOut(deps())).toEqual({ events: 2, deliveries: 2, waiting: false });
      expect((await deliveries()).map((d) => d.publication_id)).toEqual([first.id, second.id]);
    });

    it('a letter still unsettled after maxLetterWaitMs goes out without its summary (no theme filter matches)', async () => {
      await sub('plain', [wakefield]);
      await sub('themed', [wakefield], { themes: ['care-leavers'] });
      await addPublication(s.db, WAKEFIELD, now());
      expect((await fanOut(deps(), { maxLetterWaitMs: 60_000 })).waiting).toBe(true);
      clock += 61_000;
      expect(await fanOut(deps(), { maxLetterWaitMs: 60_000 })).toEqual({ events: 1, deliveries: 1, waiting: false });
      expect((await deliveries()).map((d) => d.channel)).toEqual(['plain']);
    });

    it('re-publications are not alerted again', async () => {
      await sub('C1', [wakefield]);
      const p = await addPublication(s.db, WAKEFIELD, now());
      await addLetter(s.db, p, careLeaversLetter(), now());
      await s.db.insertInto('events').values({ kind: 'publication.republished', dedupe_key: `republished:${p.id}:x`, publication_id: p.id, created_at: now().toISOString(), payload: '{}' }).execute();
      expect((await fanOut(deps())).deliveries).toBe(1);
      expect(await fanOut(deps())).toEqual({ events: 0, deliveries: 0, waiting: false });
      // the offset passes the ignored event, so health does not count it as work behind
      expect(await getOffset(s.db, FAN_OUT_CONSUMER)).toBe(await latestEventId(s.db));
    });
  });
});

describe('letterThemes', () => {
  it('concern and strength sentences and improvement points count; neutral ones do not; unreadable is null', () => {
    const r = careLeaversLetter();
    if (!r.ok) throw new Error('fixture');
    const row = { status: 'ok', sentences: JSON.stringify(r.sentences), summary: JSON.stringify(r.summary) };
    expect([...letterThemes(row)!].sort()).toEqual(['care-leavers', 'management-oversight', 'workforce']);
    expect(letterThemes({ status: 'failed', sentences: null, summary: null })).toBeNull();
    expect(letterThemes(undefined)).toBeNull();
    expect(letterThemes({ status: 'ok', sentences: '{not json', summary: null })).toBeNull();
  });
});
