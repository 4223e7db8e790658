// The bot: what it does with each kind of Teams activity. TeamsActivityHandler dispatches; this class
// turns activities into the domain's terms (the caller's tenant from conversation.tenantId /
// channelData.tenant.id, the conversation without its thread) and the domain's replies into cards.
//   message: a command (the @mention removed) or a card button (Action.Submit data) → the domain → a
//            reply in the same conversation (in a channel, in the thread that asked);
//   invoke adaptiveCard/action (Action.Execute): the same buttons, answered in the invoke response;
//   installationUpdate add / conversationUpdate with the bot among membersAdded: remember the
//            conversation's reference and say hello (once);
//   installationUpdate remove / the bot among membersRemoved / channel or team deleted: end the
//            conversation's subscriptions — for a team, those of every channel of the team — with a reason.
// A conversation from another tenant than a single-tenant app's own is ignored.
import { TeamsActivityHandler, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type ConversationReference } from 'botbuilder';
import type { Caller, ChannelRef, Reply, Subscription } from '../../src/chat/types.ts';
import { channelKey } from '../../src/chat/types.ts';
import type { Logger } from '../../src/log/logger.ts';
import { callerOf, channelDataOf, channelRefOf, scopeOf, storedConversationOf } from './conversation.ts';
import type { TeamsRateLimiter } from './rate-limits.ts';
import type { TeamsCardAction } from './render/card.ts';
import { textPart, type TeamsPart } from './render/parts.ts';
import { renderReply, renderWelcome, textCard } from './render/render-reply.ts';
import { classify, describeFailure } from './teams-errors.ts';
import type { TeamsDomain } from './teams-domain.ts';

export interface TeamsBotDeps {
  domain: TeamsDomain;
  logger: Logger;
  limiter: TeamsRateLimiter;
  /** a single-tenant app's own tenant: activities from others are ignored */
  homeTenant?: string | null;
  /** how long a command may take before the person is told the answer will follow (ms, default 10 s) */
  commandTimeoutMs?: number;
  /** posts parts into a conversation after the turn (a slow command's answer) */
  postLater: (reference: Partial<ConversationReference>, parts: TeamsPart[]) => Promise<void>;
  /** a conversation's saved reference changed or ended: the sender forgets its copy */
  onConversationChanged?: (channel: ChannelRef) => void;
  sleep?: (ms: number) => Promise<void>;
}

export const WORKING_TEXT = 'Working on it: the answer will follow here in a moment.';
const NO_TENANT_TEXT = 'I could not tell which organisation this conversation belongs to, so nothing was done.';
const GREETING_MEMORY_MS = 10 * 60_000;

export class OfstedTeamsBot extends TeamsActivityHandler {
  private readonly greeted = new Map<string, number>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.added(context, 'installed');
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.removed(context);
      await next();
    });
    // onMembersAdded rather than onTeamsMembersAddedEvent: the Teams variant fetches every added person's
    // profile from the connector first, which is not needed to notice that the bot itself was added
    this.onMembersAdded(async (context, next) => {
      if ((context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id)) await this.added(context, 'added');
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      if ((context.activity.membersRemoved ?? []).some((m) => m.id === context.activity.recipient?.id)) await this.removed(context);
      await next();
    });
    this.onTeamsChannelDeletedEvent(async (channelInfo, teamInfo, context, next) => {
      const tenant = channelRefOf(context.activity)?.workspace;
      if (tenant && channelInfo?.id && this.tenantAllowed(tenant)) {
        const channel: ChannelRef = { platform: 'teams', workspace: tenant, channel: channelInfo.id };
        const n = await this.deps.domain.endConversation(channel, `channel_deleted: the channel${channelInfo.name ? ` "${channelInfo.name}"` : ''} was deleted from the team${teamInfo?.name ? ` "${teamInfo.name}"` : ''}`);
        this.deps.onConversationChanged?.(channel);
        this.deps.logger.warn({ channel, endedSubscriptions: n }, 'Teams channel deleted: its subscriptions ended');
      }
      await next();
    });
    const teamGone = (what: string) => async (teamInfo: { id?: string; name?: string } | undefined, context: TurnContext, next: () => Promise<void>) => {
      const channel = channelRefOf(context.activity);
      const teamId = teamInfo?.id ?? channelDataOf(context.activity).team?.id;
      if (channel && teamId && this.tenantAllowed(channel.workspace)) {
        const r = await this.deps.domain.endTeam(channel.workspace, teamId, `team_deleted: the team${teamInfo?.name ? ` "${teamInfo.name}"` : ''} was ${what}`, channel);
        this.deps.onConversationChanged?.(channel);
        this.deps.logger.warn({ tenant: channel.workspace, teamId, ...r }, `Teams team ${what}: its subscriptions ended`);
      }
      await next();
    };
    this.onTeamsTeamDeletedEvent(teamGone('deleted'));
    this.onTeamsTeamHardDeletedEvent(teamGone('deleted'));
  }

  /** Waits for answers still being worked on after their turn ended (at most graceMs). */
  async drain(graceMs = 5_000): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }

  // ───────────────────────────── messages: commands and buttons ─────────────────────────────

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const caller = callerOf(activity);
    if (!caller) {
      this.deps.logger.warn({ conversation: activity.conversation?.id }, 'Teams message without a tenant or user: ignored');
      await this.reply(context, textCard(NO_TENANT_TEXT, { warning: true }));
      return;
    }
    if (!this.tenantAllowed(caller.channel.workspace)) return;
    await this.remember(context, caller.channel);

    const action = cardActionOf(activity.value);
    if (action) {
      const reply = await this.runAction(caller, action);
      await this.reply(context, renderReply(reply));
      return;
    }
    if (activity.value !== undefined && !activity.text) return; // someone else's card data

    const text = commandText(activity);
    const work = this.deps.domain.handleCommand(caller, text);
    const timeoutMs = this.deps.commandTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), timeoutMs)));
    const first = await Promise.race([work, late]);
    clearTimeout(timer);
    if (first !== 'late') {
      await this.reply(context, renderReply(first));
      return;
    }
    // a slow lookup: say so now, answer in the same place when it is ready
    await this.reply(context, textCard(WORKING_TEXT));
    const reference = TurnContext.getConversationReference(activity);
    const task = work
      .then((reply) => this.deps.postLater(reference, renderReply(reply)))
      .catch((error: unknown) => this.deps.logger.error({ err: error, channel: caller.channel }, 'could not post the answer to a slow Teams command'))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  private async runAction(caller: Caller, action: TeamsCardAction): Promise<Reply> {
    const { domain } = this.deps;
    const by = caller.userName ? `${caller.userName} (${caller.userId})` : caller.userId;
    if (action.action === 'command') return domain.handleCommand(caller, action.command);
    const list = async (text: string): Promise<Reply> => {
      const { subscriptions, digest } = await domain.listSubscriptions(caller.channel);
      return { visibility: 'private', kind: 'subscriptions', subscriptions, digest, text };
    };
    if ('subscriptionId' in action) {
      const outcome = await domain.actOnSubscription(action.action, action.subscriptionId, caller.channel, by);
      if (!outcome.ok) return list("That subscription is not one of this conversation's (it may have ended already). Here is what this conversation follows:");
      this.deps.logger.info({ channel: caller.channel, userId: caller.userId, id: action.subscriptionId, action: action.action, changed: outcome.changed }, 'Teams card action');
      return list(subscriptionActionText(action.action, outcome.subscription, outcome.changed));
    }
    if (action.action !== 'pause' && action.action !== 'unsubscribe') return list('That button is not one I know.');
    const outcome = await domain.actOnCouncil(action.action, action.urn, caller.channel, by);
    this.deps.logger.info({ channel: caller.channel, userId: caller.userId, urn: action.urn, action: action.action, changed: outcome.changed.map((s) => s.id) }, 'Teams card action');
    return list(councilActionText(action.action, action.council, outcome.changed, outcome.unchanged));
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const caller = callerOf(context.activity);
    const action = cardActionOf(invokeValue?.action?.data);
    if (!caller || !this.tenantAllowed(caller.channel.workspace) || !action) {
      return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'not an action this app knows' } };
    }
    await this.remember(context, caller.channel);
    const reply = await this.runAction(caller, action);
    const text = 'text' in reply ? reply.text : 'Done.';
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text as unknown as Record<string, unknown> }; // Teams shows a string value as a message
  }

  // ───────────────────────────── installed and removed ─────────────────────────────

  private async added(context: TurnContext, how: 'installed' | 'added'): Promise<void> {
    const channel = channelRefOf(context.activity);
    if (!channel) {
      this.deps.logger.warn({ conversation: context.activity.conversation?.id }, 'Teams installation without a tenant: ignored');
      return;
    }
    if (!this.tenantAllowed(channel.workspace)) return;
    await this.remember(context, channel);
    if ((context.activity as { action?: string }).action === 'add-upgrade') return; // an upgrade, not a new install
    const key = channelKey(channel);
    const now = Date.now();
    for (const [k, at] of this.greeted) if (at < now - GREETING_MEMORY_MS) this.greeted.delete(k);
    if (this.greeted.has(key)) return;
    this.greeted.set(key, now);
    this.deps.logger.info({ channel, how, scope: scopeOf(context.activity) }, 'Teams app added to a conversation');
    await this.reply(context, renderWelcome({ botName: context.activity.recipient?.name, scope: scopeOf(context.activity) }));
  }

  private async removed(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const channel = channelRefOf(activity);
    if (!channel || !this.tenantAllowed(channel.workspace)) return;
    if ((activity as { action?: string }).action === 'remove-upgrade') return;
    this.greeted.delete(channelKey(channel));
    const team = channelDataOf(activity).team;
    const by = activity.from?.name ? ` by ${activity.from.name}` : '';
    if (team?.id) {
      const r = await this.deps.domain.endTeam(channel.workspace, team.id, `bot_removed: the app was removed from the team${team.name ? ` "${team.name}"` : ''}${by}`, channel);
      this.deps.logger.warn({ tenant: channel.workspace, teamId: team.id, ...r }, 'Teams app removed from a team: its subscriptions ended');
    } else {
      const n = await this.deps.domain.endConversation(channel, `bot_removed: the app was removed from this chat${by}`);
      this.deps.logger.warn({ channel, endedSubscriptions: n }, 'Teams app removed from a chat: its subscriptions ended');
    }
    this.deps.onConversationChanged?.(channel);
  }

  // ───────────────────────────── helpers ─────────────────────────────

  private tenantAllowed(tenant: string): boolean {
    const home = this.deps.homeTenant;
    if (!home || home.toLowerCase() === tenant.toLowerCase()) return true;
    this.deps.logger.warn({ tenant }, 'Teams activity from another tenant than the app’s own (single-tenant app): ignored');
    return false;
  }

  private async remember(context: TurnContext, channel: ChannelRef): Promise<void> {
    const stored = storedConversationOf(context.activity);
    try {
      await this.deps.domain.rememberConversation(channel, stored);
      this.deps.onConversationChanged?.(channel);
    } catch (error) {
      this.deps.logger.error({ err: error, channel }, 'could not save the Teams conversation reference');
    }
  }

  /** Sends reply parts in the turn, within the conversation's limits; retries a throttled one briefly. */
  private async reply(context: TurnContext, parts: TeamsPart[]): Promise<void> {
    const channel = channelRefOf(context.activity);
    for (let part of parts) {
      for (let attempt = 0; ; attempt++) {
        // a reply goes even when the limiter would hold it longer: a person is waiting; Teams may 429 it
        const slot = channel ? await this.deps.limiter.acquire(channel.workspace, channelKey(channel), 10_000, this.sleep) : null;
        try {
          await context.sendActivity(part.activity);
          if (slot?.ok) slot.done();
          break;
        } catch (error) {
          if (slot?.ok) slot.done();
          const f = describeFailure(error);
          const kind = classify(f);
          if ((kind === 'rate-limited' || kind === 'retry-later' || kind === 'transient') && attempt < 2 && f.status !== null) {
            await this.sleep(Math.min(f.retryAfterMs ?? 1_000 * (attempt + 1), 5_000));
            continue;
          }
          if (kind === 'refused-payload' && part.activity.attachments && attempt < 2) {
            this.deps.logger.error({ status: f.status, code: f.code }, 'Teams refused a reply card; sending it as text');
            part = textPart(part.fallbackText, part.activity.summary);
            continue;
          }
          throw error;
        }
      }
    }
  }
}

/** The command typed: the text without the bot's @mention (and any HTML entities Teams left in). */
export function commandText(activity: TurnContext['activity']): string {
  let text = activity.text ?? '';
  try {
    text = TurnContext.removeRecipientMention(activity) ?? text;
  } catch {
    /* no mention entities: keep the text */
  }
  return decodeEntities(text).trim();
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&');
}

/** This app's card data ({ ofsted: … }) from a submit's value or an Execute's data; null for anything else. */
export function cardActionOf(value: unknown): TeamsCardAction | null {
  if (!value || typeof value !== 'object') return null;
  const a = (value as { ofsted?: unknown }).ofsted;
  if (!a || typeof a !== 'object') return null;
  const o = a as Record<string, unknown>;
  if (o.action === 'command') return o.command === 'help' || o.command === 'list' ? { action: 'command', command: o.command } : null;
  if (o.action !== 'pause' && o.action !== 'resume' && o.action !== 'unsubscribe') return null;
  if (o.subscriptionId !== undefined) {
    const id = Number(o.subscriptionId);
    return Number.isSafeInteger(id) && id > 0 ? { action: o.action, subscriptionId: id } : null;
  }
  if (o.action === 'resume') return null;
  if (typeof o.urn === 'string' && /^[0-9A-Za-z]{1,20}$/.test(o.urn)) {
    return { action: o.action, urn: o.urn, council: typeof o.council === 'string' ? o.council.slice(0, 120) : o.urn };
  }
  return null;
}

const shownName = (s: Subscription) => (s.target.kind === 'all' ? 'all councils' : s.targetName);

function subscriptionActionText(action: 'pause' | 'resume' | 'unsubscribe', s: Subscription, changed: boolean): string {
  const name = shownName(s);
  if (action === 'pause') return changed ? `Paused ${name} in this conversation: nothing is posted for it until \`resume\`.` : `${name} was already paused.`;
  if (action === 'resume') return changed ? `Resumed ${name}: new publications will be posted here again.` : `${name} was already active.`;
  return changed ? `This conversation no longer follows ${name}.` : `${name} had already ended.`;
}

function councilActionText(action: 'pause' | 'unsubscribe', council: string, changed: Subscription[], unchanged: Subscription[]): string {
  if (changed.length === 0 && unchanged.length === 0) return `This conversation no longer follows anything that covers ${council}, so nothing was changed.`;
  const names = (subs: Subscription[]) => subs.map((s) => (s.target.kind === 'authority' ? s.targetName : `${shownName(s)} (which covers ${council})`)).join(', ');
  const lines: string[] = [];
  if (changed.length) lines.push(action === 'pause' ? `Paused ${names(changed)} in this conversation: type \`resume\` to restart.` : `This conversation no longer follows ${names(changed)}.`);
  if (unchanged.length) lines.push(`${names(unchanged)} ${unchanged.length === 1 ? 'was' : 'were'} already paused.`);
  return lines.join(' ');
}
