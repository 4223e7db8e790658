// The Microsoft Teams adapter's public surface. Everything that uses botbuilder is in this folder; a port
// to the Microsoft 365 Agents SDK replaces teams-auth.ts, teams-http.ts, teams-bot.ts and the poster in
// start-teams-adapter.ts, and keeps the cards, the limits, the sender's logic and the domain port.
export { startTeamsAdapter, teamsConfigured, TeamsStartError, proactivePoster, type TeamsAdapter, type StartTeamsAdapterOptions } from './start-teams-adapter.ts';
export { teamsSettings, TeamsConfigError, NOT_CONFIGURED, MESSAGES_PATH, HEALTH_PATH, type TeamsSettings } from './teams-settings.ts';
export { createTeamsSender, renderMessage, type TeamsSender, type TeamsSenderOptions, type TeamsSenderStats, type PostActivity, type ConversationSource } from './teams-sender.ts';
export { createTeamsDomain, type TeamsDomainOptions } from './domain-wiring.ts';
export type { TeamsDomain, SubscriptionAction, ActionOutcome, CouncilOutcome } from './teams-domain.ts';
export { TeamsRateLimiter, CONVERSATION_WINDOWS, TENANT_WINDOWS, TEAMS_CHANNEL_INTERVAL_MS, type Window } from './rate-limits.ts';
export { renderReply, renderNotice, renderDigest, renderWelcome } from './render/render-reply.ts';
export { renderAlertParts, renderThemeParts } from './render/render-alert.ts';
export { MESSAGE_BUDGET_BYTES, TEAMS_MESSAGE_LIMIT_BYTES, sizeOf, type TeamsPart, type TeamsMessageActivity } from './render/parts.ts';
export { channelRefOf, callerOf, storedConversationOf, parseStoredConversation, type StoredConversation } from './conversation.ts';
