// The outbox's ChatSender for Slack. prepare() renders a message into its parts (the alert, then its
// details as a thread reply); sendPart() posts one part with chat.postMessage, the dedupe key in the
// message's metadata (post-message.ts: each part serialised once, however many channels get it);
// findSent() looks for that metadata in the channel's history (and its threads) after a crash, with the
// Web API client. Neither retries nor queues on 429: the outbox owns pacing and retries.
import { webApi } from '@slack/bolt';
import type { ChannelRef, ChatSender, OutboundMessage, SendResult } from '../../src/chat/types.ts';
import type { Logger } from '../../src/log/logger.ts';
import { context, section, type SlackMessage } from './render/blocks.ts';
import { cutText, fitMessage, SLACK_LIMITS } from './render/limits.ts';
import { channelMention, escapeMrkdwn } from './render/mrkdwn.ts';
import { renderAlertParts } from './render/render-alert.ts';
import { renderDigestParts } from './render/render-digest.ts';
import { AUTH_ERRORS, BLOCK_ERRORS, mapPostFailure, permanent } from './slack-errors.ts';
import { createMessagePoster, type PostOutcome } from './post-message.ts';
import { slackLogger } from './slack-logger.ts';
import type { TokenSource } from './token-source.ts';
import { createChannelSpacing } from './channel-spacing.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

/** message metadata event type of every message this app posts */
export const METADATA_EVENT_TYPE = 'ofsted_alerts_message';

export interface SlackSenderOptions {
  tokens: TokenSource;
  logger: Logger;
  /** Web API base URL ending in /api/ (a fake in tests); Slack's own by default */
  apiUrl?: string;
  /** per-call timeout, ms */
  timeoutMs?: number;
  /** how long a workspace's token is reused before it is read again, ms */
  tokenTtlMs?: number;
  /** the longest history searched by findSent, in pages of 200 messages */
  maxHistoryPages?: number;
  /**
   * least ms between two posts to one channel as Slack sees them (default 1000). The outbox paces each
   * channel; this guard keeps a previous post that left late (a busy event loop, a slow store) from
   * arriving closer to the next than Slack allows. 0 turns it off.
   */
  minGapMs?: number;
  /** most connections kept open to Slack for posts (default 128; more posts at once wait for one) */
  connections?: number;
  /** for tests */
  sleep?: (ms: number) => Promise<void>;
}

export interface SlackSender extends ChatSender {
  prepare(message: OutboundMessage): SlackMessage[];
  /** forgets cached clients (after an uninstall) */
  forget(teamId?: string): void;
  /** closes the connections kept open for posts */
  close(): Promise<void>;
}

/** The Web API client options for the outbox: no retries, no queueing on 429. */
export function outboxClientOptions(apiUrl: string | undefined, logger: Logger, timeoutMs = 10_000): ConstructorParameters<typeof webApi.WebClient>[1] {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: slackLogger(logger, 'slack-sender'),
  };
}

export function createSlackSender(opts: SlackSenderOptions): SlackSender {
  const ttl = opts.tokenTtlMs ?? 5 * 60_000;
  /** per workspace: its bot token, when it was read, and (for findSent only) a Web API client */
  const workspaces = new Map<string, { token: string; readAt: number; client?: WebClient }>();
  const clientOptions = outboxClientOptions(opts.apiUrl, opts.logger, opts.timeoutMs);
  const poster = createMessagePoster({ apiUrl: opts.apiUrl ?? 'https://slack.com/api/', timeoutMs: opts.timeoutMs ?? 10_000, ...(opts.connections ? { connections: opts.connections } : {}) });
  const spacing = createChannelSpacing({ minGapMs: opts.minGapMs ?? 1000, ...(opts.sleep ? { sleep: opts.sleep } : {}) });
  const spaced = <T>(channel: ChannelRef, call: () => Promise<T>) => spacing.spaced(`${channel.workspace}:${channel.channel}`, call);
  opts.tokens.onChange?.((team) => (team ? workspaces.delete(team) : workspaces.clear()));

  const tokenFor = async (teamId: string, fresh = false): Promise<string | null> => {
    const cached = workspaces.get(teamId);
    if (cached && !fresh && Date.now() - cached.readAt < ttl) return cached.token;
    const token = await opts.tokens.botToken(teamId, { fresh });
    if (!token) {
      workspaces.delete(teamId);
      return null;
    }
    if (cached && cached.token === token) cached.readAt = Date.now();
    else workspaces.set(teamId, { token, readAt: Date.now() });
    return token;
  };

  const clientFor = async (teamId: string): Promise<WebClient | null> => {
    const token = await tokenFor(teamId);
    if (!token) return null;
    const entry = workspaces.get(teamId)!;
    entry.client ??= new webApi.WebClient(token, clientOptions);
    return entry.client;
  };

  const post = (token: string, channel: ChannelRef, part: SlackMessage, threadRef: string | null, dedupeKey: string, textOnly = false): Promise<PostOutcome> =>
    spaced(channel, () => poster.post({ token, channel: channel.channel, part, threadTs: threadRef, dedupeKey, metadataEventType: METADATA_EVENT_TYPE, textOnly }));

  const rendered = new WeakMap<object, SlackMessage[]>();

  const matches = (m: { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }, key: string) =>
    m.metadata?.event_type === METADATA_EVENT_TYPE && m.metadata.event_payload?.dedupe_key === key;

  return {
    platform: 'slack',
    channelIntervalMs: 1000,

    prepare(message) {
      switch (message.kind) {
        case 'alert': {
          // one alert goes to many channels: render it once (the outbox shares the Alert across them)
          let parts = rendered.get(message.alert);
          if (!parts) {
            parts = renderAlertParts(message.alert);
            rendered.set(message.alert, parts);
          }
          return parts;
        }
        case 'notice':
          return [noticeMessage(message.text, message.about?.platform === 'slack' ? message.about.channel : undefined)];
        case 'digest':
          return renderDigestParts(message.digest);
      }
    },

    async sendPart(channel, part, { threadRef, dedupeKey }) {
      if (channel.platform !== 'slack') return permanent('not_installed');
      const message = part as SlackMessage;
      let token = await tokenFor(channel.workspace);
      if (!token) return permanent('not_installed');
      let r = await post(token, channel, message, threadRef, dedupeKey);
      if (r.ok) return { ok: true, ref: r.ts };
      if (r.kind === 'slack-error' && AUTH_ERRORS.has(r.code)) {
        // another process may have stored a new token (reinstall): read it again once
        const before = token;
        token = await tokenFor(channel.workspace, true);
        if (!token) return permanent('not_installed');
        if (token !== before) r = await post(token, channel, message, threadRef, dedupeKey);
      } else if (r.kind === 'slack-error' && BLOCK_ERRORS.has(r.code)) {
        opts.logger.error({ code: r.code, channel: channel.channel, workspace: channel.workspace, dedupeKey }, 'Slack refused the blocks of a message; sending it as text');
        r = await post(token, channel, message, threadRef, dedupeKey, true);
      }
      return r.ok ? { ok: true, ref: r.ts } : mapPostFailure(r);
    },

    async findSent(channel, dedupeKey, since) {
      const client = await clientFor(channel.workspace);
      if (!client) return { found: false };
      const oldest = (Math.floor(since.getTime() / 1000) - 1).toString();
      const threads: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < (opts.maxHistoryPages ?? 10); page++) {
        const res = await client.conversations.history({ channel: channel.channel, oldest, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
        for (const m of (res.messages ?? []) as HistoryMessage[]) {
          if (matches(m, dedupeKey)) return { found: true, ref: m.ts ?? null };
          if ((m.reply_count ?? 0) > 0 && m.metadata?.event_type === METADATA_EVENT_TYPE && m.ts) threads.push(m.ts);
        }
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!res.has_more || !cursor) break;
      }
      // a thread reply is not in the channel's history: look in the threads of our own recent messages
      for (const ts of threads.slice(0, 25)) {
        const res = await client.conversations.replies({ channel: channel.channel, ts, oldest, limit: 200, include_all_metadata: true });
        for (const m of (res.messages ?? []) as HistoryMessage[]) {
          if (m.ts !== ts && matches(m, dedupeKey)) return { found: true, ref: m.ts ?? null };
        }
      }
      return { found: false };
    },

    forget(teamId) {
      if (teamId) workspaces.delete(teamId);
      else workspaces.clear();
    },

    close: () => poster.close(),
  };
}

interface HistoryMessage {
  ts?: string;
  reply_count?: number;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export function noticeMessage(text: string, aboutChannel?: string): SlackMessage {
  const escaped = escapeMrkdwn(text);
  const tail = aboutChannel ? [context(`About ${channelMention(aboutChannel)}`)] : [];
  return fitMessage({ text: cutText(escaped, 400), head: [], body: [section(cutText(escaped, SLACK_LIMITS.sectionText))], tail });
}
