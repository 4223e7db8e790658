// The Bolt app over real signed HTTP, against the fake Slack, with an in-memory domain: /ofsted is
// acknowledged at once and answered through response_url; bad or stale signatures get 401 and change
// nothing; Home buttons act only within the clicking workspace; leaving a workspace ends its subscriptions.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blockActionBody, eventBody, FakeSlack, postSigned, slashCommandBody, signSlackRequest } from '../fakes/fake-slack.ts';
import { startAdapter, SIGNING_SECRET, type AdapterHarness } from './adapter-harness.ts';
import { memoryDomain, type MemoryDomain } from './memory-domain.ts';
import { subscription } from './fixtures.ts';
import { HOME_ACTIONS } from '../../adapters/slack/render/render-home.ts';
import { UNINSTALLED_REASON } from '../../adapters/slack/handlers/uninstall.ts';

describe('Slack app (single workspace, HTTP)', () => {
  let h: AdapterHarness;
  let domain: MemoryDomain;
  let team: string;
  let fake: FakeSlack;

  beforeAll(async () => {
    domain = memoryDomain();
    h = await startAdapter({ domain, commandTimeoutMs: 400 });
    fake = h.fake;
    team = fake.workspace().teamId;
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    domain.delayMs = 0;
  });

  let commands = 0;
  const command = (text: string, extra: { teamId?: string; channelId?: string } = {}) => {
    // an id of our own, readable in a failure
    const responseUrl = fake.responseUrl(`app-command-${++commands}`);
    const body = slashCommandBody({ teamId: extra.teamId ?? team, channelId: extra.channelId ?? 'C0000000001', text, responseUrl });
    return { body, responseUrl, id: responseUrl.split('/').pop()! };
  };
  const responseTo = (id: string, timeoutMs = 5000) => fake.waitFor(() => fake.responses.find((r) => r.id === id), timeoutMs);

  it('acknowledges a signed command and sends the reply to response_url, privately', async () => {
    const c = command('hello there');
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, c.body);
    expect(res.status).toBe(200);
    const reply = await responseTo(c.id);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', text: 'You said: hello there', replace_original: false });
    expect(domain.calls.at(-1)!.caller).toEqual({ channel: { platform: 'slack', workspace: team, channel: 'C0000000001' }, userId: 'U0000USER', userName: 'tester' });
  });

  it('subscribe: a public reply in the channel, and the app joins the public channel', async () => {
    const c = command('subscribe Wakefield', { channelId: 'C0000000777' });
    expect((await postSigned(h.eventsUrl, SIGNING_SECRET, c.body)).status).toBe(200);
    const reply = await responseTo(c.id);
    expect(reply.body.response_type).toBe('in_channel');
    expect(JSON.stringify(reply.body.blocks)).toContain('Wakefield');
    expect(domain.subscriptions.some((s) => s.channel.channel === 'C0000000777' && s.targetName === 'Wakefield')).toBe(true);
    expect(fake.joined.has(`${team}:C0000000777`)).toBe(true);
  });

  it('warns when it cannot join a private channel it is not in', async () => {
    fake.privateChannels.add('C0000PRIV1');
    fake.failChannel('C0000PRIV1', 'channel_not_found');
    const c = command('subscribe Wokingham', { channelId: 'C0000PRIV1' });
    await postSigned(h.eventsUrl, SIGNING_SECRET, c.body);
    const reply = await responseTo(c.id);
    expect(JSON.stringify(reply.body.blocks)).toMatch(/invite me with `\/invite @Ofsted Alerts`/);
    fake.clearFailures();
  });

  it('refuses a bad signature and a timestamp over 5 minutes old with 401, changing nothing', async () => {
    const before = domain.calls.length;
    const subs = domain.subscriptions.length;
    const bad = command('subscribe Leeds');
    const wrong = await postSigned(h.eventsUrl, 'not-the-signing-secret-0000000000', bad.body);
    expect(wrong.status).toBe(401);
    const tampered = await postSigned(h.eventsUrl, SIGNING_SECRET, bad.body, { signature: signSlackRequest(SIGNING_SECRET, `${bad.body}&x=1`)['x-slack-signature'] });
    expect(tampered.status).toBe(401);
    const stale = await postSigned(h.eventsUrl, SIGNING_SECRET, bad.body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(h.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: bad.body });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(domain.calls.length).toBe(before);
    expect(domain.subscriptions.length).toBe(subs);
    expect(fake.responses.some((r) => r.id === bad.id)).toBe(false);
  });

  it('acknowledges within 3 s even when the domain is slow, then answers', async () => {
    domain.delayMs = 4000;
    const c = command('take your time');
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, c.body);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect(fake.responses.some((r) => r.id === c.id)).toBe(false);
    domain.delayMs = 0;
  }, 10_000);

  it('answers a hanging domain with "took too long", and a failing one with an error', async () => {
    const hang = command('slow');
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, hang.body);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect((await responseTo(hang.id)).body.text).toMatch(/took too long/);
    const boom = command('boom');
    expect((await postSigned(h.eventsUrl, SIGNING_SECRET, boom.body)).status).toBe(200);
    const reply = await responseTo(boom.id);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.body.text)).toMatch(/Something went wrong/);
  });

  it('publishes the Home tab with this workspace’s subscriptions only', async () => {
    domain.subscriptions.push(subscription(900, { channel: { platform: 'slack', workspace: team, channel: 'C0000000900' }, targetName: 'Bradford' }));
    domain.subscriptions.push(subscription(901, { channel: { platform: 'slack', workspace: 'TOTHERTEAM', channel: 'C0000000901' }, targetName: 'Secret council' }));
    const before = fake.views.length;
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, eventBody({ teamId: team, event: { type: 'app_home_opened', user: 'U0000VIEWR', channel: 'D0000001', tab: 'home' } }));
    expect(res.status).toBe(200);
    const view = await fake.waitFor(() => fake.views.length > before && fake.views.at(-1));
    expect(view.user_id).toBe('U0000VIEWR');
    const text = JSON.stringify(view.view.blocks);
    expect(text).toContain('Bradford');
    expect(text).toContain('<#C0000000900>');
    expect(text).not.toContain('Secret council');
    expect(text).toContain(`"value":"900"`);
  });

  it('Home buttons act on this workspace’s subscription, never on another workspace’s', async () => {
    const mine = domain.subscriptions.find((s) => s.id === 900)!;
    const theirs = domain.subscriptions.find((s) => s.id === 901)!;
    let before = fake.views.length;
    // team A names team B's subscription id: nothing changes
    let res = await postSigned(h.eventsUrl, SIGNING_SECRET, blockActionBody({ teamId: team, actionId: HOME_ACTIONS.unsubscribe, value: '901' }));
    expect(res.status).toBe(200);
    let view = await fake.waitFor(() => fake.views.length > before && fake.views.at(-1));
    expect(theirs.status).toBe('active');
    expect(JSON.stringify(view.view.blocks)).toContain('no longer there');
    // its own: paused, and the view shows Resume
    before = fake.views.length;
    res = await postSigned(h.eventsUrl, SIGNING_SECRET, blockActionBody({ teamId: team, userId: 'U0000CLICK', actionId: HOME_ACTIONS.pause, value: '900' }));
    expect(res.status).toBe(200);
    view = await fake.waitFor(() => fake.views.length > before && fake.views.at(-1));
    expect(mine.status).toBe('paused');
    expect(mine.statusReason).toBe('pause by U0000CLICK');
    expect(JSON.stringify(view.view.blocks)).toContain(HOME_ACTIONS.resume);
    // garbage ids are ignored
    res = await postSigned(h.eventsUrl, SIGNING_SECRET, blockActionBody({ teamId: team, actionId: HOME_ACTIONS.pause, value: '-1; drop table' }));
    expect(res.status).toBe(200);
  });

  it('acknowledges clicks on link buttons (letter, council page, digest letters) without doing anything', async () => {
    const before = fake.views.length;
    for (const actionId of ['ofsted_open_letter', 'ofsted_open_council', 'ofsted_digest_letter_42']) {
      const res = await postSigned(h.eventsUrl, SIGNING_SECRET, blockActionBody({ teamId: team, actionId, value: '' }));
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(1000);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.views.length).toBe(before);
  });

  it('app_uninstalled ends the workspace’s subscriptions with the reason, and only those', async () => {
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, eventBody({ teamId: team, event: { type: 'app_uninstalled' } }));
    expect(res.status).toBe(200);
    await fake.waitFor(() => domain.ended.length > 0 || undefined, 3000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(domain.ended).toEqual([{ platform: 'slack', workspace: team, reason: UNINSTALLED_REASON }]);
    expect(domain.subscriptions.filter((s) => s.channel.workspace === team).every((s) => s.status === 'ended' && s.statusReason === UNINSTALLED_REASON)).toBe(true);
    expect(domain.subscriptions.find((s) => s.id === 901)!.status).toBe('active');
  });
});

describe('Slack app (OAuth installs)', () => {
  let h: AdapterHarness;
  let domain: MemoryDomain;

  beforeAll(async () => {
    domain = memoryDomain();
    h = await startAdapter({ domain, mode: 'oauth' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('installs a workspace through /slack/install and /slack/oauth_redirect, encrypted; then commands work and tokens_revoked removes it', async () => {
    const start = await fetch(`${h.baseUrl}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location')!);
    expect(location.origin).toBe('https://slack.com');
    expect(location.searchParams.get('scope')).toBe('commands,chat:write,channels:join,channels:history,groups:history,im:history');
    const state = location.searchParams.get('state')!;
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const grant = h.fake.grantOAuth('code-123', { teamId: 'TINSTALLED', teamName: 'Installed Council Workspace' });

    const done = await fetch(`${h.baseUrl}/slack/oauth_redirect?code=code-123&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Ofsted Alerts is installed');
    const rows = await h.store!.db.selectFrom('slack_installations').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.team_id).toBe('TINSTALLED');
    expect(JSON.stringify(rows)).not.toContain(grant.token);
    expect(await h.adapter.installationStore!.botTokenFor('TINSTALLED')).toBe(grant.token);

    const responseUrl = h.fake.responseUrl('oauth-installed-hello');
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, slashCommandBody({ teamId: 'TINSTALLED', channelId: 'C0000000001', text: 'hello', responseUrl }));
    expect(res.status).toBe(200);
    await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === responseUrl.split('/').pop()));

    // a workspace without an installation: acknowledged, nothing done
    const calls = domain.calls.length;
    await postSigned(h.eventsUrl, SIGNING_SECRET, slashCommandBody({ teamId: 'TNEVERINSTALLED', channelId: 'C1', text: 'hello', responseUrl: h.fake.responseUrl() }));
    await new Promise((r) => setTimeout(r, 150));
    expect(domain.calls.length).toBe(calls);

    // a user token revoked: nothing changes; the bot token revoked: the workspace is left
    await postSigned(h.eventsUrl, SIGNING_SECRET, eventBody({ teamId: 'TINSTALLED', event: { type: 'tokens_revoked', tokens: { oauth: ['UINSTALLER'] } } }));
    await new Promise((r) => setTimeout(r, 150));
    expect(domain.ended).toEqual([]);
    await postSigned(h.eventsUrl, SIGNING_SECRET, eventBody({ teamId: 'TINSTALLED', event: { type: 'tokens_revoked', tokens: { bot: ['UBOT'] } } }));
    await new Promise((r) => setTimeout(r, 150));
    expect(domain.ended).toEqual([{ platform: 'slack', workspace: 'TINSTALLED', reason: expect.stringMatching(/^tokens_revoked: /) }]);
    expect(await h.store!.db.selectFrom('slack_installations').selectAll().execute()).toEqual([]);
  });
});

describe('Slack app (Socket Mode)', () => {
  it('builds a Socket Mode app from an xapp- token, with no signing secret needed', async () => {
    const { createSlackApp } = await import('../../adapters/slack/slack-app.ts');
    const { slackSettings } = await import('../../adapters/slack/slack-settings.ts');
    const { slackTestConfig } = await import('./adapter-harness.ts');
    const { silentLogger } = await import('../../src/log/logger.ts');
    const settings = slackSettings({ ...slackTestConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-socket', SLACK_APP_TOKEN: 'xapp-1-A111-222-abc' }), SLACK_SIGNING_SECRET: undefined });
    expect(settings.receiver).toBe('socket');
    const app = createSlackApp({ settings, domain: memoryDomain(), logger: silentLogger, bot: { botId: 'B1', botUserId: 'U1' } });
    expect(app).toBeDefined();
  });
});
