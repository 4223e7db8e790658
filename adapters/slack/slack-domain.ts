// What the Slack adapter asks of the domain, in one small port. The adapter never reaches into the
// store itself for commands; createSlackDomain (domain-wiring.ts) binds this to the real services, and
// tests may bind it to anything.
import type { Caller, Platform, Reply, Subscription } from '../../src/chat/types.ts';

export type SubscriptionAction = 'pause' | 'resume' | 'unsubscribe';

export type ActionOutcome =
  | { ok: true; subscription: Subscription; changed: boolean }
  /** no such subscription in this workspace (never says whether it exists elsewhere) */
  | { ok: false; reason: 'not-found' };

export interface SlackDomain {
  /** parses and carries out an /ofsted command */
  handleCommand(caller: Caller, text: string): Promise<Reply>;
  /** every live subscription of a workspace, all channels (the Home tab) */
  workspaceSubscriptions(platform: Platform, workspace: string): Promise<Subscription[]>;
  /** pause, resume or end one subscription, only if it belongs to this workspace */
  actOnSubscription(action: SubscriptionAction, id: number, scope: { platform: Platform; workspace: string }, by: string): Promise<ActionOutcome>;
  /** the app left a workspace: end its subscriptions with the reason */
  endWorkspace(platform: Platform, workspace: string, reason: string): Promise<{ endedSubscriptions: number }>;
}
