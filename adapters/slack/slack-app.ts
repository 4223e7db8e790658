// Builds the Bolt App: receiver (HTTP on PORT at /slack/events, or Socket Mode), authorisation (one
// workspace's bot token, or OAuth installs through our installation store at /slack/install and
// /slack/oauth_redirect), and the listeners: /ofsted, the Home tab and its buttons, and the events that
// say the app left a workspace. Nothing here knows the domain beyond the SlackDomain port.
import type { ServerResponse } from 'node:http';
import { App, type AppOptions } from '@slack/bolt';
import type { Logger } from '../../src/log/logger.ts';
import { registerAppHome } from './handlers/app-home.ts';
import { registerSlashCommand } from './handlers/slash-command.ts';
import { registerUninstall } from './handlers/uninstall.ts';
import type { SlackInstallationStore } from './installation-store.ts';
import type { SlackDomain } from './slack-domain.ts';
import { slackLogger } from './slack-logger.ts';
import { BOT_SCOPES, EVENTS_PATH, HEALTH_PATH, INSTALL_PATH, REDIRECT_PATH, type SlackSettings } from './slack-settings.ts';

export interface SlackAppDeps {
  settings: SlackSettings;
  domain: SlackDomain;
  logger: Logger;
  /** OAuth mode: where installations (encrypted) live */
  installationStore?: SlackInstallationStore;
  /** single workspace: the bot's ids from auth.test, so Bolt need not call it again */
  bot?: { botId: string; botUserId: string };
  /** a workspace was left (uninstall, revoked): drop cached clients */
  onWorkspaceGone?: (teamId: string) => void;
  /** /ofsted: how long the domain may take before the person is told (ms, default 25 s) */
  commandTimeoutMs?: number;
}

export function createSlackApp(deps: SlackAppDeps): App {
  const { settings, logger } = deps;
  const boltLogger = slackLogger(logger, 'slack-app');
  const clientOptions: AppOptions['clientOptions'] = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    // replies and Home views: a few quick retries, never the default half hour of them
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 },
    timeout: 10_000,
  };
  const common: AppOptions = {
    logger: boltLogger,
    clientOptions,
    // answered by the receiver as soon as a listener calls ack(); the work goes on after the answer
    processBeforeResponse: false,
    customRoutes: [{ path: HEALTH_PATH, method: ['GET'], handler: (_req, res: ServerResponse) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') }],
  };
  const receiverOptions: AppOptions =
    settings.receiver === 'socket'
      ? { socketMode: true, appToken: settings.appToken }
      : { signingSecret: settings.signingSecret, endpoints: EVENTS_PATH, port: settings.port };

  let authOptions: AppOptions;
  if (settings.auth.kind === 'single') {
    authOptions = deps.bot
      ? { token: settings.auth.botToken, botId: deps.bot.botId, botUserId: deps.bot.botUserId, tokenVerificationEnabled: false }
      : { token: settings.auth.botToken };
  } else {
    if (!deps.installationStore) throw new Error('OAuth mode needs an installation store');
    authOptions = {
      clientId: settings.auth.clientId,
      clientSecret: settings.auth.clientSecret,
      stateSecret: settings.auth.stateSecret,
      scopes: BOT_SCOPES,
      installationStore: deps.installationStore,
      installerOptions: {
        installPath: INSTALL_PATH,
        redirectUriPath: REDIRECT_PATH,
        directInstall: true,
        port: settings.port,
        ...(settings.apiUrl ? { clientOptions: { slackApiUrl: settings.apiUrl } } : {}),
        callbackOptions: {
          success: (installation, _options, _req, res) => {
            logger.info({ workspace: installation.team?.id, enterprise: installation.enterprise?.id }, 'Slack app installed');
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(INSTALLED_PAGE);
          },
        },
      },
    };
  }

  const app = new App({ ...common, ...receiverOptions, ...authOptions });
  registerSlashCommand(app, { domain: deps.domain, logger, ...(deps.commandTimeoutMs ? { commandTimeoutMs: deps.commandTimeoutMs } : {}) });
  registerAppHome(app, { domain: deps.domain, logger });
  registerUninstall(app, {
    domain: deps.domain,
    logger,
    ...(deps.installationStore ? { installationStore: deps.installationStore } : {}),
    ...(deps.onWorkspaceGone ? { onWorkspaceGone: deps.onWorkspaceGone } : {}),
  });
  app.error(async (error) => {
    logger.error({ code: (error as { code?: string }).code, err: error.message }, 'Slack listener failed');
  });
  return app;
}

const INSTALLED_PAGE = `<!doctype html><meta charset="utf-8"><title>Ofsted Alerts installed</title>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Ofsted Alerts is installed</h1>
<p>In any channel, type <code>/ofsted subscribe Wakefield</code> (a council, a region, or <code>all</code>).
For a private channel, first invite the app: <code>/invite @Ofsted Alerts</code>. <code>/ofsted help</code> lists the rest.</p>
</body>`;
