// The Slack adapter's settings, read from the validated config (src/config/config.ts checks the names
// and which combinations make sense). Receiver: Socket Mode when SLACK_APP_TOKEN is set, else HTTP.
// Auth: one workspace with SLACK_BOT_TOKEN, or OAuth installs with SLACK_CLIENT_ID/SECRET/STATE_SECRET.
import type { Config } from '../../src/config/config.ts';

export type SlackAuth =
  | { kind: 'single'; botToken: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string; encryptionKey: string };

export interface SlackSettings {
  receiver: 'http' | 'socket';
  auth: SlackAuth;
  signingSecret: string | undefined;
  appToken: string | undefined;
  port: number;
  /** Web API base ending in /api/; undefined = Slack's own */
  apiUrl: string | undefined;
}

export const EVENTS_PATH = '/slack/events';
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';
export const HEALTH_PATH = '/slack/health';

/** The bot scopes the app asks for (keep in step with slack-app-manifest.yaml). */
export const BOT_SCOPES = ['commands', 'chat:write', 'channels:join', 'channels:history', 'groups:history', 'im:history'];

export class SlackConfigError extends Error {}

type SlackConfig = Pick<
  Config,
  'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_CLIENT_ID' | 'SLACK_CLIENT_SECRET' | 'SLACK_STATE_SECRET' | 'SLACK_TOKEN_ENCRYPTION_KEY' | 'SLACK_API_URL' | 'PORT'
>;

/** True when the configuration asks for the Slack adapter (a bot token, or OAuth installs). */
export function slackConfigured(config: SlackConfig): boolean {
  return Boolean(config.SLACK_BOT_TOKEN || config.SLACK_CLIENT_ID);
}

export function slackSettings(config: SlackConfig): SlackSettings {
  if (!slackConfigured(config)) throw new SlackConfigError('Slack is not configured: set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (installs)');
  const receiver = config.SLACK_APP_TOKEN ? 'socket' : 'http';
  if (receiver === 'http' && !config.SLACK_SIGNING_SECRET) throw new SlackConfigError('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  let auth: SlackAuth;
  if (config.SLACK_BOT_TOKEN) {
    auth = { kind: 'single', botToken: config.SLACK_BOT_TOKEN };
  } else {
    const { SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: clientSecret, SLACK_STATE_SECRET: stateSecret, SLACK_TOKEN_ENCRYPTION_KEY: encryptionKey } = config;
    if (!clientId || !clientSecret || !stateSecret) throw new SlackConfigError('OAuth installs need SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET');
    if (!encryptionKey) throw new SlackConfigError('OAuth installs need SLACK_TOKEN_ENCRYPTION_KEY (32 bytes, base64 or hex; `openssl rand -base64 32`): workspace tokens are stored encrypted with it');
    auth = { kind: 'oauth', clientId, clientSecret, stateSecret, encryptionKey };
  }
  return { receiver, auth, signingSecret: config.SLACK_SIGNING_SECRET, appToken: config.SLACK_APP_TOKEN, port: config.PORT, apiUrl: config.SLACK_API_URL };
}
