// The Slack adapter's entry point for `start`: reads the settings, checks the bot token (single
// workspace) or opens the encrypted installation store (OAuth), builds the sender for the outbox and
// the Bolt app, and starts the receiver. stop() stops the receiver; the outbox stops on its own.
import type { AddressInfo } from 'node:net';
import { webApi, type App } from '@slack/bolt';
import type { AppContext } from '../../src/app/context.ts';
import type { Config } from '../../src/config/config.ts';
import type { Logger } from '../../src/log/logger.ts';
import type { LetterDeps } from '../../src/pipeline/ensure-letter.ts';
import { createInstallationStore, type SlackInstallationStore } from './installation-store.ts';
import { createSlackApp } from './slack-app.ts';
import type { SlackDomain } from './slack-domain.ts';
import { slackErrorCode } from './slack-errors.ts';
import { slackLogger } from './slack-logger.ts';
import { createSlackSender, type SlackSender } from './slack-sender.ts';
import { EVENTS_PATH, HEALTH_PATH, INSTALL_PATH, slackSettings, type SlackSettings } from './slack-settings.ts';
import { tokenCryptoFromKey } from './token-crypto.ts';
import { installationTokens, singleWorkspaceTokens, type TokenSource } from './token-source.ts';

export { slackConfigured } from './slack-settings.ts';

export interface StartSlackAdapterOptions {
  config: Config;
  ctx: Pick<AppContext, 'db' | 'now'> & Partial<AppContext>;
  logger: Logger;
  /** the domain behind /ofsted and the Home tab; default: the real services on ctx */
  domain?: SlackDomain;
  /** overrides PORT (0 = any free port, for tests) */
  port?: number;
  /** /ofsted: how long the domain may take before the person is told (ms) */
  commandTimeoutMs?: number;
  /** lets lookups (`latest`, `themes`) read a letter not read yet, through the letter pool */
  letters?: LetterDeps;
}

export interface SlackAdapter {
  app: App;
  /** for the outbox worker: senders.set('slack', sender) */
  sender: SlackSender;
  settings: SlackSettings;
  /** OAuth mode only */
  installationStore: SlackInstallationStore | null;
  /** single-workspace mode: the workspace the bot token belongs to */
  teamId: string | null;
  /** HTTP mode: the port the receiver listens on */
  port: number | null;
  stop(): Promise<void>;
}

export class SlackStartError extends Error {}

export async function startSlackAdapter(opts: StartSlackAdapterOptions): Promise<SlackAdapter> {
  const { config, ctx, logger } = opts;
  const settings = slackSettings(config);
  let tokens: TokenSource;
  let installationStore: SlackInstallationStore | null = null;
  let teamId: string | null = null;
  let bot: { botId: string; botUserId: string } | undefined;

  if (settings.auth.kind === 'single') {
    const who = await verifyBotToken(settings.auth.botToken, settings.apiUrl, logger);
    teamId = who.teamId;
    bot = { botId: who.botId, botUserId: who.botUserId };
    tokens = singleWorkspaceTokens(settings.auth.botToken, () => teamId);
  } else {
    installationStore = createInstallationStore(ctx.db, tokenCryptoFromKey(settings.auth.encryptionKey), { now: ctx.now });
    tokens = installationTokens(installationStore);
    const loaded = await installationStore.preload();
    logger.info({ installations: loaded }, 'Slack installations loaded');
  }

  const sender = createSlackSender({ tokens, logger, ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}) });
  const domain = opts.domain ?? (await import('./domain-wiring.ts')).createSlackDomain(ctx as AppContext, opts.letters ? { letters: opts.letters } : {});
  const app = createSlackApp({
    settings,
    domain,
    logger,
    ...(installationStore ? { installationStore } : {}),
    ...(bot ? { bot } : {}),
    onWorkspaceGone: (team) => sender.forget(team),
    ...(opts.commandTimeoutMs ? { commandTimeoutMs: opts.commandTimeoutMs } : {}),
  });

  let port: number | null = null;
  if (settings.receiver === 'http') {
    const server = await app.start(opts.port ?? settings.port);
    port = (server.address() as AddressInfo | null)?.port ?? null;
  } else {
    await app.start();
  }
  await warmUp(port);
  logger.info(
    { receiver: settings.receiver, auth: settings.auth.kind, workspace: teamId, port, events: settings.receiver === 'http' ? EVENTS_PATH : undefined, install: settings.auth.kind === 'oauth' ? INSTALL_PATH : undefined },
    'Slack adapter started',
  );

  let stopped = false;
  return {
    app,
    sender,
    settings,
    installationStore,
    teamId,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop().catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'stopping the Slack receiver failed'));
      await sender.close().catch(() => undefined);
    },
  };
}

/**
 * Node loads its fetch (undici) on first use, and Bolt answers slash commands through response_url with
 * fetch: without this, the first burst of commands after a start waited about 200 ms for that load,
 * acknowledgements included. One request to our own health endpoint (HTTP mode) loads it, with its HTTP
 * parser. Never fails.
 */
async function warmUp(port: number | null): Promise<void> {
  const url = port === null ? 'data:,' : `http://127.0.0.1:${port}${HEALTH_PATH}`;
  await fetch(url, { signal: AbortSignal.timeout(2_000) })
    .then((res) => res.arrayBuffer())
    .catch(() => undefined);
}

/** auth.test with the configured bot token: its workspace and bot ids, or a clear error. */
async function verifyBotToken(token: string, apiUrl: string | undefined, logger: Logger): Promise<{ teamId: string; botId: string; botUserId: string }> {
  const client = new webApi.WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2, minTimeout: 500, maxTimeout: 2000 },
    timeout: 10_000,
    logger: slackLogger(logger, 'slack-auth'),
  });
  try {
    const res = await client.auth.test();
    if (!res.team_id || !res.user_id) throw new SlackStartError('auth.test did not name the workspace');
    return { teamId: res.team_id, botId: res.bot_id ?? '', botUserId: res.user_id };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code) throw new SlackStartError(`Slack refused SLACK_BOT_TOKEN (${code}): check the Bot User OAuth Token under OAuth & Permissions, and that the app is installed in the workspace`);
    throw new SlackStartError(`could not reach Slack to check SLACK_BOT_TOKEN: ${(error as Error).message}`);
  }
}
