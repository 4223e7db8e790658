// The Slack ChatSender against the fake Slack: parts posted with the dedupe key in their metadata,
// thread replies, error mapping (429 → rate-limited with Retry-After, channel errors → permanent, 5xx and
// network → transient), no retries inside the client, and findSent after a crash.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackSender, METADATA_EVENT_TYPE, type SlackSender } from '../../adapters/slack/slack-sender.ts';
import { singleWorkspaceTokens } from '../../adapters/slack/token-source.ts';
import type { ChannelRef } from '../../src/chat/types.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { FakeSlack } from '../fakes/fake-slack.ts';
import { wakefieldAlert } from './fixtures.ts';

describe('Slack sender', () => {
  let fake: FakeSlack;
  let sender: SlackSender;
  let team: string;
  let n = 0;
  const channel = (): ChannelRef => ({ platform: 'slack', workspace: team, channel: `C${String(++n).padStart(8, '0')}` });

  beforeAll(async () => {
    fake = await FakeSlack.start();
    const w = fake.workspace();
    team = w.teamId;
    // no spacing guard here: these tests look at single calls and at what Slack answers
    sender = createSlackSender({ tokens: singleWorkspaceTokens(w.token, () => team), logger: silentLogger, apiUrl: fake.apiUrl, minGapMs: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.clearFailures());

  it('posts an alert and its details as a thread reply, each with its dedupe key in metadata', async () => {
    const ch = channel();
    const parts = sender.prepare({ kind: 'alert', alert: wakefieldAlert() });
    expect(parts).toHaveLength(2);
    const first = await sender.sendPart(ch, parts[0], { threadRef: null, dedupeKey: 'alert:101:slack:x#0' });
    expect(first).toMatchObject({ ok: true });
    const ref = (first as { ref: string }).ref;
    fake.channelIntervalMs = 0; // the outbox paces; here we only look at what arrives
    const second = await sender.sendPart(ch, parts[1], { threadRef: ref, dedupeKey: 'alert:101:slack:x#1' });
    fake.channelIntervalMs = 1000;
    expect(second).toMatchObject({ ok: true });
    const [m1, m2] = fake.messagesIn(ch.channel);
    expect(m1!.metadata).toEqual({ event_type: METADATA_EVENT_TYPE, event_payload: { dedupe_key: 'alert:101:slack:x#0' } });
    expect(m1!.thread_ts).toBeUndefined();
    expect(m1!.text).toMatch(/Focused visit of Wakefield/);
    expect(m1!.blocks?.length).toBeGreaterThan(3);
    expect(m2!.thread_ts).toBe(ref);
    expect(m2!.metadata?.event_payload.dedupe_key).toBe('alert:101:slack:x#1');
  });

  it('maps 429 to rate-limited with Retry-After, and does not retry inside the client', async () => {
    const ch = channel();
    const part = sender.prepare({ kind: 'notice', text: 'hello' })[0];
    expect(await sender.sendPart(ch, part, { threadRef: null, dedupeKey: 'n1' })).toMatchObject({ ok: true });
    const calls = fake.counters.calls['chat.postMessage'] ?? 0;
    const started = Date.now();
    const r = await sender.sendPart(ch, part, { threadRef: null, dedupeKey: 'n2' });
    expect(r).toEqual({ ok: false, kind: 'rate-limited', retryAfterMs: 1000, message: expect.stringMatching(/ratelimited/) });
    expect(Date.now() - started).toBeLessThan(500);
    expect(fake.counters.calls['chat.postMessage']).toBe(calls + 1);
    fake.failMethod('chat.postMessage', { ratelimited: 7 }, 1);
    expect(await sender.sendPart(channel(), part, { threadRef: null, dedupeKey: 'n3' })).toMatchObject({ kind: 'rate-limited', retryAfterMs: 7000 });
  });

  it('maps channel errors to permanent with the code, and the rest to transient', async () => {
    const part = sender.prepare({ kind: 'notice', text: 'hello' })[0];
    for (const code of ['channel_not_found', 'is_archived', 'not_in_channel', 'account_inactive', 'no_permission', 'missing_scope']) {
      const ch = channel();
      fake.failChannel(ch.channel, code);
      const r = await sender.sendPart(ch, part, { threadRef: null, dedupeKey: `p-${code}` });
      expect(r).toMatchObject({ ok: false, kind: 'permanent', code });
      expect((r as { message: string }).message).toMatch(new RegExp(`^${code}: `));
    }
    let ch = channel();
    fake.failChannel(ch.channel, 'internal_error', 1);
    expect(await sender.sendPart(ch, part, { threadRef: null, dedupeKey: 't1' })).toMatchObject({ ok: false, kind: 'transient' });
    ch = channel();
    fake.failChannel(ch.channel, { status: 503 }, 1);
    expect(await sender.sendPart(ch, part, { threadRef: null, dedupeKey: 't2' })).toMatchObject({ ok: false, kind: 'transient', message: expect.stringMatching(/503/) });
    ch = channel();
    fake.failChannel(ch.channel, 'drop', 1);
    expect(await sender.sendPart(ch, part, { threadRef: null, dedupeKey: 't3' })).toMatchObject({ ok: false, kind: 'transient' });
  });

  it('keeps two posts to one channel a second apart at the wire, whatever the caller does', async () => {
    const guarded = createSlackSender({ tokens: singleWorkspaceTokens(fake.workspace().token, () => team), logger: silentLogger, apiUrl: fake.apiUrl });
    const ch = channel();
    const other = channel();
    const part = guarded.prepare({ kind: 'notice', text: 'x' })[0];
    const started = Date.now();
    const [a, b, c] = await Promise.all([
      guarded.sendPart(ch, part, { threadRef: null, dedupeKey: 'g1' }),
      guarded.sendPart(ch, part, { threadRef: null, dedupeKey: 'g2' }),
      guarded.sendPart(other, part, { threadRef: null, dedupeKey: 'g3' }),
    ]);
    expect([a, b, c].every((r) => r.ok)).toBe(true);
    const [m1, m2] = fake.messagesIn(ch.channel);
    expect(m2!.at - m1!.at).toBeGreaterThanOrEqual(950);
    expect(fake.messagesIn(other.channel)[0]!.at - started).toBeLessThan(500);
  });

  it('renders notices (with the channel they are about) and digests into parts', () => {
    const [notice] = sender.prepare({ kind: 'notice', text: 'Alerts to #old are paused: channel_not_found', about: { platform: 'slack', workspace: team, channel: 'C0000OLD1' } });
    expect(JSON.stringify(notice)).toContain('<#C0000OLD1>');
    const digest = {
      version: 1, mode: 'weekly', window: { start: '2026-03-02T08:00:00Z', end: '2026-03-09T08:00:00Z' }, windowLabel: '08:00 Monday 2 March to 08:00 Monday 9 March 2026',
      late: null, text: 'Weekly digest, 2 to 9 March: 1 publication about Wakefield', totals: { publications: 1, councils: 1, unreadable: 0, judgementChanges: 0 },
      councils: [{ urn: '80451', authority: 'Wakefield', authorityPageUrl: 'https://reports.ofsted.gov.uk/provider/44/80451', publications: [{
        id: 1, type: 'focused-visit', title: 'Focused visit', publicationDate: '2026-03-05', announcedAt: '2026-03-05T10:00:00Z', url: 'https://files.ofsted.gov.uk/v1/file/1',
        visitDates: { start: null, end: null }, letter: { status: 'ok' }, judgements: null, headline: 'Children are safe.', previousInspection: null, judgementChanges: [], republished: false,
      }] }],
      themes: [], themeFocus: null,
    } as const;
    const parts = sender.prepare({ kind: 'digest', digest: digest as never });
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(parts[0])).toContain('Wakefield');
  });

  it('treats a workspace without a token as not installed (permanent)', async () => {
    const r = await sender.sendPart({ platform: 'slack', workspace: 'TNOTOURS', channel: 'C1' }, sender.prepare({ kind: 'notice', text: 'x' })[0], { threadRef: null, dedupeKey: 'k' });
    expect(r).toMatchObject({ ok: false, kind: 'permanent', code: 'not_installed' });
  });

  it('sends refused blocks again as plain text', async () => {
    const ch = channel();
    fake.failChannel(ch.channel, 'invalid_blocks', 1);
    const r = await sender.sendPart(ch, sender.prepare({ kind: 'alert', alert: wakefieldAlert() })[0], { threadRef: null, dedupeKey: 'b1' });
    expect(r).toMatchObject({ ok: true });
    const [m] = fake.messagesIn(ch.channel);
    expect(m!.blocks).toBeUndefined();
    expect(m!.metadata?.event_payload.dedupe_key).toBe('b1');
  });

  it('findSent finds a posted message and a thread reply by their metadata, and nothing else', async () => {
    const ch = channel();
    const since = new Date(Date.now() - 5000);
    const parts = sender.prepare({ kind: 'alert', alert: wakefieldAlert() });
    const first = (await sender.sendPart(ch, parts[0], { threadRef: null, dedupeKey: 'alert:7#0' })) as { ref: string };
    fake.channelIntervalMs = 0;
    const second = (await sender.sendPart(ch, parts[1], { threadRef: first.ref, dedupeKey: 'alert:7#1' })) as { ref: string };
    await sender.sendPart(ch, sender.prepare({ kind: 'notice', text: 'other' })[0], { threadRef: null, dedupeKey: 'other' });
    fake.channelIntervalMs = 1000;
    expect(await sender.findSent!(ch, 'alert:7#0', since)).toEqual({ found: true, ref: first.ref });
    expect(await sender.findSent!(ch, 'alert:7#1', since)).toEqual({ found: true, ref: second.ref });
    expect(await sender.findSent!(ch, 'alert:7#2', since)).toEqual({ found: false });
    expect(await sender.findSent!(channel(), 'alert:7#0', since)).toEqual({ found: false });
    expect(await sender.findSent!(ch, 'alert:7#0', new Date(Date.now() + 60_000))).toEqual({ found: false });
  });

  it('findSent pages through a long history', async () => {
    const ch = channel();
    const since = new Date(Date.now() - 5000);
    fake.channelIntervalMs = 0;
    const part = sender.prepare({ kind: 'notice', text: 'n' })[0];
    await sender.sendPart(ch, part, { threadRef: null, dedupeKey: 'oldest' });
    for (let i = 0; i < 450; i++) await sender.sendPart(ch, part, { threadRef: null, dedupeKey: `filler-${i}` });
    fake.channelIntervalMs = 1000;
    expect(await sender.findSent!(ch, 'oldest', since)).toMatchObject({ found: true });
  });
});
