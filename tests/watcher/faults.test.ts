import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { runPoll } from '../../src/watcher/poll.ts';
import { runSweep } from '../../src/watcher/sweep.ts';
import { openFaults } from '../../src/store/faults.ts';
import { healthReport } from '../../src/health/health-report.ts';
import { testDatabases } from '../helpers/test-database.ts';

const WAKEFIELD = '80451';

describe.each(testDatabases())('$name', (database) => {
  /** Publishes while a fault is armed and checks: retried or reported, never lost, never invented. */
  describe('faults are retried and backed off, and never lose or invent a publication', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness({ database, env: { OFSTED_MAX_RETRIES: '4' } });
      await runPoll(h.ctx.watcherDeps()); // baseline
      h.waits.length = 0;
    });
    afterEach(async () => h.close());

    const announcedOnce = async () => {
      const rows = await h.ctx.db.selectFrom('events').selectAll().where('kind', '=', 'publication.new').execute();
      return rows.map((r) => JSON.parse(r.payload) as { urn: string; publicationDate: string });
    };

    it.each([
      ['503', { kind: '503', times: 2 }],
      ['403', { kind: '403', times: 2 }],
      ['reset', { kind: 'reset', times: 2 }],
    ] as const)('%s on the listing is retried with growing backoff and the publication found', async (_name, fault) => {
      h.sim.publish({ urn: WAKEFIELD, type: 'inspection', publicationDate: '2026-11-20' });
      h.sim.injectFault({ ...fault, path: 'start=0' });
      h.sim.resetStats();
      const retriesBefore = h.ctx.client.stats().retries;
      const r = await runPoll(h.ctx.watcherDeps());
      expect(r.status).toBe('ok');
      expect(r.announced.map((e) => e.urn)).toEqual([WAKEFIELD]);
      expect(h.sim.stats().byPath['/search']).toBe(2 + 2); // two failed attempts, then both pages
      expect(h.ctx.client.stats().retries - retriesBefore).toBe(2);
      expect(await announcedOnce()).toHaveLength(1);
    });

    it('429 with Retry-After is honoured', async () => {
      h.sim.publish({ urn: WAKEFIELD, type: 'inspection', publicationDate: '2026-11-20' });
      h.sim.injectFault({ kind: '429', retryAfter: 7, times: 1, path: `/provider/44/${WAKEFIELD}` });
      const r = await runPoll(h.ctx.watcherDeps());
      expect(r.announced).toHaveLength(1);
      // 7 s from the 429's answer: the wait is taken a millisecond or two later on a busy machine
      expect(h.waits.some((w) => w > 6_900 && w <= 7_000)).toBe(true);
    });

    it('a slow answer past the timeout is retried', async () => {
      const slow = await startHarness({ database, env: { OFSTED_TIMEOUT_MS: '1000' } });
      try {
        await runPoll(slow.ctx.watcherDeps());
        slow.sim.publish({ urn: WAKEFIELD, type: 'inspection', publicationDate: '2026-11-20' });
        slow.sim.injectFault({ kind: 'slow', ms: 2500, times: 1, path: `/provider/44/${WAKEFIELD}` });
        const retriesBefore = slow.ctx.client.stats().retries;
        const r = await runPoll(slow.ctx.watcherDeps());
        expect(r.announced).toHaveLength(1);
        expect(slow.ctx.client.stats().retries - retriesBefore).toBe(1);
      } finally {
        await slow.close();
      }
    });

    it('persistent failures are a health fault, and the publication is found once the site recovers', async () => {
      h.sim.publish({ urn: WAKEFIELD, type: 'inspection', publicationDate: '2026-11-20' });
      h.sim.injectFault({ kind: '503', times: 'always', path: `/provider/44/${WAKEFIELD}` });
      const failing = await runPoll(h.ctx.watcherDeps());
      expect(failing.status).toBe('faults');
      expect(failing.announced).toEqual([]);
      const faults = await openFaults(h.ctx.db);
      expect(faults.map((f) => f.kind)).toContain('http');
      expect((await healthReport(h.ctx.db, new Date())).healthy).toBe(false);

      await runPoll(h.ctx.watcherDeps()); // still failing: counted again
      expect((await openFaults(h.ctx.db)).find((f) => f.kind === 'http')?.occurrences).toBe(2);

      h.sim.clearFaults();
      const recovered = await runPoll(h.ctx.watcherDeps());
      expect(recovered.status).toBe('ok');
      expect(recovered.announced.map((e) => e.urn)).toEqual([WAKEFIELD]);
      expect(await openFaults(h.ctx.db)).toEqual([]);
      expect(await announcedOnce()).toHaveLength(1);
    });

    it('a truncated listing is a fault, not "nothing new"; nothing is lost', async () => {
      h.sim.publish({ urn: '80582', type: 'inspection', publicationDate: '2026-11-20' });
      h.sim.injectFault({ kind: 'truncated', times: 1, path: 'start=100' });
      const r = await runPoll(h.ctx.watcherDeps());
      expect(r.status).toBe('faults');
      const next = await runPoll(h.ctx.watcherDeps());
      const found = [...r.announced, ...next.announced].map((e) => e.urn);
      expect(found).toEqual(['80582']);
      expect(await announcedOnce()).toHaveLength(1);
    });

    it('a listing that answers 200 with no results is a fault, and the next good poll finds what was published', async () => {
      h.sim.publish({ urn: WAKEFIELD, type: 'inspection', publicationDate: '2026-11-20' });
      h.sim.injectFault({ kind: 'empty', times: 1, path: '/search' });
      const r = await runPoll(h.ctx.watcherDeps());
      expect(r.status).toBe('faults');
      expect(r.faults.map((f) => f.kind)).toContain('listing-empty');
      expect(r.announced).toEqual([]);
      const next = await runPoll(h.ctx.watcherDeps());
      expect(next.announced.map((e) => e.urn)).toEqual([WAKEFIELD]);
    });

    it('a markup change is reported as a fault, and the fallback still finds the publication', async () => {
      h.sim.publish({ urn: WAKEFIELD, type: 'inspection', publicationDate: '2026-11-20' });
      h.sim.injectFault({ kind: 'changed-markup', times: 'always' });
      const r = await runPoll(h.ctx.watcherDeps());
      expect(r.faults.map((f) => f.kind)).toContain('markup-changed');
      expect(r.announced.map((e) => [e.urn, e.type, e.publicationDate])).toEqual([[WAKEFIELD, 'inspection', '2026-11-20']]);
      expect((await openFaults(h.ctx.db)).some((f) => f.kind === 'markup-changed')).toBe(true);
    });

    it('a truncated council page with fewer publications than before is a fault; the sweep retries it later', async () => {
      h.sim.publish({ urn: WAKEFIELD, type: 'focused-visit', publicationDate: '2026-11-18' });
      h.sim.injectFault({ kind: 'empty', times: 1, path: `/provider/44/${WAKEFIELD}` });
      const sweep = await runSweep(h.ctx.watcherDeps());
      expect(sweep.faults.map((f) => f.kind)).toContain('page-empty');
      expect(sweep.announced).toEqual([]);
      const again = await runSweep(h.ctx.watcherDeps());
      expect(again.announced.map((e) => e.urn)).toEqual([WAKEFIELD]);
    });
  });
});
