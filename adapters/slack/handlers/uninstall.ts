// The app leaves a workspace: app_uninstalled, or tokens_revoked naming the bot token. Every subscription
// there ends with the reason (the domain also cancels what was queued for them), the installation and any
// cached client are dropped. Bolt skips authorization for these two events, so they work after the
// installation is gone.
import type { App } from '@slack/bolt';
import type { Logger } from '../../../src/log/logger.ts';
import type { SlackInstallationStore } from '../installation-store.ts';
import type { SlackDomain } from '../slack-domain.ts';

export interface UninstallDeps {
  domain: SlackDomain;
  logger: Logger;
  installationStore?: SlackInstallationStore;
  /** called once a workspace is gone (the sender forgets its client) */
  onWorkspaceGone?: (teamId: string) => void;
}

export const UNINSTALLED_REASON = 'app_uninstalled: the app was removed from this Slack workspace';
export const REVOKED_REASON = "tokens_revoked: the app's access to this Slack workspace was revoked";

interface EventEnvelope {
  team_id: string;
  enterprise_id?: string;
  authorizations?: { is_enterprise_install?: boolean; enterprise_id?: string | null }[];
}

export function registerUninstall(app: App, deps: UninstallDeps): void {
  const leave = async (body: EventEnvelope, reason: string) => {
    const teamId = body.team_id;
    const { endedSubscriptions } = await deps.domain.endWorkspace('slack', teamId, reason);
    const auth = body.authorizations?.[0];
    const isEnterpriseInstall = auth?.is_enterprise_install === true;
    const enterpriseId = body.enterprise_id ?? auth?.enterprise_id ?? undefined;
    if (deps.installationStore) {
      await deps.installationStore.deleteInstallation(
        isEnterpriseInstall ? { isEnterpriseInstall: true, enterpriseId: enterpriseId!, teamId: undefined } : { isEnterpriseInstall: false, teamId, enterpriseId },
      );
    }
    deps.onWorkspaceGone?.(teamId);
    deps.logger.warn({ workspace: teamId, endedSubscriptions }, `Slack workspace left: ${reason}`);
  };

  app.event('app_uninstalled', async ({ body }) => {
    await leave(body as EventEnvelope, UNINSTALLED_REASON);
  });

  app.event('tokens_revoked', async ({ event, body }) => {
    // only the bot token matters: the app sends with it; a revoked user token changes nothing here
    if (!event.tokens.bot?.length) return;
    await leave(body as EventEnvelope, REVOKED_REASON);
  });
}
