import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { runPoll } from '../../src/watcher/poll.ts';
import { runSweep } from '../../src/watcher/sweep.ts';
import { toJsonLine } from '../../src/watcher/publication-event.ts';
import { testDatabases } from '../helpers/test-database.ts';

const WAKEFIELD = '80451';

describe.each(testDatabases())('$name', (database) => {
  describe('poll: change detection whose cost grows with the changes', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness({ database });
    });
    afterEach(async () => h.close());

    it('records what exists on the first run without announcing it, then idles at 2 requests', async () => {
      const councils = h.sim.authorities.length;
      const first = await runPoll(h.ctx.watcherDeps());
      expect(first.status).toBe('ok');
      expect(first.announced).toEqual([]);
      expect(first.recordedSilently).toBeGreaterThan(councils); // every council has a history
      expect(first.baselineCompletedAt).not.toBeNull();
      expect(h.sim.stats().requests).toBe(2 + councils);

      h.sim.resetStats();
      const idle = await runPoll(h.ctx.watcherDeps());
      expect(idle.status).toBe('ok');
      expect(idle.announced).toEqual([]);
      expect(h.sim.stats().requests).toBe(2);
      expect(idle.notModified).toBe(2);
    });

    it('a poll after one council publishes costs 2 + 1 requests and announces it once, across restarts', async () => {
      await runPoll(h.ctx.watcherDeps());
      const published = h.sim.publish({ urn: WAKEFIELD, type: 'inspection', publicationDate: '2026-11-20' });
      h.sim.resetStats();

      const r = await runPoll(h.ctx.watcherDeps());
      expect(h.sim.stats().requests).toBe(3);
      expect(h.sim.stats().byPath[`/provider/44/${WAKEFIELD}`]).toBe(1);
      expect(r.announced).toHaveLength(1);
      const line = JSON.parse(toJsonLine(r.announced[0]!));
      expect(line).toEqual({
        authority: 'Wakefield',
        urn: WAKEFIELD,
        gss: 'E08000036',
        type: 'inspection',
        publicationDate: '2026-11-20',
        url: published.url,
      });

      // Restart: a new process on the same store announces nothing again.
      const again = await h.restart();
      h.sim.resetStats();
      const afterRestart = await runPoll(again.watcherDeps());
      expect(afterRestart.announced).toEqual([]);
      expect(h.sim.stats().requests).toBe(2);
      const swept = await runSweep(again.watcherDeps());
      expect(swept.announced).toEqual([]);
      const events = await again.db.selectFrom('events').selectAll().execute();
      expect(events.filter((e) => e.kind === 'publication.new')).toHaveLength(1);
    });

    it('a re-published file (new file id, same council, type and date) is not a new publication', async () => {
      await runPoll(h.ctx.watcherDeps());
      h.sim.publish({ urn: WAKEFIELD, type: 'inspection', publicationDate: '2026-11-20' });
      const first = await runPoll(h.ctx.watcherDeps());
      expect(first.announced).toHaveLength(1);

      const corrected = h.sim.republish(WAKEFIELD, 'inspection', '2026-11-20');
      const poll = await runPoll(h.ctx.watcherDeps());
      const sweep = await runSweep(h.ctx.watcherDeps());
      expect([...poll.announced, ...sweep.announced]).toEqual([]);
      const republished = [...poll.republished, ...sweep.republished];
      expect(republished).toHaveLength(1);
      expect(republished[0]!.fileId).toBe(corrected.fileId);
      expect(republished[0]!.previousFileId).toBe(first.announced[0]!.fileId);
      const rows = await h.ctx.db.selectFrom('publications').selectAll().where('authority_urn', '=', WAKEFIELD).where('publication_date', '=', '2026-11-20').execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.file_id).toBe(corrected.fileId);
    });

    it('the sweep finds a publication that the listing did not reveal', async () => {
      await runPoll(h.ctx.watcherDeps());
      // In the default mode a focused visit does not move the listing's "Latest report" date.
      h.sim.publish({ urn: '80518', type: 'focused-visit', publicationDate: '2026-11-19' });
      h.sim.resetStats();
      const poll = await runPoll(h.ctx.watcherDeps());
      expect(poll.announced).toEqual([]);
      expect(h.sim.stats().requests).toBe(2);

      const sweep = await runSweep(h.ctx.watcherDeps());
      expect(sweep.announced.map((e) => [e.urn, e.type, e.publicationDate])).toEqual([['80518', 'focused-visit', '2026-11-19']]);
      expect(sweep.notModified).toBe(h.sim.authorities.length - 1); // every other page answered 304
      const next = await runSweep(h.ctx.watcherDeps());
      expect(next.announced).toEqual([]);
    });

    it('--announce-since announces a deliberate backfill, once', async () => {
      const first = await runPoll(h.ctx.watcherDeps(), { announceSince: '2025-01-01' });
      expect(first.announced.length).toBeGreaterThan(0);
      expect(first.announced.every((e) => e.publicationDate >= '2025-01-01')).toBe(true);
      const second = await runPoll(h.ctx.watcherDeps(), { announceSince: '2025-01-01' });
      expect(second.announced).toEqual([]);
    });

    it('a poll while another run holds the lease is skipped, not doubled', async () => {
      const deps = h.ctx.watcherDeps();
      const other = { ...deps, holder: 'another-process' };
      const [a, b] = await Promise.all([runPoll(deps), runPoll(other)]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual(['ok', 'skipped']);
    });
  });
});
