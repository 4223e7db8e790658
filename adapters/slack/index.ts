// The Slack adapter's public surface.
export { startSlackAdapter, slackConfigured, SlackStartError, type SlackAdapter, type StartSlackAdapterOptions } from './start-slack-adapter.ts';
export { createSlackApp, type SlackAppDeps } from './slack-app.ts';
export { createSlackSender, METADATA_EVENT_TYPE, type SlackSender } from './slack-sender.ts';
export { createInstallationStore, type SlackInstallationStore } from './installation-store.ts';
export { slackSettings, BOT_SCOPES, type SlackSettings } from './slack-settings.ts';
export type { SlackDomain, SubscriptionAction, ActionOutcome } from './slack-domain.ts';
