// What a digest says: the publications its channel's filters let through (once each), grouped by
// council newest first, judgement changes against the previous inspection, and a roll-up by theme whose
// counts match the letters. And: the digest goes through the real outbox as a summary plus thread replies.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef, ChatSender, OutboundMessage, Platform, SendResult } from '../../src/chat/types.ts';
import { createOutboxWorker } from '../../src/delivery/outbox-worker.ts';
import { buildDigest, publicationData, rollUp, selectPublications, themeStats } from '../../src/digests/build-digest.ts';
import { runDigestSchedule } from '../../src/digests/digest-scheduler.ts';
import { digestFromPayload, type Digest } from '../../src/digests/types.ts';
import type { ClassifiedSentence } from '../../src/letters/types.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { saveLetter } from '../../src/store/letters.ts';
import { pauseSubscriptions } from '../../src/subscriptions/pause-subscriptions.ts';
import { renderDigestParts } from '../../adapters/slack/render/render-digest.ts';
import { limitViolations } from '../../adapters/slack/render/limits.ts';
import { VirtualClock } from '../domain/helpers/virtual-clock.ts';
import {
  at, authority, BARNET, BASE_URL, BRADFORD, digestChannel, grades, ids, LEEDS, letter, openDigestStore, publish, queuedDigests, republish, slack, WAKEFIELD, YORKSHIRE,
  type SentenceSpec, type TestStore,
} from './helpers.ts';
import { testDatabases } from '../helpers/test-database.ts';
import { xorshift32 as rng } from '../helpers/seeded-random.ts';

describe.each(testDatabases())('$name', (database) => {
  let s: TestStore;
  beforeEach(async () => {
    s = await openDigestStore(database);
  });
  afterEach(async () => {
    await s.close();
  });

  const WEEKLY = { mode: 'weekly', day: 'monday', time: '08:00' } as const;
  const MONDAY = at('2026-03-09T08:00:00Z');
  const inWeek = (day: number, hour = 10) => at(`2026-03-0${day}T${String(hour).padStart(2, '0')}:00:00Z`);

  async function digestOf(ch: ChannelRef): Promise<Digest | undefined> {
    return (await queuedDigests(s.db, ch))[0]?.digest;
  }

  describe('filters', () => {
    it('type, theme and region filters apply; paused and immediate channels get none; alerts already sent are not repeated', async () => {
      const wInsp = await publish(s.db, WAKEFIELD, inWeek(3), { letter: letter({ sentences: [{ themes: ['workforce'], polarity: 'concern' }], judgements: grades('good') }) });
      const wMv = await publish(s.db, WAKEFIELD, inWeek(4), { type: 'monitoring-visit', letter: letter({ sentences: [{ themes: ['front-door'], polarity: 'strength' }] }, 'monitoring-visit') });
      const lInsp = await publish(s.db, LEEDS, inWeek(5), { letter: letter({ sentences: [{ themes: ['care-leavers'], polarity: 'concern' }, { themes: ['workforce'], polarity: 'strength' }], judgements: grades('good') }) });
      const lFv = await publish(s.db, LEEDS, inWeek(6), { type: 'focused-visit', letter: letter({ sentences: [{ themes: ['early-help'], polarity: 'concern' }] }, 'focused-visit') });
      const bJtai = await publish(s.db, BRADFORD, inWeek(6, 12), { type: 'jtai', letter: letter({ sentences: [{ themes: ['partnerships'], polarity: 'concern' }] }, 'jtai') });
      const barnet = await publish(s.db, BARNET, inWeek(7), { letter: letter({ sentences: [{ themes: ['workforce'], polarity: 'concern' }] }) });
      await publish(s.db, LEEDS, at('2026-03-09T08:00:00Z')); // the next window

      await digestChannel(s.db, slack('CTYPE'), WEEKLY, [authority(WAKEFIELD)], { types: ['monitoring-visit'] });
      await digestChannel(s.db, slack('CTHEME'), WEEKLY, [authority(LEEDS)], { themes: ['care-leavers'] });
      await digestChannel(s.db, slack('CREGION'), WEEKLY, [{ target: { kind: 'region', regionCode: YORKSHIRE }, name: 'Yorkshire and the Humber' }]);
      await digestChannel(s.db, slack('CALL'), { mode: 'daily', time: '08:00' }, [{ target: { kind: 'all' }, name: 'all councils' }], { types: ['inspection'] });
      await digestChannel(s.db, slack('CPAUSED'), WEEKLY, [authority(BARNET)]);
      await pauseSubscriptions(s.db, { channel: slack('CPAUSED'), targets: 'all', now: at('2026-03-01T00:00:00Z'), reason: 'paused by U1' });
      await digestChannel(s.db, slack('CIMMEDIATE'), { mode: 'off' }, [authority(WAKEFIELD)]);
      // CSWITCHED was on immediate alerts when Wakefield's inspection came out, then chose a weekly digest
      await digestChannel(s.db, slack('CSWITCHED'), { mode: 'off' }, [authority(WAKEFIELD)]);
      await s.db.insertInto('deliveries').values({
        dedupe_key: `alert:${wInsp.id}:slack:T1:CSWITCHED`, kind: 'alert', publication_id: wInsp.id, platform: 'slack', workspace: 'T1', channel: 'CSWITCHED',
        subscription_ids: '[]', payload: null, status: 'sent', attempts: 1, next_attempt_at: inWeek(3).toISOString(), parts_sent: 2, created_at: inWeek(3).toISOString(), updated_at: inWeek(3).toISOString(),
      }).execute();
      await digestChannel(s.db, slack('CSWITCHED'), WEEKLY, []);

      await runDigestSchedule(s.deps, MONDAY);

      expect(ids((await digestOf(slack('CTYPE')))!)).toEqual([wMv.id]);
      const theme = (await digestOf(slack('CTHEME')))!;
      expect(ids(theme)).toEqual([lInsp.id]);
      expect(theme.themeFocus).toEqual(['care-leavers']);
      expect(theme.themes.map((t) => t.id)).toEqual(['care-leavers']); // the roll-up speaks of the themes followed
      const region = (await digestOf(slack('CREGION')))!;
      expect(ids(region)).toEqual([wInsp.id, wMv.id, lInsp.id, lFv.id, bJtai.id].sort((a, b) => a - b));
      expect(region.councils.map((c) => c.authority)).toEqual(['Bradford', 'Leeds', 'Wakefield']); // newest first
      expect(region.councils[1]!.publications.map((p) => p.id)).toEqual([lFv.id, lInsp.id]);
      expect(region.themeFocus).toBeNull();
      expect(await digestOf(slack('CPAUSED'))).toBeUndefined();
      expect(await digestOf(slack('CIMMEDIATE'))).toBeUndefined();
      expect(ids((await digestOf(slack('CSWITCHED')))!)).toEqual([wMv.id]);
      // the daily channel on "all councils, inspections only": Monday's digest covers Sunday 08:00 to Monday 08:00 only
      expect(await digestOf(slack('CALL'))).toBeUndefined();
      await runDigestSchedule(s.deps, at('2026-03-10T08:00:00Z'));
      expect(ids((await digestOf(slack('CALL')))!)).toHaveLength(1);
      void barnet;
    });

    it('a letter that could not be read is shown without a summary, and matches no theme filter', async () => {
      const bad = await publish(s.db, WAKEFIELD, inWeek(3), { letter: { ok: false, kind: 'corrupt', reason: 'the PDF is damaged' } });
      await digestChannel(s.db, slack('CANY'), WEEKLY, [authority(WAKEFIELD)]);
      await digestChannel(s.db, slack('CTHEMED'), WEEKLY, [authority(WAKEFIELD)], { themes: ['workforce'] });
      await runDigestSchedule(s.deps, MONDAY);
      const d = (await digestOf(slack('CANY')))!;
      expect(d.councils[0]!.publications[0]).toMatchObject({ id: bad.id, letter: { status: 'unavailable', reason: 'the PDF is damaged' }, headline: null });
      expect(d.totals.unreadable).toBe(1);
      expect(await digestOf(slack('CTHEMED'))).toBeUndefined();
    });
  });

  describe('once each', () => {
    it('a re-published letter appears once, in the window it was first announced in; a re-dated copy of one visit once', async () => {
      const ch = slack('CREPUB');
      await digestChannel(s.db, ch, WEEKLY, [authority(WAKEFIELD), authority(LEEDS)]);
      const x = await publish(s.db, WAKEFIELD, at('2026-03-03T10:00:00Z'));
      await runDigestSchedule(s.deps, MONDAY);
      await republish(s.db, x, at('2026-03-10T10:00:00Z')); // a new file next week
      const y = await publish(s.db, LEEDS, at('2026-03-11T10:00:00Z'));
      const y2 = await republish(s.db, y, at('2026-03-12T10:00:00Z'), letter({ overview: ['The corrected letter says this.'] }));
      const visit = { start: '2026-02-10', end: '2026-02-11' };
      await publish(s.db, WAKEFIELD, at('2026-03-12T10:00:00Z'), { type: 'monitoring-visit', date: '2026-03-12', letter: letter({ visit }, 'monitoring-visit') });
      const z2 = await publish(s.db, WAKEFIELD, at('2026-03-13T10:00:00Z'), { type: 'monitoring-visit', date: '2026-03-13', letter: letter({ visit }, 'monitoring-visit') });
      await runDigestSchedule(s.deps, at('2026-03-16T08:00:00Z'));
      const [first, second] = await queuedDigests(s.db, ch);
      expect(ids(first!.digest)).toEqual([x.id]);
      expect(ids(second!.digest)).toEqual([y.id, z2.id]);
      const shownY = second!.digest.councils.find((c) => c.authority === 'Leeds')!.publications[0]!;
      expect(shownY).toMatchObject({ republished: true, url: y2.url, headline: 'The corrected letter says this.' });
    });
  });

  describe('shared builds', () => {
    it('channels that see the same publications get the same digest (built once), others their own', async () => {
      const region = { target: { kind: 'region', regionCode: YORKSHIRE } as const, name: 'Yorkshire and the Humber' };
      for (let i = 0; i < 30; i++) await digestChannel(s.db, slack(`CR${i}`, `T${i % 3}`), WEEKLY, [region]);
      await digestChannel(s.db, slack('CWAKE'), WEEKLY, [authority(WAKEFIELD)]);
      await digestChannel(s.db, slack('CLATE'), WEEKLY, [region], { types: ['inspection'] });
      await publish(s.db, WAKEFIELD, inWeek(3));
      await publish(s.db, LEEDS, inWeek(4), { type: 'focused-visit', letter: letter({}, 'focused-visit') });
      const r = await runDigestSchedule(s.deps, MONDAY, { batchSize: 7 });
      expect(r).toMatchObject({ queued: 32, empty: 0 });
      const all = await queuedDigests(s.db);
      const regionPayloads = new Set(all.filter((d) => /:CR\d+$/.test(d.channel)).map((d) => d.row.payload));
      expect(regionPayloads.size).toBe(1);
      expect(all.find((d) => d.channel.endsWith(':CWAKE'))!.digest.totals.publications).toBe(1);
      expect(all.find((d) => d.channel.endsWith(':CLATE'))!.digest.totals.publications).toBe(1);
    });
  });

  describe('judgement changes', () => {
    it('compares each inspection with the council’s previous inspection', async () => {
      const ch = slack('CJUDGE');
      await digestChannel(s.db, ch, WEEKLY, [authority(WAKEFIELD), authority(LEEDS)]);
      const before = await publish(s.db, WAKEFIELD, at('2023-05-01T10:00:00Z'), {
        letter: letter({ judgements: { overall_effectiveness: 'requires improvement', impact_of_leaders: 'requires improvement', help_and_protection: 'good', children_in_care: 'good', care_leavers: null } }),
      });
      await publish(s.db, WAKEFIELD, at('2024-05-01T10:00:00Z'), { type: 'monitoring-visit', letter: letter({}, 'monitoring-visit') });
      const now = await publish(s.db, WAKEFIELD, inWeek(4), {
        letter: letter({ judgements: { overall_effectiveness: 'inadequate', impact_of_leaders: 'good', help_and_protection: 'good', children_in_care: 'good', care_leavers: 'requires improvement' } }),
      });
      await publish(s.db, LEEDS, inWeek(5), { letter: letter({ judgements: grades('outstanding') }) }); // no previous inspection
      await runDigestSchedule(s.deps, MONDAY);
      const d = (await digestOf(ch))!;
      const w = d.councils.find((c) => c.authority === 'Wakefield')!.publications[0]!;
      expect(w.id).toBe(now.id);
      expect(w.previousInspection).toMatchObject({ publicationId: before.id, publicationDate: '2023-05-01' });
      expect(w.judgementChanges).toEqual([
        { area: 'overall_effectiveness', from: 'requires improvement', to: 'inadequate', direction: 'declined' },
        { area: 'impact_of_leaders', from: 'requires improvement', to: 'good', direction: 'improved' },
        { area: 'help_and_protection', from: 'good', to: 'good', direction: 'unchanged' },
        { area: 'children_in_care', from: 'good', to: 'good', direction: 'unchanged' },
        { area: 'care_leavers', from: null, to: 'requires improvement', direction: 'newly-graded' },
      ]);
      expect(d.councils.find((c) => c.authority === 'Leeds')!.publications[0]!.judgementChanges).toEqual([]);
      expect(d.totals.judgementChanges).toBe(1);
    });
  });

  const THEMES = ['workforce', 'care-leavers', 'front-door', 'early-help', 'children-in-care', 'partnerships', 'management-oversight'];

  describe('the theme roll-up', () => {
    it('counts, for each theme, the letters that raised a concern and those that raised a strength, and quotes the most telling sentence', async () => {
      const random = rng(20260309);
      const councils = s.directory.all().slice(0, 8);
      const ch = slack('CROLL');
      await digestChannel(s.db, ch, WEEKLY, councils.map((a) => authority(a)));
      const letters: { council: string; id: number; sentences: SentenceSpec[] }[] = [];
      for (const [i, a] of councils.entries()) {
        const sentences: SentenceSpec[] = Array.from({ length: 3 + Math.floor(random() * 12) }, (_, j) => {
          const themes = [THEMES[Math.floor(random() * THEMES.length)]!];
          if (random() < 0.3) themes.push(THEMES[Math.floor(random() * THEMES.length)]!);
          const r = random();
          return {
            themes: [...new Set(themes)],
            polarity: r < 0.4 ? 'concern' : r < 0.8 ? 'strength' : 'neutral',
            section: random() < 0.15 ? 'improvements' : 'main-findings',
            score: Math.round(random() * 1000) / 100,
            text: `Letter ${i} sentence ${j}.`,
          } as SentenceSpec;
        });
        const p = await publish(s.db, a, at(`2026-03-0${2 + (i % 6)}T${10 + i}:00:00Z`), { letter: letter({ sentences }) });
        letters.push({ council: a.name, id: p.id, sentences });
      }
      await runDigestSchedule(s.deps, MONDAY);
      const d = (await digestOf(ch))!;
      expect(d.totals.publications).toBe(8);

      for (const theme of THEMES) {
        const isConcern = (x: SentenceSpec) => x.themes.includes(theme) && (x.section === 'improvements' || x.polarity === 'concern');
        const isStrength = (x: SentenceSpec) => x.themes.includes(theme) && x.section !== 'improvements' && x.polarity === 'strength';
        const concernLetters = letters.filter((l) => l.sentences.some(isConcern)).length;
        const strengthLetters = letters.filter((l) => l.sentences.some(isStrength)).length;
        const both = letters.filter((l) => l.sentences.some((x) => isConcern(x) || isStrength(x))).length;
        const t = d.themes.find((x) => x.id === theme);
        if (both === 0) {
          expect(t).toBeUndefined();
          continue;
        }
        expect(t, theme).toMatchObject({ letters: both, concernLetters, strengthLetters });
        // the quoted concern is the highest-ranked prose concern across the letters (a point only if there is none)
        const rank = (x: SentenceSpec) => (x.score ?? 1) * (x.themes[0] === theme ? 1 : 0.6) * (x.section === 'improvements' ? 0.001 : 1);
        const best = letters.flatMap((l) => l.sentences.filter(isConcern).map((x) => ({ text: x.text, rank: rank(x), council: l.council })));
        if (best.length) {
          const top = Math.max(...best.map((b) => b.rank));
          expect(best.filter((b) => b.rank === top).map((b) => b.text), theme).toContain(t!.concern!.sentence);
          expect(t!.concern!.authority).toBe(best.find((b) => b.text === t!.concern!.sentence)!.council);
        } else expect(t!.concern).toBeNull();
      }
      // ordered by how many letters raise them
      const counts = d.themes.map((t) => t.letters);
      expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    });

    it('is built from every classified sentence, not the budgeted summary', () => {
      const sentences: Partial<ClassifiedSentence>[] = [
        { text: 'Caseloads are too high.', themes: ['workforce'], polarity: 'concern', section: 'main-findings', score: 2 },
        { text: 'Turnover is falling.', themes: ['workforce', 'leadership-and-governance'], polarity: 'strength', section: 'main-findings', score: 1 },
        { text: 'Reduce caseloads.', themes: ['workforce'], polarity: 'concern', section: 'improvements', score: 5 },
      ];
      const stats = themeStats({ sentences: JSON.stringify(sentences) });
      expect(stats.get('workforce')).toMatchObject({ concerns: 2, strengths: 1, concern: { text: 'Caseloads are too high.' }, strength: { text: 'Turnover is falling.' } });
      expect(stats.get('leadership-and-governance')).toMatchObject({ concerns: 0, strengths: 1 });
    });
  });

  describe('waiting for letters', () => {
    it('a letter still being read at the boundary holds the digest back until it is read (its themes decide filters)', async () => {
      const ch = slack('CWAIT');
      await digestChannel(s.db, ch, WEEKLY, [authority(WAKEFIELD)], { themes: ['workforce'] });
      const p = await publish(s.db, WAKEFIELD, at('2026-03-09T07:50:00Z'), { letter: 'unread' });
      const first = await runDigestSchedule(s.deps, MONDAY);
      expect(first).toMatchObject({ queued: 0, deferred: 1 });
      await saveLetter(s.db, { id: p.id, file_id: p.file_id, authority_name: p.authority_name, title: p.title }, letter({ sentences: [{ themes: ['workforce'], polarity: 'concern' }] }), at('2026-03-09T08:04:00Z'));
      const second = await runDigestSchedule(s.deps, at('2026-03-09T08:05:00Z'));
      expect(second).toMatchObject({ queued: 1, deferred: 0 });
      expect(ids((await digestOf(ch))!)).toEqual([p.id]);
      expect((await digestOf(ch))!.late).toBeNull();
      expect(await runDigestSchedule(s.deps, at('2026-03-09T08:06:00Z'))).toMatchObject({ queued: 0, slots: [] });
    });

    it('but not for ever: after the wait it goes without that letter’s summary', async () => {
      const ch = slack('CWAIT2');
      await digestChannel(s.db, ch, WEEKLY, [authority(WAKEFIELD)]);
      const p = await publish(s.db, WAKEFIELD, at('2026-03-09T07:50:00Z'), { letter: 'unread' });
      await runDigestSchedule(s.deps, MONDAY);
      await runDigestSchedule(s.deps, at('2026-03-09T08:15:00Z'));
      expect(await digestOf(ch)).toBeUndefined();
      await runDigestSchedule(s.deps, at('2026-03-09T08:31:00Z'));
      const d = (await digestOf(ch))!;
      expect(d.councils[0]!.publications[0]).toMatchObject({ id: p.id, letter: { status: 'unavailable', reason: 'the letter has not been read yet' } });
    });
  });

  describe('through the outbox', () => {
    it('a queued digest is sent once: the summary, then the rest as replies in its thread', async () => {
      const ch = slack('COUTBOX');
      const councils = s.directory.all().slice(0, 20);
      await digestChannel(s.db, ch, WEEKLY, councils.map((a) => authority(a)));
      for (const [i, a] of councils.entries()) {
        await publish(s.db, a, at(`2026-03-0${2 + (i % 6)}T${String(9 + (i % 12)).padStart(2, '0')}:00:00Z`), {
          letter: letter({ overview: [`${a.name} children are seen regularly by social workers who know them well. `.repeat(3).trim()], sentences: [{ themes: ['workforce'], polarity: 'concern' }, { themes: ['care-leavers'], polarity: 'strength' }], judgements: grades('good') }),
        });
      }
      await runDigestSchedule(s.deps, MONDAY);

      const clock = new VirtualClock(Date.parse('2026-03-09T08:01:00Z'), s.busy);
      const posts: { part: unknown; threadRef: string | null; key: string }[] = [];
      const sender: ChatSender = {
        platform: 'slack',
        channelIntervalMs: 1000,
        prepare: (m: OutboundMessage) => (m.kind === 'digest' ? renderDigestParts(digestFromPayload(m.digest)!) : []),
        async sendPart(_c, part, o): Promise<SendResult> {
          posts.push({ part, threadRef: o.threadRef, key: o.dedupeKey });
          return { ok: true, ref: `ts-${posts.length}` };
        },
      };
      const worker = createOutboxWorker({
        db: s.db, senders: new Map<Platform, ChatSender>([['slack', sender]]), now: clock.now, logger: silentLogger, holder: 'w1', sleep: clock.sleep, baseUrl: BASE_URL,
      });
      await worker.runOnce();
      await worker.runOnce();
      expect(posts.length).toBeGreaterThanOrEqual(2);
      expect(posts[0]!.threadRef).toBeNull();
      expect(posts.slice(1).every((p) => p.threadRef === 'ts-1')).toBe(true);
      expect(posts.map((p) => p.key)).toEqual(posts.map((_, i) => `digest:slack:T1:COUTBOX:2026-03-09T08:00:00.000Z#${i}`));
      for (const p of posts) expect(limitViolations(p.part as { blocks: unknown[] })).toEqual([]);
      const row = await s.db.selectFrom('deliveries').selectAll().where('kind', '=', 'digest').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'sent', parts_sent: posts.length });
    });
  });
});

describe('pure building', () => {
  it('an empty selection builds no digest', () => {
    expect(buildDigest({ mode: 'weekly', window: { start: 0, end: 1 }, late: null, publications: [], themeFocus: null })).toBeNull();
    expect(rollUp([], null)).toEqual([]);
  });

  it('selection keeps the window half-open: [start, end)', () => {
    const pub = (id: number, iso: string) =>
      publicationData({
        publication: { id, authority_urn: WAKEFIELD.urn, authority_name: 'Wakefield', type: 'inspection', title: 't', publication_date: '2026-03-01', file_id: `f${id}`, url: `https://x.test/${id}`, first_seen_at: iso, found_by: 'poll', announced: 1 },
        letter: undefined, announcedAt: iso, republished: false, regionCode: YORKSHIRE, settled: true, previousInspection: null, baseUrl: BASE_URL,
      });
    const pubs = [pub(1, '2026-03-02T08:00:00.000Z'), pub(2, '2026-03-09T07:59:59.999Z'), pub(3, '2026-03-09T08:00:00.000Z')];
    const sel = selectPublications([{ id: 7, target: { kind: 'authority', urn: WAKEFIELD.urn }, types: [], themes: [] }], pubs, { start: Date.parse('2026-03-02T08:00:00Z'), end: Date.parse('2026-03-09T08:00:00Z') }, { waitForLetters: false });
    expect(sel.status === 'ok' && sel.publications.map((p) => p.id).sort()).toEqual([1, 2]);
  });
});
