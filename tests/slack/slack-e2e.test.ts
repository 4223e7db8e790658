// End to end with the real domain: signed /ofsted commands change the store and answer at response_url;
// Home buttons act within the workspace only; app_uninstalled ends the workspace's subscriptions with the
// reason; a publication fans out and the real outbox worker delivers it through the Slack sender, the
// details threaded under the alert, each part findable by its dedupe key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { fanOut } from '../../src/delivery/fan-out.ts';
import { createOutboxWorker } from '../../src/delivery/outbox-worker.ts';
import { UNINSTALLED_REASON } from '../../adapters/slack/handlers/uninstall.ts';
import { HOME_ACTIONS } from '../../adapters/slack/render/render-home.ts';
import { blockActionBody, eventBody, FakeSlack, postSigned, slashCommandBody } from '../fakes/fake-slack.ts';
import { slackTestConfig, startAdapter, SIGNING_SECRET, type AdapterHarness } from './adapter-harness.ts';
import { seedPublications } from './seed-morning.ts';

describe('Slack adapter with the real domain', () => {
  let fake: FakeSlack;
  let ctx: AppContext;
  let h: AdapterHarness;
  let team: string;

  beforeAll(async () => {
    fake = await FakeSlack.start({ workspaces: [{ teamId: 'TWAKEFLD1' }, { teamId: 'TOTHERWS2' }] });
    team = 'TWAKEFLD1';
    ctx = await createContext(slackTestConfig({ SLACK_BOT_TOKEN: fake.workspace(team).token, SLACK_API_URL: fake.apiUrl }), { logger: silentLogger });
    h = await startAdapter({ ctx, fake });
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
    await fake.close();
  });

  let commands = 0;
  const run = async (text: string, opts: { teamId?: string; channelId?: string } = {}) => {
    // an id of our own, readable in a failure
    const responseUrl = fake.responseUrl(`e2e-command-${++commands}`);
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, slashCommandBody({ teamId: opts.teamId ?? team, channelId: opts.channelId ?? 'C0000000001', text, responseUrl }));
    expect(res.status).toBe(200);
    const id = responseUrl.split('/').pop()!;
    return (await fake.waitFor(() => fake.responses.find((r) => r.id === id))).body as { response_type: string; text: string; blocks: unknown[] };
  };
  const subs = () => ctx.db.selectFrom('subscriptions').selectAll().orderBy('id').execute();

  it('`subscribe Wakefield` creates a subscription and the reply arrives at response_url', async () => {
    const reply = await run('subscribe Wakefield');
    expect(JSON.stringify(reply)).toContain('Wakefield');
    const rows = await subs();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: 'slack', workspace: team, channel: 'C0000000001', target_kind: 'authority', target_value: '80451', status: 'active', created_by: 'U0000USER' });
    expect(fake.joined.has(`${team}:C0000000001`)).toBe(true);
    const list = await run('list');
    expect(list.response_type).toBe('ephemeral');
    expect(JSON.stringify(list.blocks)).toContain('Wakefield');
    const typo = await run('subscribe Wakfield');
    expect(JSON.stringify(typo)).toMatch(/Wakefield/);
    expect(await subs()).toHaveLength(1);
  });

  it('a bad signature changes nothing', async () => {
    const body = slashCommandBody({ teamId: team, channelId: 'C0000000001', text: 'subscribe Leeds', responseUrl: fake.responseUrl() });
    expect((await postSigned(h.eventsUrl, 'wrong-secret-000000000000000000', body)).status).toBe(401);
    expect((await postSigned(h.eventsUrl, SIGNING_SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect((await subs()).map((s) => s.target_name)).toEqual(['Wakefield']);
  });

  it('Home: lists the workspace, pauses from a button, and ignores another workspace naming the id', async () => {
    await run('subscribe Leeds', { teamId: 'TOTHERWS2', channelId: 'C0000000099' });
    const [wakefield, leeds] = await subs();
    let before = fake.views.length;
    await postSigned(h.eventsUrl, SIGNING_SECRET, eventBody({ teamId: team, event: { type: 'app_home_opened', user: 'U0000USER', channel: 'D1', tab: 'home' } }));
    let view = await fake.waitFor(() => fake.views.length > before && fake.views.at(-1));
    expect(JSON.stringify(view.view.blocks)).toContain('Wakefield');
    expect(JSON.stringify(view.view.blocks)).not.toContain('Leeds');

    before = fake.views.length;
    await postSigned(h.eventsUrl, SIGNING_SECRET, blockActionBody({ teamId: team, actionId: HOME_ACTIONS.unsubscribe, value: String(leeds!.id) }));
    view = await fake.waitFor(() => fake.views.length > before && fake.views.at(-1));
    expect((await subs()).find((s) => s.id === leeds!.id)).toMatchObject({ status: 'active', status_reason: null });

    before = fake.views.length;
    await postSigned(h.eventsUrl, SIGNING_SECRET, blockActionBody({ teamId: team, userId: 'U0000CLICK', actionId: HOME_ACTIONS.pause, value: String(wakefield!.id) }));
    view = await fake.waitFor(() => fake.views.length > before && fake.views.at(-1));
    expect((await subs()).find((s) => s.id === wakefield!.id)).toMatchObject({ status: 'paused', status_reason: 'paused by U0000CLICK' });
    expect(JSON.stringify(view.view.blocks)).toContain('Paused Wakefield.');

    before = fake.views.length;
    await postSigned(h.eventsUrl, SIGNING_SECRET, blockActionBody({ teamId: team, userId: 'U0000CLICK', actionId: HOME_ACTIONS.resume, value: String(wakefield!.id) }));
    await fake.waitFor(() => fake.views.length > before && fake.views.at(-1));
    expect((await subs()).find((s) => s.id === wakefield!.id)).toMatchObject({ status: 'active' });
  });

  it('a publication reaches the channel through fan-out and the outbox: alert, then details in its thread', async () => {
    const [publicationId] = await seedPublications(ctx.db, 1, new Date());
    const fanned = await fanOut({ db: ctx.db, directory: ctx.directory, now: ctx.now, logger: silentLogger });
    expect(fanned.deliveries).toBe(1);
    const worker = createOutboxWorker({ db: ctx.db, senders: new Map([['slack', h.adapter.sender]]), now: ctx.now, logger: silentLogger, holder: 'test' });
    const stats = await worker.runOnce();
    expect(stats).toMatchObject({ delivered: 1, parts: 2 });
    const [alert, details] = fake.messagesIn('C0000000001', team);
    expect(alert!.text).toMatch(/Wakefield/);
    expect(details!.thread_ts).toBe(alert!.ts);
    const key = alert!.metadata!.event_payload.dedupe_key as string;
    expect(key).toBe(`alert:${publicationId}:slack:${team}:C0000000001#0`);
    expect(await h.adapter.sender.findSent!({ platform: 'slack', workspace: team, channel: 'C0000000001' }, key, new Date(Date.now() - 60_000))).toEqual({ found: true, ref: alert!.ts });
  });

  it('app_uninstalled ends every subscription of the workspace with the reason', async () => {
    await run('subscribe Wokingham', { channelId: 'C0000000002' });
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, eventBody({ teamId: team, event: { type: 'app_uninstalled' } }));
    expect(res.status).toBe(200);
    const ended = async () => (await subs()).filter((s) => s.workspace === team);
    await fake.waitFor(() => true);
    for (let i = 0; i < 50 && (await ended()).some((s) => s.status !== 'ended'); i++) await new Promise((r) => setTimeout(r, 20));
    const mine = await ended();
    expect(mine.length).toBe(2);
    for (const s of mine) expect(s).toMatchObject({ status: 'ended', status_reason: UNINSTALLED_REASON });
    expect((await subs()).filter((s) => s.workspace === 'TOTHERWS2').every((s) => s.status === 'active')).toBe(true);
  });
});
