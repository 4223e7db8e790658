// The subscriptions domain, one verb per service.
export { createSubscriptions, type CreateSubscriptionsInput, type CreateSubscriptionsResult } from './create-subscriptions.ts';
export { endSubscriptions, type EndSubscriptionsInput, type EndSubscriptionsResult } from './end-subscriptions.ts';
export { pauseSubscriptions, resumeSubscriptions, pauseChannel, type ChangeStatusInput, type ChangeStatusResult } from './pause-subscriptions.ts';
export { listSubscriptions, listWorkspaceSubscriptions, findWorkspaceSubscription } from './list-subscriptions.ts';
export { setDigest } from './set-digest.ts';
export { endWorkspace } from './end-workspace.ts';
export { rememberChannel, getChannel, digestOf } from './channels.ts';
export { matchChannels, subscriptionMatches, targetCovers, filtersPass, type PublicationFacts, type ChannelMatch } from './matching.ts';
export { letterThemes } from './letter-themes.ts';
export type { ResolvedTarget } from './subscription-rows.ts';
