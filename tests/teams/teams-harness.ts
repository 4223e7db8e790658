// Starts the Teams adapter as `start` would, against the fake Bot Connector, on a free port on 127.0.0.1,
// with the real domain on a store in memory (or one given). Local mode unless an app id is given.
import { parseConfig, type Config } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { silentLogger, type Logger } from '../../src/log/logger.ts';
import { startTeamsAdapter, type StartTeamsAdapterOptions, type TeamsAdapter } from '../../adapters/teams/start-teams-adapter.ts';
import { FakeBotConnector, type FakeConnectorOptions, type Place } from '../fakes/fake-bot-connector.ts';

export const APP_ID = '11111111-2222-3333-4444-555555555555';
export const TENANT_A = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';
export const TENANT_B = 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb';

export function teamsTestConfig(env: Record<string, string> = {}): Config {
  const r = parseConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', OFSTED_CONTACT: 'tests@example.org', CONSOLE_ADAPTER: 'false', ...env });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.config;
}

export interface TeamsHarness {
  fake: FakeBotConnector;
  ctx: AppContext;
  adapter: TeamsAdapter;
  config: Config;
  messagesUrl: string;
  /** a place in the fake's Teams: a channel of a team, a group chat or a personal chat */
  place(p: Omit<Place, 'serviceUrl'>): Place;
  close(): Promise<void>;
}

export async function startTeams(opts: {
  env?: Record<string, string>;
  fake?: FakeBotConnector;
  fakeOptions?: FakeConnectorOptions;
  ctx?: AppContext;
  logger?: Logger;
  adapter?: Partial<Omit<StartTeamsAdapterOptions, 'config' | 'ctx' | 'logger'>>;
} = {}): Promise<TeamsHarness> {
  const fake = opts.fake ?? (await FakeBotConnector.start(opts.fakeOptions));
  const config = teamsTestConfig(opts.env ?? { TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
  const ctx = opts.ctx ?? (await createContext(config, { logger: opts.logger ?? silentLogger }));
  const adapter = await startTeamsAdapter({ config, ctx, logger: opts.logger ?? silentLogger, port: 0, host: '127.0.0.1', ...opts.adapter });
  return {
    fake,
    ctx,
    adapter,
    config,
    messagesUrl: `http://127.0.0.1:${adapter.port}/api/messages`,
    place: (p) => ({ serviceUrl: fake.serviceUrl, ...p }),
    async close() {
      await adapter.stop();
      if (!opts.ctx) await ctx.close();
      if (!opts.fake) await fake.close();
    },
  };
}

export const subs = (ctx: AppContext) => ctx.db.selectFrom('subscriptions').selectAll().orderBy('id').execute();
