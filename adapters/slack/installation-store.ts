// Bolt's InstallationStore in our database. Each installation (tokens included) is stored only as
// AES-256-GCM ciphertext bound to its row's key; the plain columns hold ids, names and scopes for operators.
// Tokens never reach a log: errors name the workspace, never the data.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Db } from '../../src/store/db.ts';
import type { TokenCrypto } from './token-crypto.ts';

export type AnyInstallation = Installation<'v1' | 'v2', boolean>;

export class InstallationNotFoundError extends Error {}

/** 'enterprise:E…' for org-wide installs, else 'team:T…'. */
export function installKeyOf(i: { isEnterpriseInstall?: boolean; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
  if (i.isEnterpriseInstall) {
    if (!i.enterpriseId) throw new Error('an org-wide installation has no enterprise id');
    return `enterprise:${i.enterpriseId}`;
  }
  if (!i.teamId) throw new Error('an installation has no team id');
  return `team:${i.teamId}`;
}

export interface SlackInstallationStore extends InstallationStore {
  deleteInstallation(query: InstallationQuery<boolean>): Promise<void>;
  /** the bot token of a workspace (team id), or null if the app is not installed there; fresh skips the cache */
  botTokenFor(teamId: string, opts?: { fresh?: boolean }): Promise<string | null>;
  /** team ids with an installation (for operators; no tokens) */
  listTeams(): Promise<{ teamId: string | null; teamName: string | null; enterpriseId: string | null; installedAt: string }[]>;
  /** called after a store or delete, so caches of tokens can drop what they hold */
  onChange(listener: (installKey: string) => void): void;
  /** reads every installation into memory once (at start), so that no first request waits for the store */
  preload(): Promise<number>;
}

export interface InstallationStoreOptions {
  now?: () => Date;
  /**
   * how long a fetched installation is fresh in memory (ms, default 60 s; 0 = no cache). Bolt fetches the
   * installation for every request before a listener can acknowledge it, so a busy store must never delay
   * an acknowledgement: a stale entry is served at once and read again in the background. A store or
   * delete in this process updates the entry at once; another process's change is seen within the TTL
   * (and at once by the sender, which asks fresh after an auth error).
   */
  cacheTtlMs?: number;
}

type Cached = { at: number; installation: AnyInstallation | undefined; refreshing?: Promise<AnyInstallation | undefined> };

export function createInstallationStore(db: Db, crypto: TokenCrypto, opts: InstallationStoreOptions = {}): SlackInstallationStore {
  const now = opts.now ?? (() => new Date());
  const ttl = opts.cacheTtlMs ?? 60_000;
  const listeners: ((key: string) => void)[] = [];
  const cache = new Map<string, Cached>();
  const changed = (key: string, installation: AnyInstallation | undefined) => {
    if (ttl > 0) cache.set(key, { at: Date.now(), installation });
    listeners.forEach((l) => l(key));
  };

  const read = async (key: string): Promise<AnyInstallation | undefined> => {
    const row = await db.selectFrom('slack_installations').select(['sealed']).where('install_key', '=', key).executeTakeFirst();
    const installation = row ? (JSON.parse(crypto.open(row.sealed, key)) as AnyInstallation) : undefined;
    if (ttl > 0) {
      if (cache.size >= 50_000) cache.clear();
      cache.set(key, { at: Date.now(), installation });
    }
    return installation;
  };

  const fetchByKey = async (key: string, fresh = false): Promise<AnyInstallation | undefined> => {
    const hit = cache.get(key);
    if (fresh || !hit || ttl <= 0) return read(key);
    if (Date.now() - hit.at >= ttl && !hit.refreshing) {
      // stale: answer now, read again behind the answer (one read at a time per key)
      hit.refreshing = read(key).catch(() => {
        hit.refreshing = undefined;
        return hit.installation;
      });
    }
    return hit.installation;
  };
  const queryKey = (q: InstallationQuery<boolean>) =>
    installKeyOf({ isEnterpriseInstall: q.isEnterpriseInstall, enterpriseId: q.enterpriseId, teamId: q.teamId });

  return {
    async storeInstallation(installation) {
      const key = installKeyOf({
        isEnterpriseInstall: installation.isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      });
      const at = now().toISOString();
      const columns = {
        team_id: installation.team?.id ?? null,
        team_name: installation.team?.name ?? null,
        enterprise_id: installation.enterprise?.id ?? null,
        is_enterprise_install: installation.isEnterpriseInstall ? 1 : 0,
        app_id: installation.appId ?? null,
        bot_user_id: installation.bot?.userId ?? null,
        bot_scopes: installation.bot?.scopes?.join(',') ?? null,
        installed_by: installation.user?.id ?? null,
        sealed: crypto.seal(JSON.stringify(installation), key),
        updated_at: at,
      };
      await db
        .insertInto('slack_installations')
        .values({ install_key: key, ...columns, installed_at: at })
        .onConflict((oc) => oc.column('install_key').doUpdateSet(columns))
        .execute();
      changed(key, installation);
    },

    async fetchInstallation(query) {
      // an event from a workspace of an org-wide install: fall back to the enterprise's installation
      const found =
        (await fetchByKey(queryKey(query))) ??
        (!query.isEnterpriseInstall && query.enterpriseId ? await fetchByKey(`enterprise:${query.enterpriseId}`) : undefined);
      if (!found) {
        throw new InstallationNotFoundError(`no Slack installation for ${query.isEnterpriseInstall ? `enterprise ${query.enterpriseId}` : `workspace ${query.teamId}`}`);
      }
      return found;
    },

    async deleteInstallation(query) {
      const key = queryKey(query);
      await db.deleteFrom('slack_installations').where('install_key', '=', key).execute();
      changed(key, undefined);
    },

    async botTokenFor(teamId, o) {
      const direct = await fetchByKey(`team:${teamId}`, o?.fresh);
      if (direct) return direct.bot?.token ?? null;
      return null;
    },

    async listTeams() {
      const rows = await db.selectFrom('slack_installations').select(['team_id', 'team_name', 'enterprise_id', 'installed_at']).orderBy('installed_at').execute();
      return rows.map((r) => ({ teamId: r.team_id, teamName: r.team_name, enterpriseId: r.enterprise_id, installedAt: r.installed_at }));
    },

    onChange(listener) {
      listeners.push(listener);
    },

    async preload() {
      if (ttl <= 0) return 0;
      const rows = await db.selectFrom('slack_installations').select(['install_key', 'sealed']).execute();
      let n = 0;
      for (const row of rows) {
        try {
          cache.set(row.install_key, { at: Date.now(), installation: JSON.parse(crypto.open(row.sealed, row.install_key)) as AnyInstallation });
          n++;
        } catch {
          // left to fetchInstallation, which reports it when that workspace is used
        }
      }
      return n;
    },
  };
}
