// What the watcher needs from the outside world, as interfaces so tests can hand it fakes.
import type { Logger } from '../log/logger.ts';
import type { Db } from '../store/db.ts';

export type FetchResult =
  | { ok: true; status: 200; body: string | Uint8Array; contentType: string | null; etag: string | null; lastModified: string | null; bytes: number }
  | { ok: true; status: 304; bytes: number }
  | { ok: false; error: { kind: string; status?: number; message: string; attempts: number } };

export interface SiteClient {
  get(url: string, opts?: { etag?: string | null; lastModified?: string | null; signal?: AbortSignal }): Promise<FetchResult>;
  stats(): { requests: number; bytes: number; notModified?: number };
}

export interface AuthorityLookup {
  /** name and GSS code of a council the registry knows, by Ofsted URN */
  lookup(urn: string): { name: string; gss: string | null } | undefined;
  /** every URN the registry knows (bundled and listed) */
  urns(): string[];
}

export interface WatcherDeps {
  db: Db;
  client: SiteClient;
  logger: Logger;
  now: () => Date;
  baseUrl: string;
  authorities: AuthorityLookup;
  /** who holds the watcher lease (process id and host) */
  holder: string;
  /**
   * true when every run is made inside the cluster's own 'watcher' section (Postgres advisory lock): a
   * lease left by a holder that died is then taken over at once, not after its TTL
   */
  leaseTakeover?: boolean;
  /** faults seen this many times in a row are logged at error level */
  faultAlertAfter: number;
}

export function bodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : new TextDecoder().decode(body);
}
