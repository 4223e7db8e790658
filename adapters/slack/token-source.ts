// Where the sender finds a workspace's bot token: the one configured token (single workspace) or the
// installation store (OAuth). Tokens stay in memory only as long as a WebClient needs them.
import type { SlackInstallationStore } from './installation-store.ts';

export interface TokenSource {
  /** the bot token for this workspace (Slack team id), or null if the app is not installed there; fresh skips caches */
  botToken(teamId: string, opts?: { fresh?: boolean }): Promise<string | null>;
  /** called when a workspace's token may have changed (reinstall, uninstall) */
  onChange?(listener: (teamId: string | null) => void): void;
}

/**
 * One workspace: the configured bot token. `teamId` (from auth.test) pins it to that workspace, so that
 * subscriptions left from another workspace fail as "not installed" instead of posting with a wrong token.
 */
export function singleWorkspaceTokens(token: string, teamId: () => string | null): TokenSource {
  return {
    async botToken(team) {
      const pinned = teamId();
      return pinned === null || pinned === team ? token : null;
    },
  };
}

export function installationTokens(store: SlackInstallationStore): TokenSource {
  return {
    botToken: (teamId, opts) => store.botTokenFor(teamId, opts),
    onChange(listener) {
      store.onChange((key) => listener(key.startsWith('team:') ? key.slice(5) : null));
    },
  };
}
