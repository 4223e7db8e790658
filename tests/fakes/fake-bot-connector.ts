// A local fake of the Bot Connector service that Teams bots post to, on 127.0.0.1 (node:http), for tests
// and the benchmark. Replies and proactive messages arrive as
//   POST /v3/conversations/{conversationId}/activities[/{replyToId}]
// and are recorded. It enforces Teams' limits per conversation (7 messages in 1 s, 8 in 2 s, 60 in 30 s,
// 1,800 in an hour) and per tenant (50 requests a second) on arrival, answering 429 with Retry-After beyond
// them; refuses messages over 100 KB (UTF-16) with 413 MessageSizeTooBig; answers chosen errors on demand
// (a status with a Teams error code, a Retry-After, or a dropped connection); can answer after a set
// latency (requests are counted when they arrive, answered latencyMs later); and can require a bearer token. It also publishes OpenID metadata and a signing key, and signs
// channel tokens with it, so a bot with an app id can be tested without Microsoft; and it builds the
// activities Teams sends to a bot (messages with an @mention, installs, removals, card actions).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign as signWith, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeActivity {
  /** the id the fake gave it */
  id: string;
  /** the conversation id as posted to (a channel thread: "19:…;messageid=…") */
  conversationId: string;
  /** without the thread */
  root: string;
  /** the thread it was posted in: ";messageid=" of the conversation id, or the replyToId of the path */
  threadId: string | null;
  replyToId: string | null;
  tenant: string | null;
  activity: Record<string, unknown>;
  authorization: string | null;
  /** ms since the epoch, when it arrived */
  at: number;
}

export type FakeFailure = { status: number; code?: string; retryAfterS?: number; message?: string } | 'drop';

export interface Window {
  limit: number;
  spanMs: number;
}

export interface FakeConnectorOptions {
  latencyMs?: number;
  /** per conversation (default Teams': 7/1 s, 8/2 s, 60/30 s, 1800/h); [] turns it off */
  conversationWindows?: Window[];
  /** per tenant (default 50/1 s); [] turns it off */
  tenantWindows?: Window[];
  /** in UTF-16 bytes of the activity's JSON (default 100 KB) */
  maxMessageBytes?: number;
  /** when set, every post must carry "Bearer <token>" (401 otherwise) */
  requireToken?: string;
  /** keep the activities themselves (default true); the benchmark keeps only what it counts */
  keepActivities?: boolean;
}

const THREAD = /;messageid=([^;/]+)/i;

export const TEAMS_CONVERSATION_WINDOWS: Window[] = [
  { limit: 7, spanMs: 1_000 },
  { limit: 8, spanMs: 2_000 },
  { limit: 60, spanMs: 30_000 },
  { limit: 1_800, spanMs: 3_600_000 },
];
export const TEAMS_TENANT_WINDOWS: Window[] = [{ limit: 50, spanMs: 1_000 }];

/** Arrival times per key; a window is broken when a message would be the (limit+1)-th within span. */
class Arrivals {
  private readonly times = new Map<string, number[]>();
  constructor(private readonly windows: Window[]) {}

  /** null when allowed (and recorded), else ms until it would be */
  admit(key: string, now: number): number | null {
    let list = this.times.get(key);
    if (!list) {
      list = [];
      this.times.set(key, list);
    }
    let wait = 0;
    for (const w of this.windows) {
      if (list.length < w.limit) continue;
      const lth = list[list.length - w.limit]!;
      if (now - lth < w.spanMs) wait = Math.max(wait, lth + w.spanMs - now);
    }
    if (wait > 0) return wait;
    list.push(now);
    const keep = Math.max(0, ...this.windows.map((w) => w.limit));
    if (list.length > keep * 2) list.splice(0, list.length - keep);
    return null;
  }
}

export class FakeBotConnector {
  readonly activities: FakeActivity[] = [];
  readonly counters = { posts: 0, accepted: 0, rateLimited: 0, tenantLimited: 0, tooBig: 0, injected: 0, unauthorized: 0, other: 0 };
  /** per root conversation: how many were accepted, and the longest gap rule broken (none if the fake is right) */
  readonly perConversation = new Map<string, number>();
  /** every accepted post's dedupe key seen (benchmarks): summary text → count, see countKey */
  url = '';
  latencyMs: number;
  requireToken: string | undefined;
  private readonly server: Server;
  private readonly conversationLimits: Arrivals;
  private readonly tenantLimits: Arrivals;
  private readonly maxBytes: number;
  private readonly keep: boolean;
  private readonly failures = new Map<string, { failure: FakeFailure; remaining: number }>();
  private listeners: (() => void)[] = [];
  private seq = 0;
  private readonly privateKey: KeyObject;
  readonly keyId = `fake-${randomUUID().slice(0, 8)}`;
  /** called for every accepted activity (benchmarks count without keeping them) */
  onAccepted: ((a: FakeActivity) => void) | null = null;

  private constructor(opts: FakeConnectorOptions) {
    this.latencyMs = opts.latencyMs ?? 0;
    this.conversationLimits = new Arrivals(opts.conversationWindows ?? TEAMS_CONVERSATION_WINDOWS);
    this.tenantLimits = new Arrivals(opts.tenantWindows ?? TEAMS_TENANT_WINDOWS);
    this.maxBytes = opts.maxMessageBytes ?? 100 * 1024;
    this.requireToken = opts.requireToken;
    this.keep = opts.keepActivities ?? true;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(opts: FakeConnectorOptions = {}): Promise<FakeBotConnector> {
    const fake = new FakeBotConnector(opts);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/`;
    return fake;
  }

  /** the serviceUrl to put in activities */
  get serviceUrl(): string {
    return this.url;
  }

  /** the OpenID metadata URL publishing this fake's signing key (ToBotFromChannelOpenIdMetadataUrl) */
  get openIdMetadataUrl(): string {
    return `${this.url}openid/.well-known/openid-configuration`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
    });
  }

  /** the next `times` posts to a conversation (root id) fail this way */
  failConversation(conversationId: string, failure: FakeFailure, times = Number.POSITIVE_INFINITY): void {
    this.failures.set(conversationId.replace(THREAD, ''), { failure, remaining: times });
  }

  clearFailures(): void {
    this.failures.clear();
  }

  /** what was posted to a conversation (root id, threads included), oldest first */
  activitiesIn(conversationId: string): FakeActivity[] {
    const root = conversationId.replace(THREAD, '');
    return this.activities.filter((a) => a.root === root);
  }

  /** resolves when `check` is true (checked after every post), or rejects after timeoutMs */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const first = check();
      if (first) return resolve(first);
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`fake Bot Connector: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = () => {
        const v = check();
        if (v) {
          clearTimeout(timer);
          this.listeners = this.listeners.filter((l) => l !== listener);
          resolve(v);
        }
      };
      this.listeners.push(listener);
    });
  }

  // ───────────────────────────── tokens ─────────────────────────────

  /** A channel token as the Bot Framework would send it to a bot: RS256, issuer api.botframework.com. */
  signToken(claims: { aud: string; serviceUrl: string; iss?: string; expiresInS?: number; kid?: string }, key: KeyObject = this.privateKey): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: claims.kid ?? this.keyId };
    const payload = { iss: claims.iss ?? 'https://api.botframework.com', aud: claims.aud, serviceurl: claims.serviceUrl, nbf: now - 60, iat: now - 60, exp: now + (claims.expiresInS ?? 3600) };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${b64(header)}.${b64(payload)}`;
    return `${unsigned}.${signWith('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
  }

  /** a key the fake does not publish, to forge tokens with */
  static foreignKey(): KeyObject {
    return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  }

  // ───────────────────────────── HTTP ─────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now(); // arrival: when the request came in (its body follows in the same moment)
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;

    if (req.method === 'GET' && path === '/openid/.well-known/openid-configuration') {
      return json(res, 200, { issuer: 'https://api.botframework.com', jwks_uri: `${this.url}openid/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (req.method === 'GET' && path === '/openid/keys') {
      const jwk = createPublicKey(this.privateKey).export({ format: 'jwk' }) as { n: string; e: string };
      return json(res, 200, { keys: [{ kty: 'RSA', use: 'sig', kid: this.keyId, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] });
    }

    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/.exec(path);
    if (req.method !== 'POST' || !m) return json(res, 404, { error: { code: 'NotFound', message: `no route ${req.method} ${path}` } });
    const arrived = at; // limits are counted on arrival; the answer comes latencyMs later
    this.counters.posts++;
    const conversationId = decodeURIComponent(m[1]!);
    const replyToId = m[2] ? decodeURIComponent(m[2]) : null;
    const root = conversationId.replace(THREAD, '');
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      this.counters.other++;
      return this.answer(res, 400, { error: { code: 'BadSyntax', message: 'body is not JSON' } });
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : null;
    if (this.requireToken && authorization !== `Bearer ${this.requireToken}`) {
      this.counters.unauthorized++;
      return this.answer(res, 401, { error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } });
    }
    const failure = this.failures.get(root);
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      this.counters.injected++;
      if (failure.failure === 'drop') {
        req.socket.destroy();
        return this.notify();
      }
      const f = failure.failure;
      return this.answer(res, f.status, { error: { code: f.code ?? `Http${f.status}`, message: f.message ?? `injected ${f.status}` } }, f.retryAfterS !== undefined ? { 'retry-after': String(f.retryAfterS) } : {});
    }
    if (JSON.stringify(activity).length * 2 > this.maxBytes) {
      this.counters.tooBig++;
      return this.answer(res, 413, { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } });
    }
    const conversation = activity.conversation as { tenantId?: string } | undefined;
    const tenant = conversation?.tenantId ?? null;
    const convWait = this.conversationLimits.admit(root, arrived);
    if (convWait !== null) {
      this.counters.rateLimited++;
      return this.answer(res, 429, { error: { code: 'TooManyRequests', message: 'Too many requests in this conversation' } }, { 'retry-after': String(Math.max(1, Math.ceil(convWait / 1000))) });
    }
    if (tenant) {
      const tenantWait = this.tenantLimits.admit(tenant, arrived);
      if (tenantWait !== null) {
        this.counters.rateLimited++;
        this.counters.tenantLimited++;
        return this.answer(res, 429, { error: { code: 'TooManyRequests', message: 'Too many requests for this tenant' } }, { 'retry-after': String(Math.max(1, Math.ceil(tenantWait / 1000))) });
      }
    }
    const id = `${arrived}${String(++this.seq).padStart(6, '0')}`;
    const threadMatch = THREAD.exec(conversationId);
    const record: FakeActivity = {
      id,
      conversationId,
      root,
      threadId: threadMatch ? threadMatch[1]! : replyToId,
      replyToId,
      tenant,
      activity: this.keep ? activity : {},
      authorization,
      at: arrived,
    };
    this.counters.accepted++;
    this.perConversation.set(root, (this.perConversation.get(root) ?? 0) + 1);
    if (this.keep) this.activities.push(record);
    this.onAccepted?.(activity === record.activity ? record : { ...record, activity });
    return this.answer(res, 201, { id });
  }

  private answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const reply = () => {
      json(res, status, body, headers);
      this.notify();
    };
    if (this.latencyMs > 0) setTimeout(reply, this.latencyMs);
    else reply();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

// ───────────────────────────── activities Teams sends to a bot ─────────────────────────────

export const BOT = { id: '28:00000000-0000-0000-0000-00000000b07a', name: 'Ofsted Alerts' };

export interface Place {
  serviceUrl: string;
  tenant: string;
  /** the conversation id (a channel's, a group chat's, a personal chat's) */
  conversation: string;
  /** 'channel' (a team), 'groupChat', 'personal' */
  type?: 'channel' | 'groupChat' | 'personal';
  /** a channel's team (its General channel id) */
  teamId?: string;
  teamName?: string;
  /** where the tenant is said: conversation.tenantId (default) or channelData.tenant.id only */
  tenantIn?: 'conversation' | 'channelData';
}

export interface Person {
  id: string;
  name: string;
  aadObjectId: string;
}

export const ALICE: Person = { id: '29:alice', name: 'Alice Example', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001' };

let activitySeq = 0;

function base(place: Place, from: Person | { id: string; name: string }, extra: Record<string, unknown>): Record<string, unknown> {
  const type = place.type ?? (place.teamId ? 'channel' : 'personal');
  const channelData: Record<string, unknown> = { tenant: { id: place.tenant } };
  if (place.teamId) {
    channelData.team = { id: place.teamId, name: place.teamName ?? 'A team' };
    channelData.channel = { id: place.conversation.replace(THREAD, '') };
  }
  return {
    channelId: 'msteams',
    serviceUrl: place.serviceUrl,
    id: `${Date.now()}${String(++activitySeq).padStart(4, '0')}`,
    timestamp: new Date().toISOString(),
    from,
    recipient: BOT,
    conversation: {
      id: place.conversation,
      conversationType: type,
      isGroup: type !== 'personal',
      ...(place.tenantIn === 'channelData' ? {} : { tenantId: place.tenant }),
    },
    channelData,
    locale: 'en-GB',
    ...extra,
  };
}

/** A message as Teams sends it: in a channel or group chat, with the bot's @mention first. */
export function messageActivity(place: Place, text: string, opts: { from?: Person; mention?: boolean; value?: unknown; replyToId?: string } = {}): Record<string, unknown> {
  const mention = opts.mention ?? (place.type ?? (place.teamId ? 'channel' : 'personal')) !== 'personal';
  const mentionText = `<at>${BOT.name}</at>`;
  return base(place, opts.from ?? ALICE, {
    type: 'message',
    text: mention ? `${mentionText} ${text}` : text,
    textFormat: 'plain',
    ...(mention ? { entities: [{ type: 'mention', mentioned: BOT, text: mentionText }] } : {}),
    ...(opts.value !== undefined ? { value: opts.value } : {}),
    ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
  });
}

/** An Action.Submit click: a message whose value is the button's data (no text). */
export function submitActivity(place: Place, data: unknown, opts: { from?: Person; replyToId?: string } = {}): Record<string, unknown> {
  return base(place, opts.from ?? ALICE, { type: 'message', value: data, ...(opts.replyToId ? { replyToId: opts.replyToId } : {}) });
}

/** An Action.Execute click: invoke adaptiveCard/action. */
export function executeActivity(place: Place, data: unknown, opts: { from?: Person; verb?: string } = {}): Record<string, unknown> {
  return base(place, opts.from ?? ALICE, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: opts.verb ?? 'ofsted', data } } });
}

export function installationUpdate(place: Place, action: 'add' | 'remove' | 'add-upgrade', from: Person = ALICE): Record<string, unknown> {
  return base(place, from, { type: 'installationUpdate', action });
}

export function membersAdded(place: Place, members: { id: string; name?: string }[], from: Person = ALICE): Record<string, unknown> {
  return base(place, from, { type: 'conversationUpdate', membersAdded: members, ...(place.teamId ? { channelData: { tenant: { id: place.tenant }, team: { id: place.teamId, name: place.teamName ?? 'A team' }, eventType: 'teamMemberAdded' } } : {}) });
}

export function membersRemoved(place: Place, members: { id: string; name?: string }[], from: Person = ALICE): Record<string, unknown> {
  return base(place, from, { type: 'conversationUpdate', membersRemoved: members, ...(place.teamId ? { channelData: { tenant: { id: place.tenant }, team: { id: place.teamId, name: place.teamName ?? 'A team' }, eventType: 'teamMemberRemoved' } } : {}) });
}

export function channelDeleted(place: Place & { teamId: string }, channelId: string, from: Person = ALICE): Record<string, unknown> {
  return base(place, from, { type: 'conversationUpdate', channelData: { tenant: { id: place.tenant }, team: { id: place.teamId, name: place.teamName ?? 'A team' }, channel: { id: channelId, name: 'old channel' }, eventType: 'channelDeleted' } });
}

/** POSTs an activity to a bot's /api/messages; returns the status and the body. */
export async function postActivity(messagesUrl: string, activity: Record<string, unknown>, opts: { token?: string; authorization?: string } = {}): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  else if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(messagesUrl, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* text */
  }
  return { status: res.status, body, ms: performance.now() - started };
}

/** The Adaptive Card of a recorded activity, if it has one. */
export function cardOf(a: FakeActivity | Record<string, unknown>): Record<string, unknown> | null {
  const activity = ('activity' in a && a.activity && typeof a.activity === 'object' ? a.activity : a) as { attachments?: { contentType?: string; content?: Record<string, unknown> }[] };
  const att = activity.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive');
  return att?.content ?? null;
}
