// TeamsDomain bound to the real domain: handleCommand for typed commands, the subscription services for
// card buttons, rememberChannel for conversation references, endSubscriptions when the app leaves.
// Buttons look a subscription up by id AND tenant AND conversation (the isolation boundary), then use the
// conversation's own services on exactly that subscription's target.
import type { AppContext } from '../../src/app/context.ts';
import type { ChannelRef, Subscription } from '../../src/chat/types.ts';
import { handleCommand, type CommandDeps } from '../../src/commands/handle-command.ts';
import type { LetterDeps } from '../../src/pipeline/ensure-letter.ts';
import {
  endSubscriptions,
  findWorkspaceSubscription,
  getChannel,
  listSubscriptions,
  pauseSubscriptions,
  rememberChannel,
  resumeSubscriptions,
  targetCovers,
} from '../../src/subscriptions/index.ts';
import { parseStoredConversation, serializeConversation } from './conversation.ts';
import type { ActionOutcome, CouncilOutcome, TeamsDomain } from './teams-domain.ts';

export interface TeamsDomainOptions {
  /** lets lookups read a letter not read yet (the letter pool); without it they show what is stored */
  letters?: LetterDeps;
}

export function createTeamsDomain(ctx: Pick<AppContext, 'db' | 'directory' | 'now' | 'logger' | 'config'>, opts: TeamsDomainOptions = {}): TeamsDomain {
  const { db } = ctx;
  const deps: CommandDeps = {
    db,
    directory: ctx.directory,
    now: ctx.now,
    logger: ctx.logger,
    baseUrl: ctx.config.OFSTED_BASE_URL,
    ...(opts.letters ? { letters: opts.letters } : {}),
  };
  const sameChannel = (s: Subscription, c: ChannelRef) => s.channel.platform === c.platform && s.channel.workspace === c.workspace && s.channel.channel === c.channel;
  const targetsOf = (s: Subscription) => [{ target: s.target, name: s.targetName }];

  return {
    handleCommand: (caller, text) => handleCommand(deps, caller, text),
    listSubscriptions: (channel) => listSubscriptions(db, channel),

    async rememberConversation(channel, conversation) {
      await rememberChannel(db, channel, ctx.now(), conversation ? serializeConversation(conversation) : null);
    },

    async conversation(channel) {
      return parseStoredConversation((await getChannel(db, channel))?.conversation_ref);
    },

    async actOnSubscription(action, id, channel, by): Promise<ActionOutcome> {
      const found = await findWorkspaceSubscription(db, id, channel.platform, channel.workspace);
      if (!found || !sameChannel(found, channel)) return { ok: false, reason: 'not-found' };
      const input = { channel, targets: targetsOf(found), now: ctx.now() };
      let changed: Subscription[];
      if (action === 'pause') changed = (await pauseSubscriptions(db, { ...input, reason: `paused by ${by}` })).changed;
      else if (action === 'resume') changed = (await resumeSubscriptions(db, input)).changed;
      else changed = (await endSubscriptions(db, { ...input, reason: `unsubscribed by ${by}` })).ended;
      const mine = changed.find((s) => s.id === id);
      return { ok: true, subscription: mine ?? found, changed: Boolean(mine) };
    },

    async actOnCouncil(action, urn, channel, by): Promise<CouncilOutcome> {
      const authority = ctx.directory.registry().byUrn(urn);
      const facts = { urn, regionCode: authority?.regionCode ?? null, type: 'other' as const };
      const covering = (await listSubscriptions(db, channel)).subscriptions.filter((s) => s.status !== 'ended' && targetCovers(s, facts));
      const out: CouncilOutcome = { changed: [], unchanged: [] };
      for (const s of covering) {
        const input = { channel, targets: targetsOf(s), now: ctx.now() };
        if (action === 'pause') {
          const r = await pauseSubscriptions(db, { ...input, reason: `paused by ${by}` });
          out.changed.push(...r.changed);
          out.unchanged.push(...r.unchanged);
        } else {
          out.changed.push(...(await endSubscriptions(db, { ...input, reason: `unsubscribed by ${by}` })).ended);
        }
      }
      return out;
    },

    async endConversation(channel, reason) {
      return (await endSubscriptions(db, { channel, targets: 'all', reason, now: ctx.now() })).ended.length;
    },

    async endTeam(tenant, teamId, reason, also) {
      const rows = await db
        .selectFrom('channels')
        .select(['channel', 'conversation_ref'])
        .where('platform', '=', 'teams')
        .where('workspace', '=', tenant)
        .execute();
      const channels = new Set<string>(rows.filter((r) => r.channel === teamId || parseStoredConversation(r.conversation_ref)?.teamId === teamId).map((r) => r.channel));
      if (also && also.workspace === tenant) channels.add(also.channel);
      let ended = 0;
      await db.transaction().execute(async (tx) => {
        for (const channel of channels) {
          ended += (await endSubscriptions(tx, { channel: { platform: 'teams', workspace: tenant, channel }, targets: 'all', reason, now: ctx.now() })).ended.length;
        }
      });
      return { channels: channels.size, endedSubscriptions: ended };
    },
  };
}
