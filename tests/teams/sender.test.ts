// The Teams ChatSender through the real CloudAdapter (its connector client's credentials; direct-post.ts) against the fake Bot
// Connector: where parts land, what each failure becomes for the outbox, the limits honoured without a
// single 429, a 429 honoured and retried by the outbox, a permanent error pausing the subscription with
// its reason, an over-long letter split, a refused card re-sent as text.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/chat/types.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { fanOut } from '../../src/delivery/fan-out.ts';
import { createOutboxWorker } from '../../src/delivery/outbox-worker.ts';
import { createSubscriptions, rememberChannel } from '../../src/subscriptions/index.ts';
import { serializeConversation } from '../../adapters/teams/conversation.ts';
import { renderAlertParts } from '../../adapters/teams/render/render-alert.ts';
import { MESSAGE_BUDGET_BYTES, sizeOf } from '../../adapters/teams/render/parts.ts';
import { removeRetryPolicy } from '../../adapters/teams/teams-auth.ts';
import { cardOf, TEAMS_CONVERSATION_WINDOWS, type FakeActivity } from '../fakes/fake-bot-connector.ts';
import { cardProblems } from './validate-card.ts';
import { startFakeProcess } from './fake-process.ts';
import { okLetter, seedPublications, teamsConversation, wakefieldAlert } from './fixtures.ts';
import { startTeams, subs, TENANT_A, TENANT_B, type TeamsHarness } from './teams-harness.ts';

const CHANNEL = '19:alerts@thread.tacv2';
const CHAT = '19:meeting-chat@thread.v2';

describe('Teams sender', () => {
  let h: TeamsHarness;
  const channel: ChannelRef = { platform: 'teams', workspace: TENANT_A, channel: CHANNEL };
  const chat: ChannelRef = { platform: 'teams', workspace: TENANT_A, channel: CHAT };

  beforeAll(async () => {
    h = await startTeams();
    const now = new Date();
    await rememberChannel(h.ctx.db, channel, now, serializeConversation(teamsConversation(h.fake.serviceUrl, TENANT_A, CHANNEL, '19:team@thread.tacv2')));
    await rememberChannel(h.ctx.db, chat, now, serializeConversation(teamsConversation(h.fake.serviceUrl, TENANT_A, CHAT, null)));
  });
  afterAll(async () => h.close());
  afterEach(() => h.fake.clearFailures());

  const sender = () => h.adapter.sender;
  const send = (to: ChannelRef, threadRef: string | null = null, part = renderAlertParts(wakefieldAlert())[0]!) => sender().sendPart(to, part, { threadRef, dedupeKey: 'k#0' });

  it('posts a card proactively into the saved conversation; a later part goes into its thread', async () => {
    const before = h.fake.activities.length;
    const first = await send(channel);
    expect(first).toMatchObject({ ok: true });
    const ref = (first as { ref: string }).ref;
    const second = await send(channel, ref);
    expect(second).toMatchObject({ ok: true });
    const [a, b] = h.fake.activities.slice(before) as [FakeActivity, FakeActivity];
    expect(a).toMatchObject({ conversationId: CHANNEL, replyToId: null, threadId: null, tenant: TENANT_A, authorization: null });
    expect(a.id).toBe(ref);
    expect(cardProblems(cardOf(a))).toEqual([]);
    expect(b).toMatchObject({ root: CHANNEL, conversationId: `${CHANNEL};messageid=${ref}`, replyToId: ref, threadId: ref });
  });

  it('in a group chat there are no threads: a later part is just the next message', async () => {
    const before = h.fake.activities.length;
    await send(chat);
    await send(chat, 'whatever');
    const [, b] = h.fake.activities.slice(before);
    expect(b).toMatchObject({ conversationId: CHAT, replyToId: null });
  });

  it('the SDK itself never retries: one request per sendPart, whatever Teams answers', async () => {
    h.fake.failConversation(CHANNEL, { status: 503 }, 1);
    const posts = h.fake.counters.posts;
    expect(await send(channel)).toMatchObject({ ok: false, kind: 'transient' });
    expect(h.fake.counters.posts - posts).toBe(1);
    expect(removeRetryPolicy({})).toBe(false);
  });

  it.each([
    [{ status: 429, retryAfterS: 3 }, { ok: false, kind: 'rate-limited', retryAfterMs: 3000 }],
    [{ status: 503, retryAfterS: 2 }, { ok: false, kind: 'rate-limited', retryAfterMs: 2000 }],
    [{ status: 502 }, { ok: false, kind: 'transient' }],
    [{ status: 504 }, { ok: false, kind: 'transient' }],
    [{ status: 412, code: 'PreconditionFailed' }, { ok: false, kind: 'transient' }],
    [{ status: 500 }, { ok: false, kind: 'transient' }],
    [{ status: 401, code: 'Unauthorized' }, { ok: false, kind: 'transient' }],
    [{ status: 403, code: 'BotNotInConversationRoster' }, { ok: false, kind: 'permanent', code: 'bot_removed' }],
    [{ status: 403, code: 'BotDisabledByAdmin' }, { ok: false, kind: 'permanent', code: 'bot_blocked' }],
    [{ status: 403, code: 'Forbidden' }, { ok: false, kind: 'permanent', code: 'forbidden' }],
    [{ status: 404, code: 'ConversationNotFound' }, { ok: false, kind: 'permanent', code: 'conversation_not_found' }],
    ['drop' as const, { ok: false, kind: 'transient' }],
  ])('Teams answers %j → %j', async (failure, expected) => {
    h.fake.failConversation(CHANNEL, failure, 1);
    expect(await send(channel)).toMatchObject(expected);
  });

  it('a 429 without Retry-After: our own backoff, doubling, with jitter', async () => {
    expect(await send(channel)).toMatchObject({ ok: true }); // a success resets the count
    h.fake.failConversation(CHANNEL, { status: 429 }, 2);
    const one = (await send(channel)) as { retryAfterMs: number };
    const two = (await send(channel)) as { retryAfterMs: number };
    expect(one.retryAfterMs).toBeGreaterThanOrEqual(500);
    expect(one.retryAfterMs).toBeLessThanOrEqual(1000);
    expect(two.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(two.retryAfterMs).toBeLessThanOrEqual(2000);
    expect(await send(channel)).toMatchObject({ ok: true });
  });

  it('a card Teams refuses (400, 413) is sent again as plain text, once', async () => {
    for (const status of [400, 413]) {
      h.fake.failConversation(CHANNEL, { status, code: status === 413 ? 'MessageSizeTooBig' : 'BadArgument' }, 1);
      const before = h.fake.activities.length;
      expect(await send(channel)).toMatchObject({ ok: true });
      const got = h.fake.activities.slice(before);
      expect(got).toHaveLength(1);
      expect(got[0]!.activity.attachments).toBeUndefined();
      expect(String(got[0]!.activity.text)).toContain('Wakefield: Focused visit');
      expect(String(got[0]!.activity.text)).toContain('Headline findings');
    }
    h.fake.failConversation(CHANNEL, { status: 400 }, 2);
    expect(await send(channel)).toMatchObject({ ok: false, kind: 'transient' });
  });

  it('a conversation without a saved reference is unreachable until someone speaks there', async () => {
    const unknown: ChannelRef = { platform: 'teams', workspace: TENANT_A, channel: '19:never-seen@thread.tacv2' };
    expect(await send(unknown)).toMatchObject({ ok: false, kind: 'permanent', code: 'no_conversation_reference' });
  });

  it('an over-long letter: every part under 80 KB and accepted by the fake (which refuses over 100 KB)', async () => {
    const long = `${'Children wait too long for a plan, and managers do not always see it. '.repeat(60)}`;
    const parts = renderAlertParts(wakefieldAlert(okLetter({ overview: Array.from({ length: 60 }, (_, i) => `${i} ${long}`) })));
    expect(parts.length).toBeGreaterThan(1);
    let thread: string | null = null;
    for (const [i, part] of parts.entries()) {
      expect(sizeOf(part.activity)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
      const r = await sender().sendPart(channel, part, { threadRef: i === 0 ? null : thread, dedupeKey: `long#${i}` });
      expect(r).toMatchObject({ ok: true });
      if (i === 0) thread = (r as { ref: string }).ref;
    }
    expect(h.fake.counters.tooBig).toBe(0);
  });

  it('20 messages to one conversation and 60 across one tenant at once: within every limit, no 429', async () => {
    // the fake in its own process, so that it notes arrivals when they happen, not when this busy loop lets it
    const far = await startFakeProcess();
    try {
      const now = new Date();
      const channels: ChannelRef[] = [];
      for (let i = 0; i < 60; i++) {
        const c: ChannelRef = { platform: 'teams', workspace: TENANT_B, channel: `19:burst-${i}@thread.tacv2` };
        await rememberChannel(h.ctx.db, c, now, serializeConversation(teamsConversation(far.serviceUrl, TENANT_B, c.channel, '19:burst-team@thread.tacv2')));
        channels.push(c);
      }
      const part = renderAlertParts(wakefieldAlert())[0]!;
      const burst = Array.from({ length: 20 }, () => sender().sendPart(channels[0]!, part, { threadRef: null, dedupeKey: 'b' }));
      const spread = channels.slice(1).map((c) => sender().sendPart(c, part, { threadRef: null, dedupeKey: 's' }));
      const [burstResults, spreadResults] = [await Promise.all(burst), await Promise.all(spread)];
      // the burst's later messages are held back by us (rate-limited, for the outbox to send later) rather
      // than sent into a 429; the tenant's other conversations are not held up by it
      expect(spreadResults.filter((r) => !r.ok)).toEqual([]);
      const sentNow = burstResults.filter((r) => r.ok).length;
      expect(sentNow).toBeGreaterThanOrEqual(8);
      expect(sentNow).toBeLessThan(20);
      for (const r of burstResults.filter((x) => !x.ok)) expect(r).toMatchObject({ kind: 'rate-limited', retryAfterMs: expect.any(Number) });
      const { arrivals, counters } = await far.snapshot();
      expect(counters.rateLimited).toBe(0);
      expect(arrivals).toHaveLength(59 + sentNow);
      const times = arrivals.filter((a) => a.root === channels[0]!.channel).map((a) => a.at);
      for (const w of TEAMS_CONVERSATION_WINDOWS) for (let i = w.limit; i < times.length; i++) expect(times[i]! - times[i - w.limit]!).toBeGreaterThanOrEqual(w.spanMs);
      const tenantTimes = arrivals.map((a) => a.at).sort((a, b) => a - b);
      for (let i = 50; i < tenantTimes.length; i++) expect(tenantTimes[i]! - tenantTimes[i - 50]!).toBeGreaterThanOrEqual(1000);
    } finally {
      await far.close();
    }
  });
});

describe('Teams sender in the outbox', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeams();
  });
  afterAll(async () => h.close());

  const worker = () => createOutboxWorker({ db: h.ctx.db, senders: new Map([['teams', h.adapter.sender]]), now: () => new Date(), logger: silentLogger, holder: 'test', idleMs: 100 });

  it('a 429 with Retry-After is honoured, the alert goes once; a removed bot pauses the subscription with the reason', async () => {
    const now = new Date();
    const ok: ChannelRef = { platform: 'teams', workspace: TENANT_A, channel: '19:ok@thread.tacv2' };
    const gone: ChannelRef = { platform: 'teams', workspace: TENANT_A, channel: '19:gone@thread.tacv2' };
    for (const c of [ok, gone]) {
      await rememberChannel(h.ctx.db, c, now, serializeConversation(teamsConversation(h.fake.serviceUrl, TENANT_A, c.channel, '19:t@thread.tacv2')));
      await createSubscriptions(h.ctx.db, { channel: c, createdBy: 'seed', targets: [{ target: { kind: 'authority', urn: '80451' }, name: 'Wakefield' }], types: [], themes: [], now });
    }
    // the reachable channel must have had a delivery for the paused notice to go there
    await h.ctx.db.updateTable('channels').set({ last_delivered_at: now.toISOString() }).where('channel', '=', ok.channel).execute();
    await seedPublications(h.ctx.db, 1, now);
    expect((await fanOut({ db: h.ctx.db, directory: h.ctx.directory, now: () => new Date(), logger: silentLogger })).deliveries).toBe(2);

    h.fake.failConversation(ok.channel, { status: 429, retryAfterS: 1 }, 1);
    h.fake.failConversation(gone.channel, { status: 403, code: 'BotNotInConversationRoster' });
    const started = Date.now();
    // one pass: the 429'd channel is taken again once its Retry-After is near (the outbox's horizon)
    const stats = await worker().runOnce();
    expect(stats).toMatchObject({ rateLimited: 1, undeliverable: 1, delivered: 2 });
    await h.fake.waitFor(() => h.fake.activitiesIn(ok.channel).length >= 2, 10_000); // the alert, then the notice about the other channel
    const inOk = h.fake.activitiesIn(ok.channel);
    // the notice (due at once) may overtake the alert that waits for Retry-After: the outbox serves by due time
    const summaries = inOk.map((a) => String(a.activity.summary));
    expect(summaries).toHaveLength(2);
    expect(summaries).toEqual(expect.arrayContaining([expect.stringMatching(/^New: .* of Wakefield/), expect.stringMatching(/could not post in the Teams conversation 19:gone@thread\.tacv2 \(bot_removed: the app is no longer in this conversation/)]));
    // in Teams' words: a mention, not Slack's /ofsted command or its archived channels
    const notice = JSON.stringify(inOk.find((a) => String(a.activity.summary).includes('could not post'))!.activity);
    expect(notice).toMatch(/add it back to that team or chat.*mention the app there with `?resume/);
    expect(notice).not.toMatch(/unarchive|\/ofsted|\/invite/);
    const alertAt = inOk.find((a) => String(a.activity.summary).startsWith('New:'))!.at;
    expect(alertAt - started).toBeGreaterThanOrEqual(950);
    const rows = await subs(h.ctx);
    expect(rows.find((s) => s.channel === gone.channel)).toMatchObject({ status: 'paused', status_reason: expect.stringMatching(/^bot_removed: the app is no longer in this conversation .*403 BotNotInConversationRoster/) });
    expect(rows.find((s) => s.channel === ok.channel)).toMatchObject({ status: 'active' });
    expect(h.fake.activitiesIn(gone.channel)).toHaveLength(0);
  });
});
