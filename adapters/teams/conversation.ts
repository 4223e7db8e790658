// Where a Teams activity comes from, in the domain's terms, and the conversation reference we keep to
// post there later. The ChannelRef of a Teams conversation is (tenant id, conversation id): a channel's
// conversation id without the ";messageid=…" Teams adds for a thread, so a channel and its threads are one
// place. The stored reference (channels.conversation_ref, JSON) is the Bot Framework ConversationReference
// of that conversation, reduced to what a proactive message needs (no user, no activity), with the team
// it belongs to, so removing the app from a team can end the subscriptions of every channel of the team.
import type { Activity, ConversationReference } from 'botbuilder';
import type { Caller, ChannelRef } from '../../src/chat/types.ts';

export interface StoredConversation {
  v: 1;
  reference: Partial<ConversationReference> & { serviceUrl: string; conversation: ConversationReference['conversation'] };
  /** the team (its General channel's id) of a channel conversation */
  teamId: string | null;
  scope: 'team' | 'groupChat' | 'personal';
}

const THREAD = /;messageid=.*$/i;

/** A channel conversation id without its thread part. */
export const rootConversationId = (id: string): string => id.replace(THREAD, '');

/** The thread id in a conversation id ("19:…@thread.tacv2;messageid=1700000000000" → "1700000000000"). */
export function threadOf(id: string): string | null {
  const m = /;messageid=([^;]+)/i.exec(id);
  return m ? m[1]! : null;
}

interface ChannelDataShape {
  tenant?: { id?: string };
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string; name?: string };
  eventType?: string;
  settings?: { selectedChannel?: { id?: string } };
}

export const channelDataOf = (activity: Partial<Activity>): ChannelDataShape =>
  activity.channelData && typeof activity.channelData === 'object' ? (activity.channelData as ChannelDataShape) : {};

/** The tenant of an activity: conversation.tenantId, else channelData.tenant.id. */
export function tenantOf(activity: Partial<Activity>): string | null {
  const t = activity.conversation?.tenantId || channelDataOf(activity).tenant?.id;
  return typeof t === 'string' && t.trim() !== '' ? t.trim() : null;
}

export function scopeOf(activity: Partial<Activity>): StoredConversation['scope'] {
  const type = activity.conversation?.conversationType;
  if (type === 'channel' || channelDataOf(activity).team?.id) return 'team';
  if (type === 'personal' || activity.conversation?.isGroup === false) return 'personal';
  return 'groupChat';
}

/** The place an activity came from, or null when it names no tenant or conversation. */
export function channelRefOf(activity: Partial<Activity>): ChannelRef | null {
  const tenant = tenantOf(activity);
  const id = activity.conversation?.id;
  if (!tenant || typeof id !== 'string' || id.trim() === '') return null;
  return { platform: 'teams', workspace: tenant, channel: rootConversationId(id.trim()) };
}

export function callerOf(activity: Partial<Activity>): Caller | null {
  const channel = channelRefOf(activity);
  const from = activity.from;
  const userId = from?.aadObjectId || from?.id;
  if (!channel || !userId) return null;
  return { channel, userId, ...(from?.name ? { userName: from.name } : {}) };
}

/** The reference to keep for a conversation: the conversation's root, no user or message. */
export function storedConversationOf(activity: Partial<Activity>): StoredConversation | null {
  const channel = channelRefOf(activity);
  if (!channel || !activity.serviceUrl) return null;
  const conv = activity.conversation!;
  const teamId = channelDataOf(activity).team?.id ?? null;
  return {
    v: 1,
    reference: {
      channelId: activity.channelId ?? 'msteams',
      serviceUrl: activity.serviceUrl,
      ...(activity.recipient ? { bot: { id: activity.recipient.id, name: activity.recipient.name } } : {}),
      conversation: {
        id: channel.channel,
        tenantId: channel.workspace,
        isGroup: conv.isGroup ?? scopeOf(activity) !== 'personal',
        conversationType: conv.conversationType ?? (teamId ? 'channel' : scopeOf(activity)),
        name: conv.name ?? '',
      },
    },
    teamId,
    scope: scopeOf(activity),
  };
}

export function serializeConversation(c: StoredConversation): string {
  return JSON.stringify(c);
}

/** Parses a stored reference (ours, or a bare ConversationReference); null if unusable. */
export function parseStoredConversation(text: string | null | undefined): StoredConversation | null {
  if (!text) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  const obj = raw as Partial<StoredConversation> & Partial<ConversationReference>;
  const reference = (obj.v === 1 ? obj.reference : obj) as Partial<ConversationReference> | undefined;
  if (!reference || typeof reference.serviceUrl !== 'string' || typeof reference.conversation?.id !== 'string') return null;
  return {
    v: 1,
    reference: reference as StoredConversation['reference'],
    teamId: obj.v === 1 ? (obj.teamId ?? null) : null,
    scope: obj.v === 1 && obj.scope ? obj.scope : reference.conversation.conversationType === 'channel' ? 'team' : reference.conversation.isGroup ? 'groupChat' : 'personal',
  };
}

/**
 * The reference to post with: the conversation itself, or — in a channel — the thread of `threadRef`
 * (Teams threads a reply when the conversation id names the thread and the reply names the message).
 */
export function referenceFor(c: StoredConversation, threadRef: string | null): Partial<ConversationReference> {
  const ref = { ...c.reference, conversation: { ...c.reference.conversation } };
  if (threadRef && c.scope === 'team') {
    ref.conversation.id = `${rootConversationId(ref.conversation.id)};messageid=${threadRef}`;
    return { ...ref, activityId: threadRef };
  }
  return ref;
}

/** True for a service URL on this machine (the only kind accepted when requests are not authenticated). */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(u.hostname);
  } catch {
    return false;
  }
}
