// Tokens never reach the log, even at debug level with Bolt and the Web API client logging everything.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../src/store/db.ts';
import { startSlackAdapter, type SlackAdapter } from '../../adapters/slack/start-slack-adapter.ts';
import { scrubTokens } from '../../adapters/slack/slack-logger.ts';
import { eventBody, FakeSlack, postSigned, slashCommandBody } from '../fakes/fake-slack.ts';
import { slackTestConfig, SIGNING_SECRET } from './adapter-harness.ts';
import { memoryDomain } from './memory-domain.ts';

describe('logs', () => {
  const lines: string[] = [];
  let fake: FakeSlack;
  let store: OpenedStore;
  let adapter: SlackAdapter;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    store = await openStore('sqlite::memory:');
    const logger = pino({ level: 'trace' }, { write: (s: string) => void lines.push(s) });
    adapter = await startSlackAdapter({
      config: slackTestConfig({ SLACK_BOT_TOKEN: fake.workspace().token, SLACK_API_URL: fake.apiUrl }),
      ctx: { db: store.db, now: () => new Date() },
      logger,
      domain: memoryDomain(),
      port: 0,
    });
  });
  afterAll(async () => {
    await adapter.stop();
    await store.close();
    await fake.close();
  });

  it('hold no token after commands, Home views, sends and failures', async () => {
    const url = `http://127.0.0.1:${adapter.port}/slack/events`;
    const team = fake.workspace().teamId;
    const responseUrl = fake.responseUrl('no-token-subscribe');
    await postSigned(url, SIGNING_SECRET, slashCommandBody({ teamId: team, channelId: 'C0000000001', text: 'subscribe Wakefield', responseUrl }));
    await fake.waitFor(() => fake.responses.find((r) => responseUrl.endsWith(r.id)));
    const views = fake.views.length;
    await postSigned(url, SIGNING_SECRET, eventBody({ teamId: team, event: { type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' } }));
    await fake.waitFor(() => fake.views.length > views);
    const part = adapter.sender.prepare({ kind: 'notice', text: 'hello' })[0];
    await adapter.sender.sendPart({ platform: 'slack', workspace: team, channel: 'C0000000002' }, part, { threadRef: null, dedupeKey: 'k1' });
    fake.failMethod('chat.postMessage', 'invalid_blocks', 1);
    await adapter.sender.sendPart({ platform: 'slack', workspace: team, channel: 'C0000000003' }, part, { threadRef: null, dedupeKey: 'k2' });
    expect(lines.length).toBeGreaterThan(5);
    const all = lines.join('\n');
    expect(all).not.toContain(fake.workspace().token);
    expect(all).not.toMatch(/xox[bp]-[A-Za-z0-9]/);
  });

  it('scrubs anything shaped like a token', () => {
    expect(scrubTokens('Bearer xoxb-123-456-abcdef and xapp-1-A1-xyz123 and xoxe.xoxb-1-abcdefgh')).toBe('Bearer xoxb-[redacted] and xapp-[redacted] and xoxe.xoxb-[redacted]');
  });
});
