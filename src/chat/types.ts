// The contract between the domain and the chat adapters (Slack, Teams, console). The domain knows no
// platform: it speaks of channels, commands, replies and outbound messages; adapters translate requests
// into commands and render replies and messages as Block Kit / Adaptive Cards / text.
import type { Judgements, LetterSummary, PublicationType } from '../letters/types.ts';
import type { Digest } from '../digests/types.ts';

export type Platform = 'slack' | 'teams' | 'console';

/** A place messages go: a Slack channel in a workspace (team id), a Teams conversation in a tenant. */
export interface ChannelRef {
  platform: Platform;
  /** Slack team id (T…) or Teams tenant id; isolation boundary: nothing crosses it */
  workspace: string;
  /** Slack channel id (C…/G…/D…) or Teams conversation id */
  channel: string;
}

export const channelKey = (c: ChannelRef): string => `${c.platform}:${c.workspace}:${c.channel}`;

/** Who sent a command, from where. */
export interface Caller {
  channel: ChannelRef;
  userId: string;
  userName?: string;
}

// ───────────────────────────── subscriptions ─────────────────────────────

export type Frequency = 'immediate' | 'daily' | 'weekly';
export type SubscriptionTarget = { kind: 'authority'; urn: string } | { kind: 'region'; regionCode: string } | { kind: 'all' };
export type SubscriptionStatus = 'active' | 'paused' | 'ended';

export interface Subscription {
  id: number;
  channel: ChannelRef;
  target: SubscriptionTarget;
  /** display name of the target: "Wakefield", "Yorkshire and the Humber", "all councils" */
  targetName: string;
  /** empty = every type */
  types: PublicationType[];
  /** empty = every theme */
  themes: string[];
  frequency: Frequency;
  status: SubscriptionStatus;
  /** why it is paused or ended ("channel_not_found: the channel was deleted", "unsubscribed by U123") */
  statusReason: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

// ───────────────────────────── commands ─────────────────────────────

/** Digests go out at 08:00 Europe/London unless a channel chooses another time. */
export const DEFAULT_DIGEST_TIME = '08:00';

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
export type DigestSetting =
  | { mode: 'weekly'; day: Weekday; time: string /* HH:MM, Europe/London */ }
  | { mode: 'daily'; time: string }
  | { mode: 'off' /* back to immediate alerts */ };

/** What a person asked for, parsed once for every platform. Council names are still text here. */
export type Command =
  | { kind: 'subscribe'; targets: TargetSpec[]; types: PublicationType[]; themes: string[] }
  | { kind: 'unsubscribe'; targets: TargetSpec[] | 'all' }
  | { kind: 'pause'; targets: TargetSpec[] | 'all' }
  | { kind: 'resume'; targets: TargetSpec[] | 'all' }
  | { kind: 'list' }
  | { kind: 'latest'; query: string }
  | { kind: 'history'; query: string }
  | { kind: 'themes'; query: string }
  | { kind: 'search'; words: string }
  | { kind: 'digest'; setting: DigestSetting }
  | { kind: 'help'; topic?: string };

export type TargetSpec = { kind: 'text'; text: string } | { kind: 'region'; text: string } | { kind: 'all' };

export type ParsedCommand =
  | { ok: true; command: Command; /** "public" flag: share a lookup in the channel */ public: boolean }
  | { ok: false; message: string /* for people: what is wrong and an example */ };

// ───────────────────────────── replies ─────────────────────────────

export interface PublicationView {
  id: number;
  authority: string;
  urn: string;
  type: PublicationType;
  title: string;
  publicationDate: string;
  url: string;
  /** the council's page on Ofsted's site */
  authorityPageUrl: string;
}

export type LetterView =
  | {
      status: 'ok';
      summary: LetterSummary;
      judgements: Judgements;
      visitDates: { start: string | null; end: string | null };
      /** every theme's representative sentences, for details (thread reply / "show all themes") */
      themeDetails: { id: string; name: string; strengths: number; concerns: number; concernSentence: string | null; strengthSentence: string | null }[];
    }
  | { status: 'unavailable'; reason: string };

/** Platform-neutral replies to commands; adapters render them. `visibility` says who should see it. */
export type Reply = { visibility: 'private' | 'public' } & (
  | { kind: 'text'; text: string }
  | { kind: 'did-you-mean'; input: string; suggestions: string[]; text: string }
  | {
      kind: 'subscribed';
      created: Subscription[];
      alreadyHad: Subscription[];
      /** already followed, now with other filters or resumed from paused (added by the subscriptions domain) */
      updated?: Subscription[];
      text: string;
    }
  | { kind: 'unsubscribed'; ended: Subscription[]; text: string }
  | { kind: 'subscriptions'; subscriptions: Subscription[]; digest: DigestSetting; text: string }
  | { kind: 'publication'; publication: PublicationView; letter: LetterView }
  | { kind: 'history'; authority: string; publications: PublicationView[]; text: string }
  | { kind: 'themes'; authority: string; publication: PublicationView; letter: LetterView }
  | { kind: 'search'; words: string; hits: { publication: PublicationView; snippet: string }[]; text: string }
  | { kind: 'digest-set'; setting: DigestSetting; text: string }
  | { kind: 'help'; text: string }
  | { kind: 'error'; text: string }
);

// ───────────────────────────── outbound messages ─────────────────────────────

export interface Alert {
  publication: PublicationView;
  letter: LetterView;
}

/** What the outbox sends. Digests arrive with the digests issue. */
export type OutboundMessage =
  | { kind: 'alert'; alert: Alert }
  | { kind: 'notice'; text: string; /** the channel the notice is about (e.g. whose subscriptions were paused), for a mention */ about?: ChannelRef }
  | { kind: 'digest'; digest: Digest };

export type SendResult =
  | { ok: true; /** platform id of the message (Slack ts, Teams activity id), used to thread replies */ ref: string | null }
  | { ok: false; kind: 'rate-limited'; retryAfterMs: number; message: string }
  | { ok: false; kind: 'transient'; message: string }
  /** the channel cannot be reached until a person acts: the subscription is paused with this reason */
  | { ok: false; kind: 'permanent'; code: string; message: string };

/**
 * What a chat platform gives the outbox. A message may take several parts (Slack: the alert, then its
 * details as a thread reply); the outbox records each part sent, so a crash resumes at the next part.
 */
export interface ChatSender {
  readonly platform: Platform;
  /** the least time between two messages to one channel (Slack 1000 ms) */
  readonly channelIntervalMs: number;
  /** renders a message into the platform's payloads, in the order they are sent (pure) */
  prepare(message: OutboundMessage): unknown[];
  /** sends one part; parts after the first are replies in the thread of the first (threadRef) */
  sendPart(channel: ChannelRef, part: unknown, opts: { threadRef: string | null; dedupeKey: string }): Promise<SendResult>;
  /**
   * For a part that may have been sent before a crash (claimed, never marked): looks for it by its
   * dedupeKey (Slack: message metadata in conversations.history). Returns its ref, or null if not sent.
   */
  findSent?(channel: ChannelRef, dedupeKey: string, since: Date): Promise<{ found: true; ref: string | null } | { found: false }>;
}
