// The app manifest asks for what the adapter uses: the same bot scopes as the OAuth install, the events it
// listens to, the /ofsted command, the Home tab and interactivity, all at the adapter's paths.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOT_SCOPES, EVENTS_PATH, REDIRECT_PATH } from '../../adapters/slack/slack-settings.ts';

const manifest = JSON.parse(readFileSync(new URL('../../slack-app-manifest.json', import.meta.url), 'utf8'));

describe('slack-app-manifest.json', () => {
  it('matches the adapter', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(BOT_SCOPES);
    expect(manifest.oauth_config.scopes.bot).not.toContain('chat:write.public');
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'app_uninstalled', 'tokens_revoked']);
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/ofsted']);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    for (const url of [manifest.features.slash_commands[0].url, manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url]) {
      expect(new URL(url).pathname).toBe(EVENTS_PATH);
    }
    expect(new URL(manifest.oauth_config.redirect_urls[0]).pathname).toBe(REDIRECT_PATH);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
  });
});
