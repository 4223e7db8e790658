// The outbox's ChatSender for Teams. prepare() renders a message into cards (pure); sendPart() posts one
// part proactively into the conversation with the reference saved when the app was added or spoken to
// (through the PostActivity port: direct-post.ts, signed with the bot's credentials), after our own limiter has made room:
// 7 messages/1 s, 8/2 s, 60/30 s, 1,800/h per conversation and 50 requests/s per tenant. The outbox
// spaces a conversation's messages by channelIntervalMs (500 ms: 2 a second is within 7/1 s, 8/2 s and
// 60/30 s); the limiter catches what pacing cannot see (replies to commands in the same conversation,
// other conversations of the tenant, the hourly cap) and waits briefly, or answers rate-limited.
//
// No findSent: the Bot Connector cannot list a conversation's messages, so a part that was being sent when
// a worker died is sent again (the outbox logs it); a duplicate is possible only in that case, or when
// Teams answers 502/504 after it did post.
import type { ConversationReference } from 'botbuilder';
import { channelKey, type ChannelRef, type ChatSender, type OutboundMessage, type SendResult } from '../../src/chat/types.ts';
import type { Logger } from '../../src/log/logger.ts';
import { referenceFor, type StoredConversation } from './conversation.ts';
import { TEAMS_CHANNEL_INTERVAL_MS, TeamsRateLimiter } from './rate-limits.ts';
import { textPart, type TeamsMessageActivity, type TeamsPart } from './render/parts.ts';
import { renderAlertParts } from './render/render-alert.ts';
import { renderDigest, renderNotice } from './render/render-reply.ts';
import { classify, describeFailure, permanentOf, type ConnectorFailure } from './teams-errors.ts';

/** Posts an activity into the conversation of a reference; resolves to the new message's id. */
export type PostActivity = (reference: Partial<ConversationReference>, activity: TeamsMessageActivity) => Promise<string | null>;

/** Where the sender finds a conversation's saved reference (channels.conversation_ref). */
export interface ConversationSource {
  get(channel: ChannelRef): Promise<StoredConversation | null>;
}

export interface TeamsSenderOptions {
  post: PostActivity;
  conversations: ConversationSource;
  logger: Logger;
  /** shared with the replies to commands, so both count against the same limits */
  limiter?: TeamsRateLimiter;
  /** the longest our limiter waits inside sendPart; longer, and the outbox is told rate-limited (default 2 s) */
  maxInlineWaitMs?: number;
  /** one post's time limit (default 15 s) */
  timeoutMs?: number;
  /** how long a saved reference is reused before it is read again (default 5 min) */
  referenceTtlMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface TeamsSenderStats {
  posts: number;
  /** 429s from Teams */
  throttled: number;
  /** times our limiter told the outbox to wait */
  heldBack: number;
  /** parts re-sent as text after Teams refused the card */
  asText: number;
  failures: number;
}

export interface TeamsSender extends ChatSender {
  prepare(message: OutboundMessage): TeamsPart[];
  /** forgets a cached reference (after the app was removed or re-added) */
  forget(channel?: ChannelRef): void;
  readonly stats: TeamsSenderStats;
  readonly limiter: TeamsRateLimiter;
}

const NO_REFERENCE: SendResult = {
  ok: false,
  kind: 'permanent',
  code: 'no_conversation_reference',
  message: 'the app has no saved reference for this conversation: mention the app there once (or add it again), then type `resume`',
};

export function renderMessage(message: OutboundMessage): TeamsPart[] {
  switch (message.kind) {
    case 'alert':
      return renderAlertParts(message.alert);
    case 'notice':
      return renderNotice(message.text);
    case 'digest':
      return renderDigest(message.digest);
  }
}

/**
 * prepare() for the outbox: the outbox hands every delivery of one publication the same Alert object
 * (cached per pass), so the cards are rendered once per publication, not once per conversation. The
 * parts are never changed after (botbuilder copies an activity before it adds the conversation to it).
 */
function memoizedRender(): (message: OutboundMessage) => TeamsPart[] {
  const rendered = new WeakMap<object, TeamsPart[]>();
  return (message) => {
    const key = message.kind === 'alert' ? message.alert : message.kind === 'digest' && message.digest && typeof message.digest === 'object' ? (message.digest as object) : null;
    if (!key) return renderMessage(message);
    let parts = rendered.get(key);
    if (!parts) {
      parts = renderMessage(message);
      rendered.set(key, parts);
    }
    return parts;
  };
}

export function createTeamsSender(opts: TeamsSenderOptions): TeamsSender {
  const limiter = opts.limiter ?? new TeamsRateLimiter();
  const maxInlineWait = opts.maxInlineWaitMs ?? 2_000;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const ttl = opts.referenceTtlMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const refs = new Map<string, { conv: StoredConversation | null; at: number }>();
  const throttledInARow = new Map<string, number>();
  const stats: TeamsSenderStats = { posts: 0, throttled: 0, heldBack: 0, asText: 0, failures: 0 };

  const conversationOf = async (channel: ChannelRef): Promise<StoredConversation | null> => {
    const key = channelKey(channel);
    const hit = refs.get(key);
    if (hit && hit.conv && now() - hit.at < ttl) return hit.conv;
    const conv = await opts.conversations.get(channel);
    refs.set(key, { conv, at: now() });
    if (refs.size > 50_000) refs.clear();
    return conv;
  };

  /** one post within the limits: waits up to maxInlineWait for room, else says how long to wait */
  const postLimited = async (channel: ChannelRef, conv: StoredConversation, activity: TeamsMessageActivity, threadRef: string | null): Promise<{ ok: true; id: string | null } | { ok: false; failure: ConnectorFailure } | { ok: false; holdMs: number }> => {
    const slot = await limiter.acquire(channel.workspace, channelKey(channel), maxInlineWait, sleep);
    if (!slot.ok) return { ok: false, holdMs: slot.holdMs };
    stats.posts++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer from the Bot Connector within ${timeoutMs} ms (the message may have arrived)`), { code: 'ETIMEDOUT' })), timeoutMs);
      });
      const id = await Promise.race([opts.post(referenceFor(conv, threadRef), activity), timeout]);
      return { ok: true, id };
    } catch (error) {
      return { ok: false, failure: describeFailure(error, now()) };
    } finally {
      clearTimeout(timer);
      slot.done();
    }
  };

  const held = (holdMs: number, why: string): SendResult => {
    stats.heldBack++;
    return { ok: false, kind: 'rate-limited', retryAfterMs: holdMs, message: why };
  };

  return {
    platform: 'teams',
    channelIntervalMs: TEAMS_CHANNEL_INTERVAL_MS,
    limiter,
    stats,

    prepare: memoizedRender(),

    async sendPart(channel, partValue, { threadRef }) {
      if (channel.platform !== 'teams') return { ok: false, kind: 'permanent', code: 'not_teams', message: `a ${channel.platform} channel was given to the Teams sender` };
      const part = partValue as TeamsPart;
      if (!part || typeof part !== 'object' || !part.activity) return { ok: false, kind: 'transient', message: 'not a Teams message part' };
      const conv = await conversationOf(channel);
      if (!conv) return NO_REFERENCE;
      const key = channelKey(channel);

      let result = await postLimited(channel, conv, part.activity, threadRef);
      if ('holdMs' in result) return held(result.holdMs, "waiting for room within Teams' limits for this conversation or tenant");
      if (!result.ok) {
        const kind = classify(result.failure);
        if (kind === 'refused-payload' && part.activity.attachments?.length) {
          // Teams refused the card (400 invalid card, 413 too big): the same words as plain text, once
          opts.logger.error({ channel, status: result.failure.status, code: result.failure.code, err: result.failure.message }, 'Teams refused a card; sending it as text');
          stats.asText++;
          result = await postLimited(channel, conv, textPart(part.fallbackText, part.activity.summary).activity, threadRef);
          if ('holdMs' in result) return held(result.holdMs, "waiting for room within Teams' limits for this conversation or tenant");
        }
      }
      if (result.ok) {
        throttledInARow.delete(key);
        return { ok: true, ref: result.id };
      }
      const f = result.failure;
      stats.failures++;
      const detail = `${f.status ? `HTTP ${f.status} ` : ''}${f.code ?? ''}${f.message ? `: ${f.message}` : ''}`.trim();
      switch (classify(f)) {
        case 'rate-limited': {
          stats.throttled++;
          const n = (throttledInARow.get(key) ?? 0) + 1;
          throttledInARow.set(key, n);
          if (throttledInARow.size > 10_000) throttledInARow.clear();
          // without Retry-After: 1 s doubling to a minute, with jitter
          const backoff = Math.min(60_000, 1_000 * 2 ** (n - 1));
          const wait = f.retryAfterMs ?? Math.round(backoff / 2 + Math.random() * (backoff / 2));
          return { ok: false, kind: 'rate-limited', retryAfterMs: wait, message: `Teams throttled the conversation (${detail})` };
        }
        case 'retry-later':
          return { ok: false, kind: 'rate-limited', retryAfterMs: f.retryAfterMs ?? 5_000, message: `Teams asked to retry later (${detail})` };
        case 'permanent':
          refs.delete(key);
          return permanentOf(f);
        case 'credentials':
          opts.logger.error({ status: f.status, code: f.code }, 'the Bot Connector refused our credentials: check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID');
          return { ok: false, kind: 'transient', message: `the Bot Connector refused the app's credentials (${detail})` };
        default:
          return { ok: false, kind: 'transient', message: detail || 'the post failed' };
      }
    },

    forget(channel) {
      if (channel) refs.delete(channelKey(channel));
      else refs.clear();
    },
  };
}
