// Security: with an app id, every request to /api/messages needs a valid Bot Framework token (401 without
// one, with a malformed one, one signed by another key, one for another bot, or one for another service
// URL); a valid token — signed with the fake's key, published as OpenID metadata like Microsoft's — gets
// through. Without an app id the adapter runs only in local mode, said out loud, and then only on this
// machine; otherwise it refuses to start. Settings are checked with clear messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { createLogger, silentLogger } from '../../src/log/logger.ts';
import { startTeamsAdapter, TeamsStartError, teamsConfigured } from '../../adapters/teams/start-teams-adapter.ts';
import { teamsSettings } from '../../adapters/teams/teams-settings.ts';
import { FakeBotConnector, installationUpdate, messageActivity, postActivity, type Place } from '../fakes/fake-bot-connector.ts';
import { seedConversations } from './fixtures.ts';
import { APP_ID, startTeams, subs, TENANT_A, TENANT_B, teamsTestConfig, type TeamsHarness } from './teams-harness.ts';

const PASSWORD = 'not-a-real-secret-0123456789';
const authEnv = { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: PASSWORD, MICROSOFT_APP_TENANT_ID: TENANT_A, MICROSOFT_APP_TYPE: 'SingleTenant' };

describe('configuration', () => {
  const problems = (env: Record<string, string>) => {
    const r = parseConfig({ DATABASE_URL: 'sqlite::memory:', ...env });
    return r.ok ? [] : r.problems;
  };

  it('nothing set: Teams is simply not configured', () => {
    const c = teamsTestConfig({});
    expect(teamsConfigured(c)).toBe(false);
    expect(() => teamsSettings(c)).toThrow(/Teams is not configured: set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID .* or, for local tests .* TEAMS_ALLOW_UNAUTHENTICATED=true/);
  });

  it('the complete set, in each app type', () => {
    expect(problems(authEnv)).toEqual([]);
    expect(problems({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: PASSWORD })).toEqual([]); // MultiTenant
    expect(problems({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TENANT_ID: TENANT_A, MICROSOFT_APP_TYPE: 'UserAssignedMSI' })).toEqual([]);
    expect(teamsSettings(teamsTestConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: PASSWORD, MICROSOFT_APP_TENANT_ID: TENANT_A })).auth).toMatchObject({ appType: 'SingleTenant' });
    expect(teamsSettings(teamsTestConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: PASSWORD, MICROSOFT_APP_TYPE: 'multitenant' })).auth).toMatchObject({ appType: 'MultiTenant' });
    expect(teamsSettings(teamsTestConfig(authEnv))).toMatchObject({ port: 3978, host: '::' });
  });

  it('what is wrong is said, by name, and the secret is never echoed', () => {
    expect(problems({ MICROSOFT_APP_ID: 'not-a-guid', MICROSOFT_APP_PASSWORD: PASSWORD })).toEqual([expect.stringMatching(/^MICROSOFT_APP_ID must be the bot's Microsoft App ID .*GUID.*\(got "not-a-guid"\)$/)]);
    expect(problems({ MICROSOFT_APP_ID: APP_ID })).toEqual([expect.stringMatching(/^MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID \(MultiTenant\)/)]);
    expect(problems({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: PASSWORD, MICROSOFT_APP_TYPE: 'SingleTenant' })).toEqual([expect.stringMatching(/^MICROSOFT_APP_TENANT_ID is required for MICROSOFT_APP_TYPE=SingleTenant/)]);
    expect(problems({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: PASSWORD, MICROSOFT_APP_TENANT_ID: TENANT_A, MICROSOFT_APP_TYPE: 'UserAssignedMSI' })).toEqual([expect.stringMatching(/^MICROSOFT_APP_PASSWORD must not be set for MICROSOFT_APP_TYPE=UserAssignedMSI/)]);
    expect(problems({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: PASSWORD, MICROSOFT_APP_TYPE: 'Bogus' })).toEqual([expect.stringMatching(/^MICROSOFT_APP_TYPE must be one of MultiTenant, SingleTenant, UserAssignedMSI/)]);
    expect(problems({ MICROSOFT_APP_PASSWORD: 'short' })[0]).toBe("MICROSOFT_APP_PASSWORD must be the client secret of the bot's app registration (Certificates & secrets → Value; too short)");
    expect(problems({ MICROSOFT_APP_PASSWORD: PASSWORD })).toEqual(['MICROSOFT_APP_ID is required when MICROSOFT_APP_PASSWORD is set (the Azure Bot\'s Microsoft App ID)']);
    expect(problems({ ...authEnv, TEAMS_ALLOW_UNAUTHENTICATED: 'true' })).toEqual([expect.stringMatching(/^TEAMS_ALLOW_UNAUTHENTICATED must not be true when MICROSOFT_APP_ID is set/)]);
    expect(problems({ TEAMS_PORT: '4000' })).toEqual([expect.stringMatching(/^TEAMS_PORT is set but Teams is not configured/)]);
    expect(problems({ TEAMS_ALLOW_UNAUTHENTICATED: 'maybe' })).toEqual([expect.stringMatching(/^TEAMS_ALLOW_UNAUTHENTICATED must be true or false/)]);
    for (const p of [...problems({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'short' }), ...problems({ MICROSOFT_APP_PASSWORD: PASSWORD })]) expect(p).not.toContain(PASSWORD.slice(0, 8));
    expect(problems({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'short' })[0]).not.toContain('got');
  });

  it('TEAMS_PORT must not be the port the Slack adapter listens on', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'c0ffee0123456789abcdef0123456789' };
    expect(problems({ ...slack, ...authEnv, TEAMS_PORT: '3000' })).toEqual([expect.stringMatching(/^TEAMS_PORT must differ from PORT \(3000\)/)]);
    expect(problems({ ...slack, ...authEnv, PORT: '3978' })).toEqual([expect.stringMatching(/^TEAMS_PORT must differ from PORT \(3978\)/)]);
    expect(problems({ ...slack, ...authEnv })).toEqual([]);
  });

  it('startTeamsAdapter refuses to start without an app id unless local mode is said', async () => {
    const config = teamsTestConfig({});
    const ctx = await createContext(config, { logger: silentLogger });
    try {
      await expect(startTeamsAdapter({ config, ctx, logger: silentLogger, port: 0 })).rejects.toThrow(TeamsStartError);
      await expect(startTeamsAdapter({ config, ctx, logger: silentLogger, port: 0 })).rejects.toThrow(/TEAMS_ALLOW_UNAUTHENTICATED=true/);
    } finally {
      await ctx.close();
    }
  });
});

describe('local mode (no app id)', () => {
  let h: TeamsHarness;
  const logged: string[] = [];
  beforeAll(async () => {
    const logger = createLogger('warn', 1);
    // capture the logger's output: pino writes through the destination; wrap warn instead
    const warn = logger.warn.bind(logger);
    (logger as unknown as { warn: (...a: unknown[]) => void }).warn = (...a: unknown[]) => {
      logged.push(a.map((x) => (typeof x === 'string' ? x : '')).join(' '));
      void warn;
    };
    h = await startTeams({ logger });
  });
  afterAll(async () => h.close());

  it('says loudly that nothing is authenticated, and listens on this machine only', () => {
    expect(logged.join('\n')).toMatch(/TEAMS ADAPTER IS RUNNING WITHOUT AUTHENTICATION/);
    expect(teamsSettings(h.config)).toMatchObject({ auth: { kind: 'local' }, host: '127.0.0.1' });
  });

  it('accepts activities without a token, but only from a service URL on this machine', async () => {
    const place: Place = { serviceUrl: h.fake.serviceUrl, tenant: TENANT_A, conversation: 'a:local', type: 'personal' };
    expect((await postActivity(h.messagesUrl, messageActivity(place, 'help'))).status).toBe(200);
    const far = await postActivity(h.messagesUrl, messageActivity({ ...place, serviceUrl: 'https://smba.trafficmanager.net/emea/' }, 'subscribe Wakefield'));
    expect(far.status).toBe(403);
    expect(await subs(h.ctx)).toEqual([]);
  });

  it('refuses what is not an activity', async () => {
    const res = await fetch(h.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
    expect((await fetch(h.messagesUrl, { method: 'POST', body: JSON.stringify({ text: 'no type' }) })).status).toBe(400);
    expect((await fetch(h.messagesUrl)).status).toBe(405);
    expect((await fetch(h.messagesUrl, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 10) })).status).toBe(413);
    expect((await fetch(h.messagesUrl.replace('/api/messages', '/api/health'))).status).toBe(200);
    expect((await fetch(h.messagesUrl.replace('/api/messages', '/nope'))).status).toBe(404);
  });
});

describe('authenticated (MICROSOFT_APP_ID set)', () => {
  let fake: FakeBotConnector;
  let ctx: AppContext;
  let h: TeamsHarness;
  let place: Place;

  beforeAll(async () => {
    fake = await FakeBotConnector.start();
    const config = teamsTestConfig(authEnv);
    ctx = await createContext(config, { logger: silentLogger });
    h = await startTeams({ env: authEnv, fake, ctx, adapter: { openIdMetadataUrl: fake.openIdMetadataUrl } });
    place = { serviceUrl: fake.serviceUrl, tenant: TENANT_A, conversation: '19:secure@thread.tacv2', teamId: '19:secure@thread.tacv2' };
    await seedConversations(ctx.db, fake.serviceUrl, [TENANT_A], 1, new Date());
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
    await fake.close();
  });

  const post = (activity: Record<string, unknown>, opts: { token?: string; authorization?: string }) => postActivity(h.messagesUrl, activity, opts);
  const valid = () => fake.signToken({ aud: APP_ID, serviceUrl: fake.serviceUrl });

  it.each([
    ['no Authorization header', {}],
    ['not a bearer token', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['a malformed token', { authorization: 'Bearer not.a.jwt' }],
  ])('%s → 401, and nothing is done', async (_what, opts) => {
    const res = await post(messageActivity(place, 'subscribe Wakefield'), opts);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Unauthorized' });
  });

  it('a token signed with a key Microsoft does not publish → 401', async () => {
    const forged = fake.signToken({ aud: APP_ID, serviceUrl: fake.serviceUrl }, FakeBotConnector.foreignKey());
    expect((await post(messageActivity(place, 'subscribe Wakefield'), { token: forged })).status).toBe(401);
  });

  it('a genuine token for another bot, from another issuer, or for another service URL → 401', async () => {
    expect((await post(messageActivity(place, 'subscribe Wakefield'), { token: fake.signToken({ aud: '99999999-2222-3333-4444-555555555555', serviceUrl: fake.serviceUrl }) })).status).toBe(401);
    expect((await post(messageActivity(place, 'subscribe Wakefield'), { token: fake.signToken({ aud: APP_ID, serviceUrl: fake.serviceUrl, iss: 'https://login.example.org' }) })).status).toBe(401);
    expect((await post(messageActivity(place, 'subscribe Wakefield'), { token: fake.signToken({ aud: APP_ID, serviceUrl: 'https://elsewhere.example/' }) })).status).toBe(401);
    expect((await post(messageActivity(place, 'subscribe Wakefield'), { token: fake.signToken({ aud: APP_ID, serviceUrl: fake.serviceUrl, expiresInS: -600 }) })).status).toBe(401);
    expect(await subs(ctx)).toHaveLength(1); // only the seeded one
  });

  it('a valid token gets through: removing the app ends the conversation’s subscriptions', async () => {
    const seeded = (await subs(ctx))[0]!;
    const team: Place = { serviceUrl: fake.serviceUrl, tenant: TENANT_A, conversation: seeded.channel, teamId: seeded.channel };
    const res = await post(installationUpdate(team, 'remove'), { token: valid() });
    expect(res.status).toBe(200);
    expect((await subs(ctx))[0]).toMatchObject({ status: 'ended', status_reason: expect.stringMatching(/^bot_removed: the app was removed from the team/) });
  });

  it('a single-tenant app ignores another tenant, even with a valid token', async () => {
    await seedConversations(ctx.db, fake.serviceUrl, [TENANT_B], 1, new Date());
    const theirs = (await subs(ctx)).find((s) => s.workspace === TENANT_B)!;
    const res = await post(installationUpdate({ serviceUrl: fake.serviceUrl, tenant: TENANT_B, conversation: theirs.channel, teamId: theirs.channel }, 'remove'), { token: valid() });
    expect(res.status).toBe(200);
    expect((await subs(ctx)).find((s) => s.id === theirs.id)).toMatchObject({ status: 'active' });
  });

  it('listens on every interface only when authenticated', () => {
    expect(h.adapter.settings.host).toBe('::');
  });
});
