// Proactive posts for the outbox without a turn per post. continueConversationAsync builds, for every
// message, a continuation activity, a TurnContext, a middleware run and then the Azure pipeline's
// serialisation of the whole activity (the card walked field by field against the schema's mappers): with
// a thousand posts a second to send, that was half of all the CPU a busy morning took, and the process
// could not keep up with Teams' limits. Here, as botbuilder's own skill client does (BotFrameworkClientImpl):
// the bot's credentials from the connector client botbuilder makes for the service URL sign the request
// (the Authorization header, nothing when the app runs without an app id), and the activity is POSTed as
// JSON to the Bot Connector's REST API — v3/conversations/{id}/activities, or …/activities/{replyToId}
// for a reply in a thread, as CloudAdapter does — over a bounded pool of keep-alive connections. The card
// of a part is serialised once (parts are shared by every conversation that gets the same alert); each
// post only adds what the conversation reference sets (TurnContext.applyConversationReference).
//
// A failure is thrown the way the Azure pipeline throws it (statusCode, response headers and body), so
// teams-errors.ts reads both alike. When the credentials cannot be found the poster falls back to
// continueConversationAsync.
import type { ConversationReference, TurnContext } from 'botbuilder';
import { Agent, request } from 'undici';
import type { TeamsMessageActivity } from './render/parts.ts';
import type { PostActivity } from './teams-sender.ts';

/** What signs a request: botbuilder's ServiceClientCredentials (AppCredentials and its kinds). */
interface Signer {
  signRequest(webResource: { headers: { set(name: string, value: string): void } }): Promise<unknown>;
}

export interface DirectPosterOptions {
  /** time limit for one post's answer (ms) */
  timeoutMs?: number;
  /** most connections kept open to one service URL (posts beyond wait for one) */
  connections?: number;
}

/** The fields TurnContext sets from the conversation reference: never taken from the part itself. */
const REFERENCE_FIELDS = new Set(['id', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient', 'replyToId', 'locale']);

export interface ContinuingAdapter {
  readonly ConnectorClientKey: symbol;
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export function directPoster(adapter: ContinuingAdapter, appId: string, fallback: PostActivity, opts: DirectPosterOptions = {}): PostActivity & { close(): Promise<void> } {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const dispatcher = new Agent({ connections: opts.connections ?? 128, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 30_000 });
  /** per service URL: the credentials of the connector client botbuilder makes for it (null: none found) */
  const signers = new Map<string, Promise<Signer | null>>();
  /** per part's activity: its own fields as JSON members, made once */
  const serialised = new WeakMap<object, string>();

  const signerFor = (reference: Partial<ConversationReference>): Promise<Signer | null> => {
    const key = reference.serviceUrl ?? '';
    let s = signers.get(key);
    if (!s) {
      s = (async () => {
        let signer: Signer | null = null;
        // one proactive turn gives the connector client botbuilder uses for this service URL (and app)
        await adapter.continueConversationAsync(appId, reference, async (context) => {
          const client = context.turnState.get(adapter.ConnectorClientKey) as { credentials?: Partial<Signer> } | undefined;
          if (client?.credentials && typeof client.credentials.signRequest === 'function') signer = client.credentials as Signer;
        });
        return signer;
      })();
      s.catch(() => signers.delete(key));
      if (signers.size > 100) signers.clear();
      signers.set(key, s);
    }
    return s;
  };

  const ownMembers = (activity: TeamsMessageActivity): string => {
    let m = serialised.get(activity);
    if (m === undefined) {
      const own: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(activity)) if (!REFERENCE_FIELDS.has(k) && v !== undefined) own[k] = v;
      own.type ??= 'message';
      m = JSON.stringify(own).slice(1, -1);
      serialised.set(activity, m);
    }
    return m;
  };

  const post = (async (reference: Partial<ConversationReference>, activity: TeamsMessageActivity): Promise<string | null> => {
    const signer = await signerFor(reference);
    if (!signer) return fallback(reference, activity);
    const conversation = reference.conversation;
    const serviceUrl = reference.serviceUrl;
    if (!serviceUrl || !conversation?.id) throw new Error('the conversation reference has no service URL or conversation id');
    const replyToId = reference.activityId || null;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
    await signer.signRequest({ headers: { set: (name, value) => void (headers[name.toLowerCase()] = value) } });
    const fromReference = JSON.stringify({
      channelId: reference.channelId,
      serviceUrl,
      conversation,
      ...(reference.bot ? { from: reference.bot } : {}),
      ...(reference.user ? { recipient: reference.user } : {}),
      ...(replyToId ? { replyToId } : {}),
      ...(reference.locale ? { locale: reference.locale } : {}),
    }).slice(0, -1);
    const own = ownMembers(activity);
    const body = own ? `${fromReference},${own}}` : `${fromReference}}`;
    const base = serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`;
    const path = `v3/conversations/${encodeURIComponent(conversation.id)}/activities${replyToId ? `/${encodeURIComponent(replyToId)}` : ''}`;
    const res = await request(`${base}${path}`, { method: 'POST', headers, body, dispatcher });
    const text = await res.body.text();
    if (res.statusCode >= 200 && res.statusCode < 300) {
      try {
        const parsed = JSON.parse(text) as { id?: unknown } | null;
        return typeof parsed?.id === 'string' ? parsed.id : null;
      } catch {
        return null;
      }
    }
    // as the Azure pipeline's RestError: status, headers and body, for describeFailure
    throw Object.assign(new Error(`the Bot Connector answered HTTP ${res.statusCode}`), {
      name: 'RestError',
      statusCode: res.statusCode,
      response: { status: res.statusCode, headers: res.headers, bodyAsText: text },
    });
  }) as PostActivity & { close(): Promise<void> };
  post.close = () => dispatcher.close();
  return post;
}
