// The App Home tab: published when someone opens it, and again after each button there. Buttons pause,
// resume or end one subscription; the domain acts only on a subscription of the workspace the (signed)
// click came from, so a forged id from another workspace changes nothing.
import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import type { Logger } from '../../../src/log/logger.ts';
import { HOME_ACTIONS, renderHome, type HomeAction } from '../render/render-home.ts';
import { ACTION_OPEN_COUNCIL, ACTION_OPEN_LETTER } from '../render/render-alert.ts';
import { ACTION_DIGEST_LETTER } from '../render/render-digest.ts';
import type { SlackDomain } from '../slack-domain.ts';
import { acknowledged, behindPendingAcks } from '../behind-acks.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

export interface AppHomeDeps {
  domain: SlackDomain;
  logger: Logger;
}

const ACTION_OF: Record<string, HomeAction> = Object.fromEntries(Object.entries(HOME_ACTIONS).map(([k, v]) => [v, k as HomeAction]));
const HOME_ACTION_IDS = new RegExp(`^(${Object.values(HOME_ACTIONS).join('|')})$`);
const LINK_ACTION_IDS = new RegExp(`^(${ACTION_OPEN_LETTER}|${ACTION_OPEN_COUNCIL}|${ACTION_DIGEST_LETTER}_\\d+)$`);

export async function publishHome(client: WebClient, deps: AppHomeDeps, teamId: string, userId: string, notice?: string): Promise<void> {
  const subscriptions = await deps.domain.workspaceSubscriptions('slack', teamId);
  const view = renderHome({ subscriptions, ...(notice ? { notice } : {}) });
  await client.views.publish({ user_id: userId, view: view as never });
}

export function registerAppHome(app: App, deps: AppHomeDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    try {
      await publishHome(client, deps, teamId, event.user);
    } catch (error) {
      deps.logger.warn({ workspace: teamId, err: message(error) }, 'could not publish the Home tab');
    }
  });

  app.action<BlockAction<ButtonAction>>(HOME_ACTION_IDS, async ({ ack, body, action, client }) => {
    await ack();
    acknowledged();
    await behindPendingAcks();
    const teamId = body.team?.id ?? body.user.team_id;
    const userId = body.user.id;
    const kind = ACTION_OF[action.action_id];
    const id = Number(action.value);
    if (!teamId || !kind || !Number.isSafeInteger(id) || id <= 0) {
      deps.logger.warn({ workspace: teamId, action: action.action_id }, 'ignored a Home action without a workspace or a valid subscription id');
      return;
    }
    let notice: string;
    try {
      const outcome = await deps.domain.actOnSubscription(kind, id, { platform: 'slack', workspace: teamId }, userId);
      if (!outcome.ok) {
        deps.logger.warn({ workspace: teamId, subscriptionId: id, action: kind, user: userId }, 'a Home action named a subscription that is not in this workspace');
        notice = 'That subscription is no longer there.';
      } else {
        const what = outcome.subscription.targetName;
        const verb = kind === 'pause' ? 'Paused' : kind === 'resume' ? 'Resumed' : 'Unsubscribed from';
        notice = outcome.changed ? `${verb} ${what}.` : `Nothing to change for ${what}.`;
      }
    } catch (error) {
      deps.logger.error({ workspace: teamId, subscriptionId: id, action: kind, err: message(error) }, 'a Home action failed');
      notice = 'Sorry, that did not work. Please try again.';
    }
    try {
      await publishHome(client, deps, teamId, userId, notice);
    } catch (error) {
      deps.logger.warn({ workspace: teamId, err: message(error) }, 'could not publish the Home tab');
    }
  });

  // link buttons open a URL in the browser; Slack still sends the click, which must be acknowledged
  app.action(LINK_ACTION_IDS, async ({ ack }) => {
    await ack();
  });
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
