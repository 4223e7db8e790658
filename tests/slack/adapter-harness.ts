// Starts the Slack adapter as `start` would, against the fake Slack, on a free port, with a store on
// disk or in memory. Signing secret and tokens are test values.
import { randomBytes } from 'node:crypto';
import { parseConfig, type Config } from '../../src/config/config.ts';
import { openStore, type OpenedStore } from '../../src/store/db.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { startSlackAdapter, type SlackAdapter } from '../../adapters/slack/start-slack-adapter.ts';
import type { SlackDomain } from '../../adapters/slack/slack-domain.ts';
import type { AppContext } from '../../src/app/context.ts';
import { FakeSlack } from '../fakes/fake-slack.ts';

export const SIGNING_SECRET = 'c0ffee0123456789abcdef0123456789';

export interface AdapterHarness {
  fake: FakeSlack;
  adapter: SlackAdapter;
  config: Config;
  store: OpenedStore | null;
  /** http://127.0.0.1:PORT/slack/events */
  eventsUrl: string;
  baseUrl: string;
  close(): Promise<void>;
}

export function slackTestConfig(env: Record<string, string>): Config {
  const r = parseConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', OFSTED_CONTACT: 'tests@example.org', SLACK_SIGNING_SECRET: SIGNING_SECRET, ...env });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.config;
}

export async function startAdapter(opts: {
  domain?: SlackDomain;
  ctx?: Pick<AppContext, 'db' | 'now'> & Partial<AppContext>;
  fake?: FakeSlack;
  mode?: 'single' | 'oauth';
  commandTimeoutMs?: number;
}): Promise<AdapterHarness> {
  const fake = opts.fake ?? (await FakeSlack.start());
  const mode = opts.mode ?? 'single';
  const env: Record<string, string> =
    mode === 'single'
      ? { SLACK_BOT_TOKEN: fake.workspace().token, SLACK_API_URL: fake.apiUrl }
      : {
          SLACK_CLIENT_ID: '1234.5678',
          SLACK_CLIENT_SECRET: 'client-secret-0123456789',
          SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
          SLACK_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          SLACK_API_URL: fake.apiUrl,
        };
  const config = slackTestConfig(env);
  let store: OpenedStore | null = null;
  let ctx = opts.ctx;
  if (!ctx) {
    store = await openStore('sqlite::memory:');
    ctx = { db: store.db, now: () => new Date() };
  }
  const adapter = await startSlackAdapter({
    config,
    ctx,
    logger: silentLogger,
    port: 0,
    ...(opts.domain ? { domain: opts.domain } : {}),
    ...(opts.commandTimeoutMs ? { commandTimeoutMs: opts.commandTimeoutMs } : {}),
  });
  const baseUrl = `http://127.0.0.1:${adapter.port}`;
  return {
    fake,
    adapter,
    config,
    store,
    eventsUrl: `${baseUrl}/slack/events`,
    baseUrl,
    async close() {
      await adapter.stop();
      if (!opts.fake) await fake.close();
      await store?.close();
    },
  };
}
