// Bot Framework authentication for the Teams adapter: botbuilder's ConfigurationBotFrameworkAuthentication
// with the app's id, secret (or managed identity) and tenant — it checks the bearer token of every request
// to /api/messages (when an app id is set) and gets tokens for our posts — with one change: the connector
// clients it makes do not retry by themselves. The Azure pipeline would otherwise retry 429 and 5xx up to
// three times inside one post, holding the outbox's channel and possibly posting twice after a 502/504;
// the outbox owns retries (Retry-After, backoff, attempts), and replies retry in teams-bot.ts. And the
// clients are reused per service URL instead of being built anew for every post.
import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Logger } from '../../src/log/logger.ts';
import type { TeamsSettings } from './teams-settings.ts';

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;
type Activity = Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>[0];
export type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** the name of the Azure pipeline's retry policy (@azure/core-rest-pipeline defaultRetryPolicyName) */
const RETRY_POLICY = 'defaultRetryPolicy';

export interface TeamsAuthenticationOptions {
  logger: Logger;
  /** tests: where the signing keys of channel tokens are published (default: the Bot Framework's) */
  openIdMetadataUrl?: string;
}

export class TeamsAuthentication extends ConfigurationBotFrameworkAuthentication {
  private warned = false;
  /**
   * Connector clients by app id, service URL and audience. botbuilder makes a new client (a new Azure
   * pipeline) for every turn and every proactive post; a client holds no per-conversation state (the token
   * cache is botbuilder's own, shared), so one per service URL serves them all.
   */
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  constructor(settings: TeamsSettings, private readonly opts: TeamsAuthenticationOptions) {
    super(authOptions(settings, opts.openIdMetadataUrl));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.withoutRetries(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  /** One user-token client per app: botbuilder makes one for every turn and proactive post, and this app never uses it. */
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = appIdOf(claimsIdentity);
    let client = this.userTokenClients.get(key);
    if (!client) {
      client = super.createUserTokenClient(claimsIdentity);
      client.catch(() => this.userTokenClients.delete(key));
      this.userTokenClients.set(key, client);
    }
    return client;
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.withoutRetries(result.connectorFactory, appIdOf(result.claimsIdentity)) } : result;
  }

  private withoutRetries(factory: ConnectorFactory, appId: string): ConnectorFactory {
    const create = (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
      const key = `${appId}|${serviceUrl}|${audience ?? ''}`;
      let client = this.clients.get(key);
      if (!client) {
        client = factory.create(serviceUrl, audience).then((c) => {
          if (!removeRetryPolicy(c) && !this.warned) {
            this.warned = true;
            this.opts.logger.warn('could not turn off the Bot Connector client retries (the SDK changed?): posts may be retried inside the SDK');
          }
          return c;
        });
        client.catch(() => this.clients.delete(key));
        if (this.clients.size > 100) this.clients.clear();
        this.clients.set(key, client);
      }
      return client;
    };
    return { create } as ConnectorFactory;
  }
}

/** The app id a connector factory posts as (the audience or app id claim, as botbuilder reads it). */
function appIdOf(identity: ClaimsIdentity | undefined): string {
  const claims = (identity as { claims?: { type: string; value: string }[] } | undefined)?.claims ?? [];
  return claims.find((c) => c.type === 'aud')?.value ?? claims.find((c) => c.type === 'appid')?.value ?? '';
}

interface PipelineLike {
  removePolicy(o: { name: string }): unknown[];
  getOrderedPolicies(): { name: string }[];
}

/** The Azure pipeline inside a botbuilder connector client (ServiceClientContext.client.pipeline). */
export function pipelineOf(client: unknown): PipelineLike | null {
  const pipeline = (client as { client?: { pipeline?: PipelineLike } } | null)?.client?.pipeline;
  return pipeline && typeof pipeline.removePolicy === 'function' && typeof pipeline.getOrderedPolicies === 'function' ? pipeline : null;
}

/** Removes the Azure pipeline's retry policy from a connector client; false if it could not be found. */
export function removeRetryPolicy(client: unknown): boolean {
  const pipeline = pipelineOf(client);
  if (!pipeline) return false;
  pipeline.removePolicy({ name: RETRY_POLICY });
  return !pipeline.getOrderedPolicies().some((p) => p.name === RETRY_POLICY);
}

/**
 * The public cloud's endpoints, spelt out: botbuilder uses its defaults only when none is given, so
 * changing one (the OpenID metadata, for tests) means giving them all (values of botbuilder 4.23's
 * AuthenticationConstants and CallerIdConstants.PublicAzureChannel).
 */
const PUBLIC_CLOUD = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

function authOptions(settings: TeamsSettings, openIdMetadataUrl: string | undefined): ConfigurationBotFrameworkAuthenticationOptions {
  const extra = openIdMetadataUrl ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl } : {};
  if (settings.auth.kind === 'local') return { ...extra };
  const a = settings.auth;
  return {
    MicrosoftAppId: a.appId,
    // botbuilder spells the managed identity type "UserAssignedMsi" (compared case-insensitively)
    MicrosoftAppType: a.appType === 'UserAssignedMSI' ? 'UserAssignedMsi' : a.appType,
    ...(a.password ? { MicrosoftAppPassword: a.password } : {}),
    ...(a.tenantId ? { MicrosoftAppTenantId: a.tenantId } : {}),
    ...extra,
  };
}

export type AuthFailure = { status: 401 | 503; reason: string };

/** Why a request was refused: 401 for a missing, malformed, foreign or forged token; 503 when the keys could not be loaded. */
export function authFailureOf(error: unknown): AuthFailure {
  const e = (error ?? {}) as { statusCode?: unknown; name?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message.slice(0, 200) : 'not authorized';
  if (typeof e.name === 'string' && /JsonWebTokenError|TokenExpiredError|NotBeforeError/.test(e.name)) return { status: 401, reason: message };
  if (e.statusCode === 401) return { status: 401, reason: message };
  if (e.statusCode === 500 || /openID|Failed to load|ECONNREFUSED|ENOTFOUND|fetch/i.test(message)) return { status: 503, reason: message };
  return { status: 401, reason: message };
}
