// The database's tables as kysely sees them. Timestamps are ISO-8601 text and booleans 0/1 integers,
// so the same queries run on SQLite and Postgres.
import type { Generated, Insertable, Selectable } from 'kysely';

export interface ListedAuthorityTable {
  urn: string;
  name: string;
  provider_url: string;
  first_seen_at: string;
}

export interface WatchStateTable {
  urn: string;
  listing_latest_date: string | null;
  page_etag: string | null;
  page_last_modified: string | null;
  baselined_at: string | null;
  last_fetched_at: string | null;
  publications_seen: number;
  updated_at: string;
}

export interface HttpValidatorTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  updated_at: string;
}

export interface PublicationTable {
  id: Generated<number>;
  authority_urn: string;
  authority_name: string;
  type: string;
  title: string;
  publication_date: string;
  file_id: string;
  url: string;
  first_seen_at: string;
  found_by: string; // 'poll' | 'sweep'
  announced: number; // 1 when a publication.new event was written for it
}

export interface PublicationFileTable {
  id: Generated<number>;
  publication_id: number;
  file_id: string;
  url: string;
  first_seen_at: string;
}

export interface EventTable {
  id: Generated<number>;
  kind: string; // 'publication.new' | 'publication.republished'
  dedupe_key: string;
  publication_id: number;
  created_at: string;
  payload: string; // JSON
}

export interface ConsumerOffsetTable {
  consumer: string;
  last_event_id: number;
  updated_at: string;
}

export interface FaultTable {
  id: Generated<number>;
  kind: string;
  subject: string;
  message: string;
  first_seen_at: string;
  last_seen_at: string;
  occurrences: number;
  resolved_at: string | null;
}

export interface RunTable {
  id: Generated<number>;
  kind: string; // 'poll' | 'sweep'
  started_at: string;
  finished_at: string | null;
  status: string; // 'running' | 'ok' | 'faults' | 'failed' | 'aborted'
  requests: number;
  bytes: number;
  not_modified: number;
  pages_fetched: number;
  new_publications: number;
  detail: string | null;
}

export interface LeaseTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface LetterTable {
  publication_id: number;
  file_id: string;
  status: string; // 'ok' | 'failed'
  failure_kind: string | null;
  reason: string | null;
  pages: number | null;
  text: string | null;
  structure: string | null; // JSON LetterStructure
  sentences: string | null; // JSON ClassifiedSentence[]
  summary: string | null; // JSON LetterSummary
  read_at: string;
  attempts: number;
}

export interface Database {
  listed_authorities: ListedAuthorityTable;
  watch_state: WatchStateTable;
  http_validators: HttpValidatorTable;
  publications: PublicationTable;
  publication_files: PublicationFileTable;
  events: EventTable;
  consumer_offsets: ConsumerOffsetTable;
  faults: FaultTable;
  runs: RunTable;
  leases: LeaseTable;
  meta: MetaTable;
  letters: LetterTable;
  channels: ChannelTable;
  subscriptions: SubscriptionTable;
  deliveries: DeliveryTable;
  slack_installations: SlackInstallationTable;
}

export type Publication = Selectable<PublicationTable>;
export type NewPublication = Insertable<PublicationTable>;
export type Fault = Selectable<FaultTable>;
export type Run = Selectable<RunTable>;
export type EventRow = Selectable<EventTable>;
export type Letter = Selectable<LetterTable>;

// ── Slack adapter (migration 0004) ──
export interface SlackInstallationTable {
  install_key: string; // 'team:T…' | 'enterprise:E…'
  team_id: string | null;
  team_name: string | null;
  enterprise_id: string | null;
  is_enterprise_install: number;
  app_id: string | null;
  bot_user_id: string | null;
  bot_scopes: string | null;
  installed_by: string | null;
  sealed: string; // AES-256-GCM ciphertext of the Installation JSON (tokens inside)
  installed_at: string;
  updated_at: string;
}
export type SlackInstallationRow = Selectable<SlackInstallationTable>;

// ── Subscriptions and the delivery outbox (migration 0003) ──
export interface ChannelTable {
  platform: string; // 'slack' | 'teams' | 'console'
  workspace: string;
  channel: string;
  digest_frequency: string; // 'immediate' | 'daily' | 'weekly'
  digest_day: string | null; // 'monday'…, weekly only
  digest_time: string | null; // 'HH:MM' Europe/London
  conversation_ref: string | null; // JSON, Teams
  last_delivered_at: string | null;
  next_send_at: string | null; // pacing and Retry-After: the earliest next message
  claimed_by: string | null;
  claimed_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionTable {
  id: Generated<number>;
  platform: string;
  workspace: string;
  channel: string;
  target_kind: string; // 'authority' | 'region' | 'all'
  target_value: string; // URN | region code | '*'
  target_name: string;
  types: string; // JSON PublicationType[]
  themes: string; // JSON theme id[]
  frequency: string; // 'immediate' | 'daily' | 'weekly'
  status: string; // 'active' | 'paused' | 'ended'
  status_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
}

export interface DeliveryTable {
  id: Generated<number>;
  dedupe_key: string;
  kind: string; // 'alert' | 'notice' | 'digest'
  publication_id: number | null;
  platform: string;
  workspace: string;
  channel: string;
  subscription_ids: string; // JSON number[]
  payload: string | null; // JSON: notice { text, about? } / digest
  status: string; // 'pending' | 'sending' | 'sent' | 'failed' | 'undeliverable' | 'cancelled'
  attempts: number;
  next_attempt_at: string;
  claimed_by: string | null;
  claimed_until: string | null;
  parts_sent: number;
  parts_total: number | null;
  thread_ref: string | null;
  part_started_at: string | null; // non-null: a part was being sent and is in doubt until marked
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export type ChannelRow = Selectable<ChannelTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;
export type DeliveryRow = Selectable<DeliveryTable>;
