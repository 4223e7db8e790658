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
}

export type Publication = Selectable<PublicationTable>;
export type NewPublication = Insertable<PublicationTable>;
export type Fault = Selectable<FaultTable>;
export type Run = Selectable<RunTable>;
export type EventRow = Selectable<EventTable>;
export type Letter = Selectable<LetterTable>;
