// What the Teams adapter asks of the domain, in one small port. The adapter never reaches into the store
// for commands; createTeamsDomain (domain-wiring.ts) binds this to the real services, and tests may bind
// it to anything. Every method is scoped by the caller's ChannelRef (tenant + conversation): nothing a
// card or a command says can reach another tenant's or another conversation's subscriptions.
import type { Caller, ChannelRef, DigestSetting, Reply, Subscription } from '../../src/chat/types.ts';
import type { StoredConversation } from './conversation.ts';

export type SubscriptionAction = 'pause' | 'resume' | 'unsubscribe';

export type ActionOutcome =
  | { ok: true; subscription: Subscription; changed: boolean }
  /** no such live subscription in this conversation (never says whether it exists elsewhere) */
  | { ok: false; reason: 'not-found' };

export interface CouncilOutcome {
  /** the conversation's subscriptions covering the council that changed */
  changed: Subscription[];
  /** covering, but already in the asked-for state */
  unchanged: Subscription[];
}

export interface TeamsDomain {
  /** parses and carries out a command typed in a conversation */
  handleCommand(caller: Caller, text: string): Promise<Reply>;
  /** the conversation's live subscriptions and digest setting */
  listSubscriptions(channel: ChannelRef): Promise<{ subscriptions: Subscription[]; digest: DigestSetting }>;
  /** keeps the conversation and the reference to post there later */
  rememberConversation(channel: ChannelRef, conversation: StoredConversation | null): Promise<void>;
  /** the saved reference of a conversation, for proactive posts */
  conversation(channel: ChannelRef): Promise<StoredConversation | null>;
  /** pause, resume or end one subscription, only if it belongs to this very conversation */
  actOnSubscription(action: SubscriptionAction, id: number, channel: ChannelRef, by: string): Promise<ActionOutcome>;
  /** pause or end this conversation's subscriptions that cover a council (an alert's buttons) */
  actOnCouncil(action: 'pause' | 'unsubscribe', urn: string, channel: ChannelRef, by: string): Promise<CouncilOutcome>;
  /** the app left a conversation: its subscriptions end with the reason; returns how many */
  endConversation(channel: ChannelRef, reason: string): Promise<number>;
  /** the app left a team (or the team was deleted): every channel of the team, as remembered, ends */
  endTeam(tenant: string, teamId: string, reason: string, also?: ChannelRef): Promise<{ channels: number; endedSubscriptions: number }>;
}
