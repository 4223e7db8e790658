// The whole path: people subscribe by @mentioning the app in Teams; a letter appears on the simulated
// Ofsted site; the watcher finds it, the letter is read and summarised, fan-out queues a delivery, and the
// outbox worker posts it through the Teams sender (continueConversationAsync with the saved reference)
// to the fake Bot Connector — an Adaptive Card in the subscribed conversation only, exactly once.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { runPoll } from '../../src/watcher/poll.ts';
import { runSweep } from '../../src/watcher/sweep.ts';
import { readNewLetters } from '../../src/pipeline/read-new-letters.ts';
import { letterDeps } from '../../src/pipeline/letter-deps.ts';
import { fanOut } from '../../src/delivery/fan-out.ts';
import { createOutboxWorker } from '../../src/delivery/outbox-worker.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { cardOf, messageActivity, postActivity, type FakeActivity, type Place } from '../fakes/fake-bot-connector.ts';
import { cardProblems } from './validate-card.ts';
import { startTeams, TENANT_A, TENANT_B, type TeamsHarness } from './teams-harness.ts';
import { testDatabases } from '../helpers/test-database.ts';

const SEED = resolve(process.cwd(), '../shared/corpus/letters/80451-wakefield-focused-visit-2020-12-18.pdf');

describe.each(testDatabases())('$name', (database) => {
  describe('from a letter on the simulated Ofsted site to an Adaptive Card in Teams', () => {
    let h: Harness;
    let t: TeamsHarness;
    let wakefieldChannel: Place;
    let inspectionsOnly: Place;
    let leedsElsewhere: Place;

    beforeEach(async () => {
      h = await startHarness({ database, env: { TEAMS_ALLOW_UNAUTHENTICATED: 'true' } });
      t = await startTeams({ ctx: h.ctx });
      await runPoll(h.ctx.watcherDeps()); // the baseline: nothing is new yet
      wakefieldChannel = t.place({ tenant: TENANT_A, conversation: '19:childrens-services@thread.tacv2', teamId: '19:childrens-services@thread.tacv2' });
      inspectionsOnly = t.place({ tenant: TENANT_A, conversation: '19:group@thread.v2', type: 'groupChat' });
      leedsElsewhere = t.place({ tenant: TENANT_B, conversation: '19:b@thread.tacv2', teamId: '19:b@thread.tacv2' });
      for (const [place, text] of [
        [wakefieldChannel, 'subscribe Wakefield'],
        [inspectionsOnly, 'subscribe Wakefield types:inspection'],
        [leedsElsewhere, 'subscribe Leeds'],
      ] as const) {
        expect((await postActivity(t.messagesUrl, messageActivity(place, text))).status).toBe(200);
      }
    });
    afterEach(async () => {
      await t.close();
      await h.close();
    });

    const deliver = async (): Promise<Map<string, FakeActivity[]>> => {
      const before = t.fake.activities.length;
      const fanned = await fanOut({ db: h.ctx.db, directory: h.ctx.directory, now: h.ctx.now, logger: silentLogger });
      expect(fanned.deliveries).toBe(1);
      const worker = createOutboxWorker({ db: h.ctx.db, senders: new Map([['teams', t.adapter.sender]]), now: h.ctx.now, logger: silentLogger, holder: 'e2e', baseUrl: h.sim.url });
      const stats = await worker.runOnce();
      expect(stats).toMatchObject({ delivered: 1, parts: 1, failed: 0, undeliverable: 0 });
      expect((await worker.runOnce()).parts).toBe(0); // never twice
      const byConversation = new Map<string, FakeActivity[]>();
      for (const a of t.fake.activities.slice(before)) byConversation.set(a.root, [...(byConversation.get(a.root) ?? []), a]);
      return byConversation;
    };

    it('a generated focused-visit letter: read, summarised, one card in the Wakefield channel and nowhere else', async () => {
      const published = h.sim.publish({ urn: '80451', type: 'focused-visit', publicationDate: '2026-11-20' });
      const sweep = await runSweep(h.ctx.watcherDeps());
      expect(sweep.announced).toHaveLength(1);
      expect((await readNewLetters(letterDeps(h.ctx))).read).toBe(1);

      const got = await deliver();
      expect([...got.keys()]).toEqual([wakefieldChannel.conversation]);
      const [post] = got.get(wakefieldChannel.conversation)!;
      expect(post).toMatchObject({ tenant: TENANT_A, conversationId: wakefieldChannel.conversation, replyToId: null });
      const card = cardOf(post!);
      expect(cardProblems(card)).toEqual([]);
      const json = JSON.stringify(card);
      expect(json).toContain('Wakefield: Focused visit');
      expect(json).toContain(published.url);
      expect(json).toContain(`${h.sim.url}/provider/`); // the council's page on the (simulated) site
      expect(String(post!.activity.summary)).toMatch(/^New: Focused visit of Wakefield, published 20 November 2026/);
    });

    it.skipIf(!existsSync(SEED))('a real Wakefield letter: its themes reach the card', async () => {
      h.sim.publish({ urn: '80451', type: 'focused-visit', publicationDate: '2026-11-20', pdf: new Uint8Array(readFileSync(SEED)) });
      await runSweep(h.ctx.watcherDeps());
      expect((await readNewLetters(letterDeps(h.ctx))).read).toBe(1);
      const got = await deliver();
      const card = cardOf(got.get(wakefieldChannel.conversation)![0]!);
      expect(cardProblems(card)).toEqual([]);
      expect(JSON.stringify(card)).toMatch(/neglect/i);
      expect(JSON.stringify(card)).toMatch(/All themes \(\d+\)/);
    });

    it('a letter that cannot be read still reaches the channel, saying why', async () => {
      const published = h.sim.publish({ urn: '80451', type: 'focused-visit', publicationDate: '2026-11-20' });
      h.sim.injectFault({ kind: 'file-html', path: `/v1/file/${published.fileId}`, times: 'always' });
      await runSweep(h.ctx.watcherDeps());
      await readNewLetters(letterDeps(h.ctx));
      const got = await deliver();
      const card = cardOf(got.get(wakefieldChannel.conversation)![0]!);
      expect(cardProblems(card)).toEqual([]);
      expect(JSON.stringify(card)).toMatch(/Summary unavailable: not a PDF/);
    });
  });
});
