// Activities POSTed to /api/messages as Teams sends them, with the real domain behind: every command by
// @mention in a channel, in a group chat and in a personal chat; installs (reference saved, one hello);
// removals (a chat's subscriptions end; a team's, for every channel of the team); channel and team
// deletion; card buttons (Action.Submit and Action.Execute) acting only within the same tenant and
// conversation; a slow command answered later; every reply a valid card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller, Reply } from '../../src/chat/types.ts';
import { createTeamsDomain } from '../../adapters/teams/domain-wiring.ts';
import type { TeamsDomain } from '../../adapters/teams/teams-domain.ts';
import { WORKING_TEXT } from '../../adapters/teams/teams-bot.ts';
import { parseStoredConversation } from '../../adapters/teams/conversation.ts';
import {
  ALICE,
  BOT,
  cardOf,
  channelDeleted,
  executeActivity,
  installationUpdate,
  membersAdded,
  membersRemoved,
  messageActivity,
  postActivity,
  submitActivity,
  type FakeActivity,
  type Place,
} from '../fakes/fake-bot-connector.ts';
import { cardProblems } from './validate-card.ts';
import { seedPublications } from './fixtures.ts';
import { startTeams, subs, TENANT_A, TENANT_B, type TeamsHarness } from './teams-harness.ts';

const TEAM = '19:team-general@thread.tacv2';
const OTHER_CHANNEL = '19:team-other@thread.tacv2';

describe('Teams bot with the real domain', () => {
  let h: TeamsHarness;
  let general: Place;
  let other: Place;
  let chat: Place;
  let personal: Place;
  let elsewhere: Place;

  beforeAll(async () => {
    h = await startTeams();
    general = h.place({ tenant: TENANT_A, conversation: TEAM, teamId: TEAM, teamName: 'Children’s services' });
    other = h.place({ tenant: TENANT_A, conversation: OTHER_CHANNEL, teamId: TEAM, teamName: 'Children’s services' });
    chat = h.place({ tenant: TENANT_A, conversation: '19:group@thread.v2', type: 'groupChat' });
    personal = h.place({ tenant: TENANT_A, conversation: 'a:1personal', type: 'personal' });
    elsewhere = h.place({ tenant: TENANT_B, conversation: '19:b-general@thread.tacv2', teamId: '19:b-general@thread.tacv2' });
    await seedPublications(h.ctx.db, 3, new Date()); // Wakefield, Barking and Dagenham, Barnet, with letters
  });
  afterAll(async () => h.close());

  /** posts a message (in a channel: in a thread of its own, as Teams does) and returns the replies it got */
  const say = async (place: Place, text: string, opts: { from?: typeof ALICE } = {}): Promise<FakeActivity[]> => {
    const before = h.fake.activities.length;
    const threaded = place.teamId ? { ...place, conversation: `${place.conversation};messageid=${Date.now()}${Math.floor(Math.random() * 1000)}` } : place;
    const res = await postActivity(h.messagesUrl, messageActivity(threaded, text, opts));
    expect(res.status).toBe(200);
    const replies = h.fake.activities.slice(before);
    for (const r of replies) {
      expect(cardProblems(cardOf(r))).toEqual([]);
      expect(r.root).toBe(place.conversation);
      if (place.teamId) expect(r.conversationId).toBe(threaded.conversation); // in the thread that asked
    }
    return replies;
  };
  const words = (replies: FakeActivity[]) => replies.map((r) => JSON.stringify(r.activity)).join('\n');

  it('install in a team: the reference is saved (with the team) and the app says hello once', async () => {
    const before = h.fake.activities.length;
    expect((await postActivity(h.messagesUrl, installationUpdate(general, 'add'))).status).toBe(200);
    expect((await postActivity(h.messagesUrl, membersAdded(general, [BOT]))).status).toBe(200); // Teams sends both
    const hello = h.fake.activities.slice(before);
    expect(hello).toHaveLength(1);
    expect(cardProblems(cardOf(hello[0]!))).toEqual([]);
    expect(JSON.stringify(hello[0]!.activity)).toContain("Hello! I'm Ofsted Alerts");
    const row = await h.ctx.db.selectFrom('channels').selectAll().where('channel', '=', TEAM).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ platform: 'teams', workspace: TENANT_A });
    expect(parseStoredConversation(row.conversation_ref)).toMatchObject({ teamId: TEAM, scope: 'team', reference: { serviceUrl: h.fake.serviceUrl, conversation: { id: TEAM, tenantId: TENANT_A } } });
  });

  it('a person joining the team is not the app being added: no hello', async () => {
    const before = h.fake.activities.length;
    expect((await postActivity(h.messagesUrl, membersAdded(general, [{ id: '29:bob', name: 'Bob' }]))).status).toBe(200);
    expect(h.fake.activities.length).toBe(before);
  });

  it('@Ofsted subscribe Wakefield in a channel: subscribed, the mention stripped, the reply in the thread', async () => {
    const replies = await say(general, 'subscribe Wakefield');
    expect(replies).toHaveLength(1);
    expect(words(replies)).toMatch(/now follows Wakefield/);
    expect(await subs(h.ctx)).toEqual([expect.objectContaining({ platform: 'teams', workspace: TENANT_A, channel: TEAM, target_value: '80451', status: 'active', created_by: ALICE.aadObjectId })]);
  });

  it('every command of the grammar answers with a valid card', async () => {
    const cases: [string, RegExp][] = [
      ['help', /subscribe Wakefield/],
      ['help themes', /care-leavers/],
      ['list', /Wakefield/],
      ['subscribe Wakfield', /Wakefield/], // a typo: the domain suggests, nothing changes
      ['subscribe region:"Yorkshire and the Humber" types:inspection', /Yorkshire and the Humber/],
      ['latest Wakefield', /Wakefield/],
      ['history Wakefield', /Wakefield/],
      ['themes Wakefield', /Children in care/],
      ['search social workers', /social workers|No letter|nothing/i],
      ['digest weekly monday 09:00', /weekly/i],
      ['digest off', /alert/i],
      ['pause Wakefield', /Paused Wakefield/],
      ['resume', /Resumed/],
      ['unsubscribe region:"Yorkshire and the Humber"', /no longer follows Yorkshire/],
      ['frobnicate', /don't know the command/],
      ['', /subscribe/], // a bare mention: help
    ];
    for (const [text, expected] of cases) {
      const replies = await say(general, text);
      expect(replies.length, text).toBeGreaterThan(0);
      expect(words(replies), text).toMatch(expected);
    }
    expect((await subs(h.ctx)).filter((s) => s.status !== 'ended').map((s) => s.target_name)).toEqual(['Wakefield']);
  });

  it('a personal chat needs no mention; a group chat is a conversation of its own', async () => {
    expect(words(await say(personal, 'subscribe Barnet'))).toMatch(/now follows Barnet/);
    expect(words(await say(chat, 'subscribe Barnsley'))).toMatch(/now follows Barnsley/);
    const live = (await subs(h.ctx)).filter((s) => s.status === 'active');
    expect(live.map((s) => [s.channel, s.target_name])).toEqual([
      [TEAM, 'Wakefield'],
      ['a:1personal', 'Barnet'],
      ['19:group@thread.v2', 'Barnsley'],
    ]);
  });

  it('tenants never see each other: another tenant lists nothing and cannot act on our ids', async () => {
    const list = words(await say(elsewhere, 'list'));
    expect(list).toMatch(/follows nothing yet/);
    expect(list).not.toContain('subscriptionId');
    const wakefield = (await subs(h.ctx)).find((s) => s.target_name === 'Wakefield')!;
    const before = h.fake.activities.length;
    await postActivity(h.messagesUrl, submitActivity(elsewhere, { ofsted: { action: 'unsubscribe', subscriptionId: wakefield.id } }));
    expect(words(h.fake.activities.slice(before))).toMatch(/not one of this conversation's/);
    expect((await subs(h.ctx)).find((s) => s.id === wakefield.id)).toMatchObject({ status: 'active' });
  });

  it('the same tenant, another conversation: a button naming our subscription changes nothing', async () => {
    const wakefield = (await subs(h.ctx)).find((s) => s.target_name === 'Wakefield')!;
    await postActivity(h.messagesUrl, submitActivity(chat, { ofsted: { action: 'pause', subscriptionId: wakefield.id } }));
    expect((await subs(h.ctx)).find((s) => s.id === wakefield.id)).toMatchObject({ status: 'active' });
  });

  it('the tenant said only in channelData.tenant.id is found; no tenant at all: nothing is done', async () => {
    const onlyChannelData = { ...general, tenantIn: 'channelData' as const };
    expect(words(await say(onlyChannelData, 'list'))).toContain('Wakefield');
    const res = await postActivity(h.messagesUrl, { ...messageActivity(general, 'subscribe Leeds'), conversation: { id: TEAM, conversationType: 'channel' }, channelData: {} });
    expect(res.status).toBe(200);
    expect((await subs(h.ctx)).some((s) => s.target_name === 'Leeds')).toBe(false);
  });

  it('alert buttons (Action.Submit): Pause, then Unsubscribe, act on this conversation only', async () => {
    const before = h.fake.activities.length;
    await postActivity(h.messagesUrl, submitActivity({ ...general, conversation: `${TEAM};messageid=123` }, { ofsted: { action: 'pause', urn: '80451', council: 'Wakefield' } }, { replyToId: '123' }));
    const reply = h.fake.activities.slice(before);
    expect(reply).toHaveLength(1);
    expect(reply[0]!.threadId).toBe('123');
    expect(words(reply)).toMatch(/Paused Wakefield in this conversation/);
    expect(cardProblems(cardOf(reply[0]!))).toEqual([]);
    expect((await subs(h.ctx)).find((s) => s.target_name === 'Wakefield')).toMatchObject({ status: 'paused', status_reason: `paused by ${ALICE.name} (${ALICE.aadObjectId})` });
    await postActivity(h.messagesUrl, submitActivity(general, { ofsted: { action: 'unsubscribe', urn: '80451', council: 'Wakefield' } }));
    expect((await subs(h.ctx)).find((s) => s.target_name === 'Wakefield')).toMatchObject({ status: 'ended' });
    // a council covered by nothing here
    const b2 = h.fake.activities.length;
    await postActivity(h.messagesUrl, submitActivity(general, { ofsted: { action: 'pause', urn: '80451', council: 'Wakefield' } }));
    expect(words(h.fake.activities.slice(b2))).toMatch(/no longer follows anything that covers Wakefield/);
  });

  it('a region subscription covering the council is what Pause pauses, and the reply says so', async () => {
    await say(other, 'subscribe region:"Yorkshire and the Humber"');
    const before = h.fake.activities.length;
    await postActivity(h.messagesUrl, submitActivity(other, { ofsted: { action: 'pause', urn: '80451', council: 'Wakefield' } }));
    expect(words(h.fake.activities.slice(before))).toMatch(/Paused Yorkshire and the Humber \(which covers Wakefield\)/);
    // list buttons by id: resume it
    const region = (await subs(h.ctx)).find((s) => s.channel === OTHER_CHANNEL && s.status !== 'ended')!;
    await postActivity(h.messagesUrl, submitActivity(other, { ofsted: { action: 'resume', subscriptionId: region.id } }));
    expect((await subs(h.ctx)).find((s) => s.id === region.id)).toMatchObject({ status: 'active', status_reason: null });
  });

  it('Action.Execute (invoke adaptiveCard/action) does the same and answers in the invoke response', async () => {
    const barnet = (await subs(h.ctx)).find((s) => s.target_name === 'Barnet' && s.status === 'active')!;
    const res = await postActivity(h.messagesUrl, executeActivity(personal, { ofsted: { action: 'pause', subscriptionId: barnet.id } }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(/Paused Barnet/) });
    expect((await subs(h.ctx)).find((s) => s.id === barnet.id)).toMatchObject({ status: 'paused' });
    const bad = await postActivity(h.messagesUrl, executeActivity(personal, { something: 'else' }));
    expect(bad.status).toBe(400);
  });

  it('the welcome buttons run help and list', async () => {
    const before = h.fake.activities.length;
    await postActivity(h.messagesUrl, submitActivity(personal, { ofsted: { action: 'command', command: 'list' } }));
    expect(words(h.fake.activities.slice(before))).toContain('Barnet');
    const b2 = h.fake.activities.length;
    await postActivity(h.messagesUrl, submitActivity(personal, { ofsted: { action: 'command', command: 'unsubscribe all' } })); // not a button we make
    expect(h.fake.activities.length).toBe(b2);
    expect((await subs(h.ctx)).find((s) => s.target_name === 'Barnet')).toMatchObject({ status: 'paused' });
  });

  it('a deleted channel ends its subscriptions with the reason', async () => {
    await say(other, 'subscribe Barnet');
    await postActivity(h.messagesUrl, channelDeleted({ ...general, teamId: TEAM }, OTHER_CHANNEL));
    for (const s of (await subs(h.ctx)).filter((x) => x.channel === OTHER_CHANNEL)) expect(s).toMatchObject({ status: 'ended', status_reason: expect.stringMatching(/^channel_deleted: the channel "old channel" was deleted/) });
  });

  it('removed from a group chat: that chat ends, others do not', async () => {
    expect((await postActivity(h.messagesUrl, installationUpdate(chat, 'remove'))).status).toBe(200);
    expect((await subs(h.ctx)).find((s) => s.channel === '19:group@thread.v2')).toMatchObject({ status: 'ended', status_reason: `bot_removed: the app was removed from this chat by ${ALICE.name}` });
    expect((await subs(h.ctx)).find((s) => s.channel === 'a:1personal')).toMatchObject({ status: 'paused' });
  });

  it('removed from a team: every channel of the team ends, another tenant is untouched', async () => {
    await say(general, 'subscribe Wakefield');
    await say(other, 'subscribe Barnsley');
    await say(elsewhere, 'subscribe Wakefield');
    expect((await postActivity(h.messagesUrl, membersRemoved(general, [BOT]))).status).toBe(200);
    const rows = await subs(h.ctx);
    for (const s of rows.filter((x) => x.workspace === TENANT_A && [TEAM, OTHER_CHANNEL].includes(x.channel))) {
      expect(s.status).toBe('ended');
    }
    expect(rows.filter((s) => s.channel === TEAM && s.status_reason?.startsWith('bot_removed: the app was removed from the team "Children’s services"')).length).toBe(1);
    expect(rows.find((s) => s.workspace === TENANT_B && s.status !== 'ended')).toMatchObject({ target_name: 'Wakefield', status: 'active' });
    // installationUpdate remove afterwards is harmless
    expect((await postActivity(h.messagesUrl, installationUpdate(general, 'remove'))).status).toBe(200);
  });
});

describe('a slow command', () => {
  it('is acknowledged at once and answered in the same thread when ready', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let h!: TeamsHarness;
    const slowDomain = async (): Promise<TeamsDomain> => {
      const real = createTeamsDomain(h.ctx);
      return {
        ...real,
        async handleCommand(caller: Caller, text: string): Promise<Reply> {
          await gate;
          return real.handleCommand(caller, text);
        },
      };
    };
    h = await startTeams({ adapter: { commandTimeoutMs: 100 } });
    await h.adapter.stop();
    const domain = await slowDomain();
    const { startTeamsAdapter } = await import('../../adapters/teams/start-teams-adapter.ts');
    const { silentLogger } = await import('../../src/log/logger.ts');
    const adapter = await startTeamsAdapter({ config: h.config, ctx: h.ctx, logger: silentLogger, port: 0, host: '127.0.0.1', domain, commandTimeoutMs: 100 });
    try {
      const place = h.place({ tenant: TENANT_A, conversation: `${TEAM};messageid=777`, teamId: TEAM });
      const res = await postActivity(`http://127.0.0.1:${adapter.port}/api/messages`, messageActivity(place, 'help'));
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(2000);
      expect(JSON.stringify(h.fake.activities.at(-1)!.activity)).toContain(WORKING_TEXT.slice(0, 20));
      release();
      const answer = await h.fake.waitFor(() => h.fake.activities.find((a) => JSON.stringify(a.activity).includes('Follow councils')));
      expect(answer).toMatchObject({ conversationId: `${TEAM};messageid=777`, threadId: '777' });
      expect(cardProblems(cardOf(answer))).toEqual([]);
    } finally {
      await adapter.stop();
      await h.close();
    }
  });
});
