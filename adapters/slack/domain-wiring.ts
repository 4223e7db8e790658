// SlackDomain bound to the real domain: handleCommand for /ofsted, the subscription services for the
// Home tab, endWorkspace for uninstalls. Home actions look a subscription up by id AND workspace (the
// isolation boundary), then use the channel's own services on exactly that subscription's target.
import type { AppContext } from '../../src/app/context.ts';
import type { Platform, Subscription } from '../../src/chat/types.ts';
import { handleCommand, type CommandDeps } from '../../src/commands/handle-command.ts';
import type { LetterDeps } from '../../src/pipeline/ensure-letter.ts';
import type { Db } from '../../src/store/db.ts';
import { isRowId } from '../../src/store/dialect.ts';
import { endSubscriptions, endWorkspace, pauseSubscriptions, resumeSubscriptions } from '../../src/subscriptions/index.ts';
import { toSubscription } from '../../src/subscriptions/subscription-rows.ts';
import type { ActionOutcome, SlackDomain } from './slack-domain.ts';

export interface SlackDomainOptions {
  /** lets lookups read a letter not read yet (the letter pool); without it they show what is stored */
  letters?: LetterDeps;
}

export function createSlackDomain(ctx: Pick<AppContext, 'db' | 'directory' | 'now' | 'logger' | 'config'>, opts: SlackDomainOptions = {}): SlackDomain {
  const deps: CommandDeps = {
    db: ctx.db,
    directory: ctx.directory,
    now: ctx.now,
    logger: ctx.logger,
    baseUrl: ctx.config.OFSTED_BASE_URL,
    ...(opts.letters ? { letters: opts.letters } : {}),
  };
  return {
    handleCommand: (caller, text) => handleCommand(deps, caller, text),
    workspaceSubscriptions: (platform, workspace) => workspaceSubscriptions(ctx.db, platform, workspace),
    async actOnSubscription(action, id, scope, by): Promise<ActionOutcome> {
      const found = await liveSubscriptionInWorkspace(ctx.db, id, scope.platform, scope.workspace);
      if (!found) return { ok: false, reason: 'not-found' };
      const input = { channel: found.channel, targets: [{ target: found.target, name: found.targetName }], now: ctx.now() };
      let changed: Subscription[];
      if (action === 'pause') changed = (await pauseSubscriptions(ctx.db, { ...input, reason: `paused by ${by}` })).changed;
      else if (action === 'resume') changed = (await resumeSubscriptions(ctx.db, input)).changed;
      else changed = (await endSubscriptions(ctx.db, { ...input, reason: `unsubscribed by ${by}` })).ended;
      const mine = changed.find((s) => s.id === id);
      return { ok: true, subscription: mine ?? found, changed: Boolean(mine) };
    },
    async endWorkspace(platform, workspace, reason) {
      const r = await endWorkspace(ctx.db, platform, workspace, reason, ctx.now());
      return { endedSubscriptions: r.endedSubscriptions };
    },
  };
}

/** Every live subscription of one workspace, by channel then target. */
async function workspaceSubscriptions(db: Db, platform: Platform, workspace: string): Promise<Subscription[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('platform', '=', platform)
    .where('workspace', '=', workspace)
    .where('status', '!=', 'ended')
    .orderBy('channel')
    .orderBy('target_name')
    .orderBy('id')
    .execute();
  return rows.map(toSubscription);
}

async function liveSubscriptionInWorkspace(db: Db, id: number, platform: Platform, workspace: string): Promise<Subscription | null> {
  if (!isRowId(id)) return null;
  const row = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('id', '=', id)
    .where('platform', '=', platform)
    .where('workspace', '=', workspace)
    .where('status', '!=', 'ended')
    .executeTakeFirst();
  return row ? toSubscription(row) : null;
}
