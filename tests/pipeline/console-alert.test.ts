import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { runPoll } from '../../src/watcher/poll.ts';
import { runSweep } from '../../src/watcher/sweep.ts';
import { readNewLetters } from '../../src/pipeline/read-new-letters.ts';
import { letterDeps } from '../../src/pipeline/letter-deps.ts';
import { announceToConsole } from '../../adapters/console/console-announcer.ts';
import { getLetter, searchLetters } from '../../src/store/letters.ts';
import { openFaults } from '../../src/store/faults.ts';
import { testDatabases } from '../helpers/test-database.ts';

const SEED = resolve(process.cwd(), '../shared/corpus/letters/80451-wakefield-focused-visit-2020-12-18.pdf');

describe.each(testDatabases())('$name', (database) => {
  describe('from a letter on the simulated site to the console adapter', () => {
    let h: Harness;
    const printed: string[] = [];
    beforeEach(async () => {
      h = await startHarness({ database });
      printed.length = 0;
      await runPoll(h.ctx.watcherDeps());
    });
    afterEach(async () => h.close());
    const announce = () => announceToConsole({ db: h.ctx.db, now: h.ctx.now, write: (t) => printed.push(t) });

    it.skipIf(!existsSync(SEED))('a new focused visit is read once, summarised, searchable, and printed once with its summary', async () => {
      const published = h.sim.publish({ urn: '80451', type: 'focused-visit', publicationDate: '2026-11-20', pdf: new Uint8Array(readFileSync(SEED)) });
      const poll = await runSweep(h.ctx.watcherDeps()); // a focused visit does not move the listing's date
      expect(poll.announced).toHaveLength(1);

      // The console waits for the letter: nothing is printed before it is read.
      expect((await announce()).printed).toBe(0);
      const deps = letterDeps(h.ctx);
      expect((await readNewLetters(deps)).read).toBe(1);
      const letter = await getLetter(h.ctx.db, poll.announced[0]!.publicationId);
      expect(letter?.status).toBe('ok');

      expect((await announce()).printed).toBe(1);
      expect(printed[0]).toContain('NEW: Wakefield');
      expect(printed[0]).toContain(published.url);
      expect(printed[0]).toMatch(/neglect/i);
      expect(printed[0]).toMatch(/care leavers/i);
      expect((await announce()).printed).toBe(0); // never twice

      // Read once: a second pass downloads nothing.
      h.sim.resetStats();
      await readNewLetters(deps);
      expect(h.sim.stats().byPath[`/v1/file/${published.fileId}`]).toBeUndefined();

      const hits = await searchLetters(h.ctx.db, 'care leavers accommodation');
      expect(hits.map((x) => x.authority)).toEqual(['Wakefield']);
    });

    it('a file link that answers HTML is stored as "not a PDF", raised as a fault, and still announced with "summary unavailable"', async () => {
      const published = h.sim.publish({ urn: '80518', type: 'inspection', publicationDate: '2026-11-20' });
      h.sim.injectFault({ kind: 'file-html', path: `/v1/file/${published.fileId}`, times: 'always' });
      await runPoll(h.ctx.watcherDeps());
      await readNewLetters(letterDeps(h.ctx));
      expect((await announce()).printed).toBe(1);
      expect(printed[0]).toContain('NEW: Wandsworth');
      expect(printed[0]).toMatch(/Summary unavailable: not a PDF: the site answered .*Report not found/i);
      const faults = await openFaults(h.ctx.db);
      expect(faults.find((f) => f.kind === 'not-a-pdf')?.subject).toBe(published.url);
    });

    it('a download that keeps failing is retried a few times, then announced with "summary unavailable"', async () => {
      const published = h.sim.publish({ urn: '80582', type: 'inspection', publicationDate: '2026-11-20' });
      h.sim.injectFault({ kind: '503', path: `/v1/file/${published.fileId}`, times: 'always' });
      await runPoll(h.ctx.watcherDeps());
      const deps = letterDeps(h.ctx);
      await readNewLetters(deps);
      expect((await announce()).printed).toBe(0); // waiting for a retry
      await readNewLetters(deps);
      await readNewLetters(deps);
      expect((await announce()).printed).toBe(1);
      expect(printed[0]).toMatch(/Summary unavailable: could not download the file/);
    });
  });
});
