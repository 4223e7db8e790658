// The Teams adapter's entry point for `start`: reads the settings (refusing to start without an app id
// unless local mode is asked for), builds the authentication, the CloudAdapter, the bot and the sender for
// the outbox, and listens on TEAMS_PORT at /api/messages. stop() closes the server and waits briefly for
// answers still on their way; the outbox stops on its own.
import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { AppContext } from '../../src/app/context.ts';
import { channelKey } from '../../src/chat/types.ts';
import type { Config } from '../../src/config/config.ts';
import type { Logger } from '../../src/log/logger.ts';
import type { LetterDeps } from '../../src/pipeline/ensure-letter.ts';
import { rootConversationId } from './conversation.ts';
import { TeamsRateLimiter } from './rate-limits.ts';
import type { TeamsMessageActivity, TeamsPart } from './render/parts.ts';
import { TeamsAuthentication } from './teams-auth.ts';
import { OfstedTeamsBot } from './teams-bot.ts';
import type { TeamsDomain } from './teams-domain.ts';
import { startTeamsServer, TeamsCloudAdapter } from './teams-http.ts';
import { createTeamsSender, type PostActivity, type TeamsSender, type TeamsSenderOptions } from './teams-sender.ts';
import { directPoster } from './direct-post.ts';
import { appIdOf, homeTenantOf, MESSAGES_PATH, TeamsConfigError, teamsSettings, type TeamsSettings } from './teams-settings.ts';

export { teamsConfigured } from './teams-settings.ts';

export interface StartTeamsAdapterOptions {
  config: Config;
  ctx: Pick<AppContext, 'db' | 'now' | 'directory' | 'logger' | 'config'>;
  logger: Logger;
  /** the domain behind commands and buttons; default: the real services on ctx */
  domain?: TeamsDomain;
  /** lets lookups read a letter not read yet (the letter pool) */
  letters?: LetterDeps;
  /** overrides TEAMS_PORT (0 = any free port, for tests) */
  port?: number;
  /** overrides where the server listens */
  host?: string;
  /** how long a command may take before the person is told the answer will follow (ms) */
  commandTimeoutMs?: number;
  /** tests: where channel tokens' signing keys are published */
  openIdMetadataUrl?: string;
  /** tests and benchmarks: sender settings (timeouts, inline waits) */
  sender?: Partial<Pick<TeamsSenderOptions, 'maxInlineWaitMs' | 'timeoutMs' | 'referenceTtlMs'>>;
}

export interface TeamsAdapter {
  /** for the outbox worker: senders.set('teams', sender) */
  sender: TeamsSender;
  settings: TeamsSettings;
  /** the port the server listens on */
  port: number;
  /** http://HOST:PORT/api/messages */
  messagesUrl: string;
  stop(): Promise<void>;
}

export class TeamsStartError extends Error {}

export async function startTeamsAdapter(opts: StartTeamsAdapterOptions): Promise<TeamsAdapter> {
  const { config, ctx, logger } = opts;
  let settings: TeamsSettings;
  try {
    settings = teamsSettings(config);
  } catch (error) {
    if (error instanceof TeamsConfigError) throw new TeamsStartError(error.message);
    throw error;
  }
  const local = settings.auth.kind === 'local';
  const appId = appIdOf(settings);
  const auth = new TeamsAuthentication(settings, { logger, ...(opts.openIdMetadataUrl ? { openIdMetadataUrl: opts.openIdMetadataUrl } : {}) });
  const adapter = new TeamsCloudAdapter(auth, { logger, local });
  const domain = opts.domain ?? (await import('./domain-wiring.ts')).createTeamsDomain(ctx, opts.letters ? { letters: opts.letters } : {});
  const limiter = new TeamsRateLimiter();

  const post = directPoster(adapter, appId, proactivePoster(adapter, appId), opts.sender?.timeoutMs ? { timeoutMs: opts.sender.timeoutMs } : {});
  const sender = createTeamsSender({ post, conversations: { get: (channel) => domain.conversation(channel) }, limiter, logger, ...opts.sender });
  const bot = new OfstedTeamsBot({
    domain,
    logger,
    limiter,
    homeTenant: homeTenantOf(settings),
    ...(opts.commandTimeoutMs ? { commandTimeoutMs: opts.commandTimeoutMs } : {}),
    postLater: async (reference, parts) => {
      // within the conversation's limits like every other post (a person is waiting: up to 10 s)
      const tenant = reference.conversation?.tenantId ?? '';
      const key = channelKey({ platform: 'teams', workspace: tenant, channel: rootConversationId(reference.conversation?.id ?? '') });
      for (const part of parts) {
        const slot = await limiter.acquire(tenant, key, 10_000, (ms) => new Promise((r) => setTimeout(r, ms)));
        try {
          await post(reference, part.activity);
        } finally {
          if (slot.ok) slot.done();
        }
      }
    },
    onConversationChanged: (channel) => sender.forget(channel),
  });
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, type: context.activity.type, conversation: context.activity.conversation?.id }, 'Teams turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity({ type: 'message', text: 'Sorry, something went wrong on our side. It has been logged; please try again in a minute.' }).catch(() => undefined);
    }
  };

  const host = opts.host ?? settings.host;
  const server = await startTeamsServer({ adapter, logic: (context) => bot.run(context), host, port: opts.port ?? settings.port, logger });
  const shownHost = host === '::' || host === '0.0.0.0' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const messagesUrl = `http://${shownHost}:${server.port}${MESSAGES_PATH}`;
  if (local) {
    logger.warn(
      { port: server.port, host },
      `TEAMS ADAPTER IS RUNNING WITHOUT AUTHENTICATION (TEAMS_ALLOW_UNAUTHENTICATED=true, no MICROSOFT_APP_ID): any request to ${messagesUrl} is accepted. ` +
        'It listens on this machine only and answers only service URLs on this machine. Never run it like this in production.',
    );
  } else {
    const a = settings.auth as Extract<TeamsSettings['auth'], { kind: 'authenticated' }>;
    logger.info({ port: server.port, appId, appType: a.appType, tenant: a.tenantId }, 'Teams adapter started: requests without a valid Bot Framework token get 401');
  }

  let stopped = false;
  return {
    sender,
    settings,
    port: server.port,
    messagesUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      await bot.drain();
      await post.close().catch(() => undefined);
    },
  };
}

/** Posts proactively with continueConversationAsync (direct-post.ts falls back to it); errors inside the turn are thrown, not swallowed by onTurnError. */
export function proactivePoster(adapter: TeamsCloudAdapter, appId: string): PostActivity {
  return async (reference: Partial<ConversationReference>, activity: TeamsMessageActivity) => {
    let id: string | null = null;
    let failure: { error: unknown } | null = null;
    let ran = false;
    await adapter.continueConversationAsync(appId, reference, async (context: TurnContext) => {
      ran = true;
      // the continuation activity has a random id, which sendActivity would make the replyToId: a post
      // into a thread replies to the thread's first message; any other post replies to nothing
      context.activity.id = reference.activityId as string;
      try {
        const res = await context.sendActivity(activity as Partial<Activity>);
        id = res?.id ?? null;
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw (failure as { error: unknown }).error;
    if (!ran) throw new Error('the proactive turn did not run');
    return id;
  };
}

export type { TeamsPart };
