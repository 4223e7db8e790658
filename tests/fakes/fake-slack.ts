// A local fake of Slack for tests and benchmarks, on 127.0.0.1 (node:http). It answers the Web API methods
// the adapter uses (auth.test, chat.postMessage, chat.postEphemeral, conversations.history/replies/join,
// views.publish, oauth.v2.access), records what it receives, enforces about one message a second per
// channel (429 + Retry-After beyond), checks Block Kit limits as Slack does, returns chosen errors on
// demand, can answer after a set latency, and serves response_url endpoints for `respond`. It also builds
// and signs the requests Slack sends to an app (slash commands, block actions, events).
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWorkspace {
  teamId: string;
  teamName: string;
  token: string;
  botUserId: string;
  botId: string;
  enterpriseId?: string;
}

export interface FakeMessage {
  ts: string;
  team: string;
  channel: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts: string | undefined;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | undefined;
  user: string;
  bot_id: string;
  /** ms since the epoch, when the fake accepted it */
  at: number;
}

export interface FakeResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export type FakeFailure = string | { status: number } | { ratelimited: number } | 'drop';

export interface FakeSlackOptions {
  /** ms before every Web API answer (default 0) */
  latencyMs?: number;
  /** least ms between two messages to one channel (default 1000) */
  channelIntervalMs?: number;
  /** how much earlier than channelIntervalMs a message is still accepted (default 100) */
  toleranceMs?: number;
  /** refuse messages that break Block Kit limits, as Slack does (default true) */
  enforceBlockLimits?: boolean;
  workspaces?: Partial<FakeWorkspace>[];
}

interface OAuthGrant {
  teamId: string;
  teamName: string;
  token: string;
  botUserId: string;
  userId: string;
  scope: string;
  enterpriseId?: string;
}

interface Failure {
  failure: FakeFailure;
  remaining: number;
}

export class FakeSlack {
  readonly workspaces = new Map<string, FakeWorkspace>();
  readonly messages: FakeMessage[] = [];
  readonly responses: FakeResponse[] = [];
  readonly ephemerals: { team: string; channel: string; user: string; text: string; blocks: unknown }[] = [];
  readonly views: { team: string; user_id: string; view: { type: string; blocks: unknown[] } }[] = [];
  readonly joined = new Set<string>();
  readonly privateChannels = new Set<string>();
  readonly counters = { calls: {} as Record<string, number>, rateLimited: 0, errors: 0, rejectedBlocks: 0 };
  latencyMs: number;
  channelIntervalMs: number;
  toleranceMs: number;
  enforceBlockLimits: boolean;
  private readonly server: Server;
  private readonly lastPost = new Map<string, number>();
  private readonly methodFailures = new Map<string, Failure>();
  private readonly channelFailures = new Map<string, Failure>();
  private readonly grants = new Map<string, OAuthGrant>();
  private readonly responseUses = new Map<string, number>();
  /** ids of response URLs and views: never reused */
  private seq = 0;
  /** the counter within one second of message timestamps (reset each second) */
  private tsSeq = 0;
  private lastTsSecond = 0;
  private listeners: (() => void)[] = [];
  url = '';

  private constructor(opts: FakeSlackOptions) {
    this.latencyMs = opts.latencyMs ?? 0;
    this.channelIntervalMs = opts.channelIntervalMs ?? 1000;
    this.toleranceMs = opts.toleranceMs ?? 100;
    this.enforceBlockLimits = opts.enforceBlockLimits ?? true;
    for (const w of opts.workspaces ?? [{ teamId: 'T0000000A' }]) this.addWorkspace(w);
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(opts);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/`;
    return fake;
  }

  /** the Web API base, for SLACK_API_URL / clientOptions.slackApiUrl */
  get apiUrl(): string {
    return `${this.url}api/`;
  }

  addWorkspace(w: Partial<FakeWorkspace>): FakeWorkspace {
    const teamId = w.teamId ?? `T${String(this.workspaces.size + 1).padStart(8, '0')}`;
    const full: FakeWorkspace = {
      teamId,
      teamName: w.teamName ?? `Workspace ${teamId}`,
      token: w.token ?? `xoxb-${teamId}-fake-${Math.random().toString(36).slice(2, 12)}`,
      botUserId: w.botUserId ?? `U${teamId.slice(1)}BOT`,
      botId: w.botId ?? `B${teamId.slice(1)}`,
      ...(w.enterpriseId ? { enterpriseId: w.enterpriseId } : {}),
    };
    this.workspaces.set(teamId, full);
    return full;
  }

  workspace(teamId?: string): FakeWorkspace {
    const w = teamId ? this.workspaces.get(teamId) : this.workspaces.values().next().value;
    if (!w) throw new Error(`fake Slack has no workspace ${teamId ?? ''}`);
    return w;
  }

  /** revoke a workspace's token: later calls with it get invalid_auth */
  revoke(teamId: string): void {
    this.workspaces.delete(teamId);
  }

  /** the next `times` calls of a method fail (an error code, an HTTP status, a 429, or a dropped socket) */
  failMethod(method: string, failure: FakeFailure, times = Number.POSITIVE_INFINITY): void {
    this.methodFailures.set(method, { failure, remaining: times });
  }

  /** messages posted to a channel fail with this error (e.g. channel_not_found, is_archived) */
  failChannel(channel: string, failure: FakeFailure, times = Number.POSITIVE_INFINITY): void {
    this.channelFailures.set(channel, { failure, remaining: times });
  }

  clearFailures(): void {
    this.methodFailures.clear();
    this.channelFailures.clear();
  }

  /** a response_url that records what `respond` sends to it */
  responseUrl(id: string = `r${++this.seq}`): string {
    return `${this.url}respond/${id}`;
  }

  /** allow OAuth: oauth.v2.access with this code installs a workspace */
  grantOAuth(code: string, grant: Partial<OAuthGrant> & { teamId: string }): OAuthGrant {
    const w = this.workspaces.get(grant.teamId) ?? this.addWorkspace({ teamId: grant.teamId, teamName: grant.teamName, ...(grant.token ? { token: grant.token } : {}) });
    const full: OAuthGrant = {
      teamId: grant.teamId,
      teamName: grant.teamName ?? w.teamName,
      token: w.token,
      botUserId: w.botUserId,
      userId: grant.userId ?? 'UINSTALLER',
      scope: grant.scope ?? 'commands,chat:write,channels:join,channels:history,groups:history,im:history',
      ...(grant.enterpriseId ? { enterpriseId: grant.enterpriseId } : {}),
    };
    this.grants.set(code, full);
    return full;
  }

  messagesIn(channel: string, team?: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && (!team || m.team === team));
  }

  /** resolves when `check` is true (checked after every request), or rejects after timeoutMs */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const first = check();
      if (first) return resolve(first);
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`fake Slack: condition not met within ${timeoutMs} ms`));
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

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ───────────────────────────── the server ─────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', this.url).pathname;
    try {
      if (path.startsWith('/respond/')) return this.handleResponseUrl(path.slice('/respond/'.length), raw, res);
      if (path.startsWith('/api/')) {
        if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
        return this.handleApi(path.slice('/api/'.length), req, raw, res);
      }
      send(res, 404, { ok: false, error: 'not_found' });
    } finally {
      for (const l of [...this.listeners]) l();
    }
  }

  private handleResponseUrl(id: string, raw: string, res: ServerResponse): void {
    const uses = (this.responseUses.get(id) ?? 0) + 1;
    this.responseUses.set(id, uses);
    if (uses > 5) return send(res, 404, { ok: false, error: 'used_url' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return send(res, 400, { ok: false, error: 'invalid_json' });
    }
    if (this.enforceBlockLimits && Array.isArray(body.blocks)) {
      const problem = blockProblem(body.blocks);
      if (problem) {
        this.counters.rejectedBlocks++;
        return send(res, 400, { ok: false, error: 'invalid_blocks', detail: problem });
      }
    }
    this.responses.push({ id, body, at: Date.now() });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  }

  private handleApi(method: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    this.counters.calls[method] = (this.counters.calls[method] ?? 0) + 1;
    const args = parseArgs(req.headers['content-type'] ?? '', raw);
    const failure = take(this.methodFailures, method);
    if (failure !== undefined) return this.fail(res, failure);

    if (method === 'oauth.v2.access') return this.oauthAccess(args, res);
    const token = bearer(req.headers.authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
    const w = token ? [...this.workspaces.values()].find((x) => x.token === token) : undefined;
    if (!token) return this.error(res, 'not_authed');
    if (!w) return this.error(res, 'invalid_auth');

    switch (method) {
      case 'auth.test':
        return send(res, 200, { ok: true, url: `https://${w.teamId.toLowerCase()}.slack.com/`, team: w.teamName, user: 'ofsted-alerts', team_id: w.teamId, user_id: w.botUserId, bot_id: w.botId, is_enterprise_install: false });
      case 'chat.postMessage':
        return this.postMessage(w, args, res);
      case 'chat.postEphemeral': {
        this.ephemerals.push({ team: w.teamId, channel: String(args.channel), user: String(args.user), text: String(args.text ?? ''), blocks: json(args.blocks) });
        return send(res, 200, { ok: true, message_ts: this.nextTs() });
      }
      case 'conversations.history':
        return this.history(w, args, res);
      case 'conversations.replies':
        return this.replies(w, args, res);
      case 'conversations.join': {
        const channel = String(args.channel ?? '');
        if (this.privateChannels.has(channel)) return this.error(res, 'method_not_supported_for_channel_type');
        const channelFailure = take(this.channelFailures, channel);
        if (channelFailure !== undefined) return this.fail(res, channelFailure);
        this.joined.add(`${w.teamId}:${channel}`);
        return send(res, 200, { ok: true, channel: { id: channel, is_member: true } });
      }
      case 'views.publish': {
        const view = json(args.view) as { type: string; blocks: unknown[] } | undefined;
        if (!view || view.type !== 'home') return this.error(res, 'invalid_arguments');
        if (this.enforceBlockLimits && blockProblem(view.blocks, 100, Number.POSITIVE_INFINITY)) return this.error(res, 'invalid_blocks');
        this.views.push({ team: w.teamId, user_id: String(args.user_id), view });
        return send(res, 200, { ok: true, view: { id: `V${++this.seq}`, ...view } });
      }
      default:
        return this.error(res, 'unknown_method');
    }
  }

  private postMessage(w: FakeWorkspace, args: Record<string, unknown>, res: ServerResponse): void {
    const channel = String(args.channel ?? '');
    if (!channel) return this.error(res, 'channel_not_found');
    const channelFailure = take(this.channelFailures, channel);
    if (channelFailure !== undefined) return this.fail(res, channelFailure);
    const key = `${w.teamId}:${channel}`;
    const now = Date.now();
    const last = this.lastPost.get(key);
    if (last !== undefined && now - last < this.channelIntervalMs - this.toleranceMs) {
      this.counters.rateLimited++;
      const retryAfter = Math.max(1, Math.ceil((last + this.channelIntervalMs - now) / 1000));
      return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
    }
    const blocks = json(args.blocks) as unknown[] | undefined;
    const text = typeof args.text === 'string' ? args.text : '';
    if (!text && !blocks?.length) return this.error(res, 'no_text');
    if (this.enforceBlockLimits && blocks) {
      const problem = blockProblem(blocks);
      if (problem) {
        this.counters.rejectedBlocks++;
        return this.error(res, problem.startsWith('total') ? 'msg_blocks_too_long' : 'invalid_blocks', { messages: [problem] });
      }
    }
    const threadTs = typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : undefined;
    if (threadTs && !this.messages.some((m) => m.ts === threadTs && m.channel === channel && m.team === w.teamId)) return this.error(res, 'thread_not_found');
    this.lastPost.set(key, now);
    const metadata = json(args.metadata) as FakeMessage['metadata'];
    const message: FakeMessage = { ts: this.nextTs(), team: w.teamId, channel, text, blocks, thread_ts: threadTs, metadata, user: w.botUserId, bot_id: w.botId, at: now };
    this.messages.push(message);
    send(res, 200, { ok: true, channel, ts: message.ts, message: { text, ts: message.ts, bot_id: w.botId } });
  }

  private history(w: FakeWorkspace, args: Record<string, unknown>, res: ServerResponse): void {
    const channel = String(args.channel ?? '');
    const channelFailure = take(this.channelFailures, channel);
    if (channelFailure !== undefined) return this.fail(res, channelFailure);
    const oldest = Number(args.oldest ?? 0);
    const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : Number(args.latest);
    const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const all = this.messages
      .filter((m) => m.team === w.teamId && m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts) && Number(m.ts) >= oldest && Number(m.ts) <= latest)
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    this.page(all, args, res, (m) => this.view(m, withMeta));
  }

  private replies(w: FakeWorkspace, args: Record<string, unknown>, res: ServerResponse): void {
    const channel = String(args.channel ?? '');
    const ts = String(args.ts ?? '');
    const parent = this.messages.find((m) => m.team === w.teamId && m.channel === channel && m.ts === ts);
    if (!parent) return this.error(res, 'thread_not_found');
    const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const all = [parent, ...this.messages.filter((m) => m.team === w.teamId && m.channel === channel && m.thread_ts === ts)];
    this.page(all, args, res, (m) => this.view(m, withMeta));
  }

  private page(all: FakeMessage[], args: Record<string, unknown>, res: ServerResponse, view: (m: FakeMessage) => unknown): void {
    const limit = Math.min(1000, Number(args.limit ?? 100) || 100);
    const start = args.cursor ? Number(Buffer.from(String(args.cursor), 'base64').toString('utf8')) : 0;
    const slice = all.slice(start, start + limit);
    const more = start + limit < all.length;
    send(res, 200, { ok: true, messages: slice.map(view), has_more: more, response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '' } });
  }

  private view(m: FakeMessage, withMeta: boolean): Record<string, unknown> {
    const replies = this.messages.filter((r) => r.thread_ts === m.ts && r.channel === m.channel && r.team === m.team);
    return {
      type: 'message',
      ts: m.ts,
      text: m.text,
      user: m.user,
      bot_id: m.bot_id,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : replies.length ? { thread_ts: m.ts } : {}),
      ...(replies.length ? { reply_count: replies.length } : {}),
      ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
    };
  }

  private oauthAccess(args: Record<string, unknown>, res: ServerResponse): void {
    const grant = this.grants.get(String(args.code ?? ''));
    if (!grant) return this.error(res, 'invalid_code');
    this.grants.delete(String(args.code));
    send(res, 200, {
      ok: true,
      app_id: 'AFAKEAPP',
      authed_user: { id: grant.userId },
      scope: grant.scope,
      token_type: 'bot',
      access_token: grant.token,
      bot_user_id: grant.botUserId,
      team: { id: grant.teamId, name: grant.teamName },
      enterprise: grant.enterpriseId ? { id: grant.enterpriseId } : null,
      is_enterprise_install: false,
    });
  }

  private fail(res: ServerResponse, failure: FakeFailure): void {
    this.counters.errors++;
    if (failure === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (typeof failure === 'string') return send(res, 200, { ok: false, error: failure });
    if ('ratelimited' in failure) {
      this.counters.rateLimited++;
      return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.ratelimited) });
    }
    return send(res, failure.status, { ok: false, error: 'server_error' });
  }

  private error(res: ServerResponse, error: string, extra: Record<string, unknown> = {}): void {
    this.counters.errors++;
    send(res, 200, { ok: false, error, ...(Object.keys(extra).length ? { response_metadata: extra } : {}) });
  }

  private nextTs(): string {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.lastTsSecond) {
      this.lastTsSecond = second;
      this.tsSeq = 0;
    }
    this.tsSeq++;
    return `${second}.${String(this.tsSeq).padStart(6, '0')}`;
  }
}

function take(map: Map<string, Failure>, key: string): FakeFailure | undefined {
  const f = map.get(key);
  if (!f) return undefined;
  f.remaining--;
  if (f.remaining <= 0) map.delete(key);
  return f.failure;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function bearer(h: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(h ?? '');
  return m?.[1];
}

function parseArgs(contentType: string, raw: string): Record<string, unknown> {
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function json(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** Slack's Block Kit rules, independently of the adapter's own checks. */
/**
 * What the benchmarks check of the messages received: how many times each delivery part came (its message
 * metadata dedupe_key, "KEY#PART"), how many each channel got, and how many second parts (#1) are not in
 * the thread of their first part (#0).
 */
export function auditMessages(messages: readonly FakeMessage[]): { timesByKey: Map<string, number>; duplicates: number; perChannel: Map<string, number>; badThreads: number } {
  const timesByKey = new Map<string, number>();
  const perChannel = new Map<string, number>();
  const tsOfKey = new Map<string, string>();
  const keyOf = (msg: FakeMessage) => String(msg.metadata?.event_payload.dedupe_key ?? '');
  for (const msg of messages) {
    const key = keyOf(msg);
    timesByKey.set(key, (timesByKey.get(key) ?? 0) + 1);
    perChannel.set(`${msg.team}:${msg.channel}`, (perChannel.get(`${msg.team}:${msg.channel}`) ?? 0) + 1);
    if (!msg.thread_ts) tsOfKey.set(key, msg.ts);
  }
  let badThreads = 0;
  for (const msg of messages) {
    const key = keyOf(msg);
    if (key.endsWith('#1') && msg.thread_ts !== tsOfKey.get(key.replace(/#1$/, '#0'))) badThreads++;
  }
  const duplicates = [...timesByKey.values()].reduce((n, c) => n + (c - 1), 0);
  return { timesByKey, duplicates, perChannel, badThreads };
}

export function blockProblem(blocks: unknown[], maxBlocks = 50, maxChars = 13_000): string | null {
  if (!Array.isArray(blocks)) return 'blocks is not an array';
  if (blocks.length > maxBlocks) return `more than ${maxBlocks} blocks (${blocks.length})`;
  let total = 0;
  const texts = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(texts);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' && k === 'text') total += x.length;
      else if (typeof x === 'object') texts(x);
    }
  };
  for (const [i, b] of (blocks as Record<string, any>[]).entries()) {
    const type = b?.type;
    if (type === 'header' && (typeof b.text?.text !== 'string' || b.text.text.length > 150 || b.text.type !== 'plain_text')) return `block ${i}: header text`;
    if (type === 'section') {
      if (!b.text && !b.fields) return `block ${i}: section needs text or fields`;
      if (b.text && (typeof b.text.text !== 'string' || b.text.text.length > 3000 || b.text.text.length === 0)) return `block ${i}: section text`;
      if (b.fields && (b.fields.length > 10 || b.fields.some((f: any) => typeof f?.text !== 'string' || f.text.length > 2000))) return `block ${i}: fields`;
      if (b.accessory?.type === 'button' && b.accessory.text?.text?.length > 75) return `block ${i}: button text`;
    }
    if (type === 'context' && (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10)) return `block ${i}: context elements`;
    if (type === 'actions') {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25) return `block ${i}: actions elements`;
      for (const e of b.elements) {
        if (e.type === 'button' && (typeof e.text?.text !== 'string' || e.text.text.length > 75)) return `block ${i}: button text`;
        if (e.url && e.url.length > 3000) return `block ${i}: button url`;
      }
    }
    if (!['header', 'section', 'context', 'actions', 'divider', 'image', 'rich_text', 'input'].includes(type)) return `block ${i}: unknown type ${String(type)}`;
    texts(b);
  }
  if (total > maxChars) return `total text ${total} characters`;
  return null;
}

// ───────────────────────────── requests Slack sends to an app ─────────────────────────────

/** The x-slack-signature and x-slack-request-timestamp headers for a body. */
export function signSlackRequest(signingSecret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
}

export interface SlashCommandInput {
  teamId: string;
  channelId: string;
  userId?: string;
  userName?: string;
  text: string;
  responseUrl: string;
  command?: string;
  enterpriseId?: string;
}

export function slashCommandBody(c: SlashCommandInput): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: c.teamId,
    team_domain: c.teamId.toLowerCase(),
    ...(c.enterpriseId ? { enterprise_id: c.enterpriseId } : {}),
    channel_id: c.channelId,
    channel_name: 'general',
    user_id: c.userId ?? 'U0000USER',
    user_name: c.userName ?? 'tester',
    command: c.command ?? '/ofsted',
    text: c.text,
    api_app_id: 'AFAKEAPP',
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: `${Date.now()}.trigger`,
  }).toString();
}

export function blockActionBody(a: { teamId: string; userId?: string; actionId: string; value: string; blockId?: string; responseUrl?: string }): string {
  const payload = {
    type: 'block_actions',
    team: { id: a.teamId, domain: a.teamId.toLowerCase() },
    user: { id: a.userId ?? 'U0000USER', team_id: a.teamId },
    api_app_id: 'AFAKEAPP',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: 'VHOME' },
    trigger_id: `${Date.now()}.trigger`,
    view: { id: 'VHOME', type: 'home', team_id: a.teamId },
    is_enterprise_install: false,
    actions: [{ type: 'button', action_id: a.actionId, block_id: a.blockId ?? `sub_${a.value}`, value: a.value, action_ts: `${Date.now() / 1000}` }],
    ...(a.responseUrl ? { response_url: a.responseUrl } : {}),
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventBody(e: { teamId: string; event: Record<string, unknown> }): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: e.teamId,
    api_app_id: 'AFAKEAPP',
    event: { event_ts: `${Date.now() / 1000}`, ...e.event },
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: e.teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

/** POSTs a signed request like Slack does; `timestamp` lets a test send a stale one. */
export async function postSigned(
  url: string,
  signingSecret: string,
  body: string,
  opts: { contentType?: string; timestamp?: number; signature?: string } = {},
): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? (body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded'),
    ...signSlackRequest(signingSecret, body, opts.timestamp),
  };
  if (opts.signature) headers['x-slack-signature'] = opts.signature;
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}
