// The installation store: tokens encrypted at rest (the row holds no token), decrypted on fetch, bound
// to their row, refused with a wrong key; deleting forgets the workspace.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createInstallationStore, type AnyInstallation } from '../../adapters/slack/installation-store.ts';
import { tokenCryptoFromKey, TokenCryptoError } from '../../adapters/slack/token-crypto.ts';
import { parseConfig } from '../../src/config/config.ts';
import { testDatabases, freshStoreEachTest } from '../helpers/test-database.ts';

const KEY = randomBytes(32).toString('base64');
const BOT_TOKEN = 'xoxb-1111-2222-SECRETbotTOKEN';
const USER_TOKEN = 'xoxp-1111-2222-SECRETuserTOKEN';

const installation = (teamId = 'T0000000A'): AnyInstallation => ({
  team: { id: teamId, name: 'Children’s services team' },
  enterprise: undefined,
  user: { token: USER_TOKEN, scopes: ['identify'], id: 'UINSTALLER' },
  bot: { token: BOT_TOKEN, scopes: ['commands', 'chat:write'], id: 'B0000001', userId: 'U0000BOT' },
  appId: 'A0000001',
  tokenType: 'bot',
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

describe.each(testDatabases())('$name', (database) => {
  describe('installation store', () => {
    const opened = freshStoreEachTest(database);

    it('round-trips an installation, with no token in the row', async () => {
      const installs = createInstallationStore(opened.store.db, tokenCryptoFromKey(KEY));
      await installs.storeInstallation(installation());
      const rows = await opened.store.db.selectFrom('slack_installations').selectAll().execute();
      expect(rows).toHaveLength(1);
      const raw = JSON.stringify(rows);
      expect(raw).not.toContain('SECRETbotTOKEN');
      expect(raw).not.toContain('SECRETuserTOKEN');
      expect(raw).not.toContain('xoxb-');
      expect(rows[0]!.sealed).toMatch(/^v1:[0-9a-f]{8}:/);
      expect(rows[0]).toMatchObject({ install_key: 'team:T0000000A', team_id: 'T0000000A', bot_user_id: 'U0000BOT', bot_scopes: 'commands,chat:write', installed_by: 'UINSTALLER' });

      const fetched = await installs.fetchInstallation({ teamId: 'T0000000A', enterpriseId: undefined, isEnterpriseInstall: false });
      expect(fetched.bot?.token).toBe(BOT_TOKEN);
      expect(fetched.user.token).toBe(USER_TOKEN);
      expect(await installs.botTokenFor('T0000000A')).toBe(BOT_TOKEN);
      expect(await installs.botTokenFor('TOTHER')).toBeNull();
    });

    it('updates on reinstall and forgets on delete, telling listeners', async () => {
      const installs = createInstallationStore(opened.store.db, tokenCryptoFromKey(KEY));
      const changed: string[] = [];
      installs.onChange((k) => changed.push(k));
      await installs.storeInstallation(installation());
      await installs.storeInstallation({ ...installation(), bot: { ...installation().bot!, token: 'xoxb-new-token-after-reinstall' } });
      expect(await installs.botTokenFor('T0000000A')).toBe('xoxb-new-token-after-reinstall');
      expect(await opened.store.db.selectFrom('slack_installations').select('install_key').execute()).toHaveLength(1);
      await installs.deleteInstallation({ teamId: 'T0000000A', enterpriseId: undefined, isEnterpriseInstall: false });
      await expect(installs.fetchInstallation({ teamId: 'T0000000A', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(/no Slack installation for workspace T0000000A/);
      expect(changed).toEqual(['team:T0000000A', 'team:T0000000A', 'team:T0000000A']);
    });

    it('refuses another key, and a sealed value moved to another row', async () => {
      const installs = createInstallationStore(opened.store.db, tokenCryptoFromKey(KEY));
      await installs.storeInstallation(installation('T0000000A'));
      await installs.storeInstallation(installation('T0000000B'));
      const other = createInstallationStore(opened.store.db, tokenCryptoFromKey(randomBytes(32).toString('hex')));
      await expect(other.botTokenFor('T0000000A')).rejects.toThrow(/sealed with another key/);
      const a = await opened.store.db.selectFrom('slack_installations').select('sealed').where('install_key', '=', 'team:T0000000A').executeTakeFirstOrThrow();
      await opened.store.db.updateTable('slack_installations').set({ sealed: a.sealed }).where('install_key', '=', 'team:T0000000B').execute();
      await expect(installs.botTokenFor('T0000000B', { fresh: true })).rejects.toThrow(/integrity check/);
    });

    it('serves installations from memory (preloaded; stale ones read again behind the answer)', async () => {
      const installs = createInstallationStore(opened.store.db, tokenCryptoFromKey(KEY), { cacheTtlMs: 50 });
      await installs.storeInstallation(installation('T0000000A'));
      const fresh = createInstallationStore(opened.store.db, tokenCryptoFromKey(KEY), { cacheTtlMs: 50 });
      expect(await fresh.preload()).toBe(1);
      // another process reinstalls: this one still answers from memory at once, then catches up
      await installs.storeInstallation({ ...installation('T0000000A'), bot: { ...installation().bot!, token: 'xoxb-reinstalled-elsewhere' } });
      expect(await fresh.botTokenFor('T0000000A')).toBe(BOT_TOKEN);
      await new Promise((r) => setTimeout(r, 60));
      expect(await fresh.botTokenFor('T0000000A')).toBe(BOT_TOKEN); // stale: answered, refresh started
      await new Promise((r) => setTimeout(r, 10));
      expect(await fresh.botTokenFor('T0000000A')).toBe('xoxb-reinstalled-elsewhere');
      expect(await fresh.botTokenFor('T0000000A', { fresh: true })).toBe('xoxb-reinstalled-elsewhere');
    });

    it('falls back to an org-wide install for a workspace of the enterprise', async () => {
      const installs = createInstallationStore(opened.store.db, tokenCryptoFromKey(KEY));
      await installs.storeInstallation({ ...installation(), team: undefined, enterprise: { id: 'E0000001', name: 'Org' }, isEnterpriseInstall: true } as AnyInstallation);
      const fetched = await installs.fetchInstallation({ teamId: 'T0000000Z', enterpriseId: 'E0000001', isEnterpriseInstall: false });
      expect(fetched.bot?.token).toBe(BOT_TOKEN);
    });
  });

  describe('the encryption key', () => {
    it('must be 32 bytes in base64 or hex, with clear messages', () => {
      expect(() => tokenCryptoFromKey(undefined)).toThrow(TokenCryptoError);
      expect(() => tokenCryptoFromKey(undefined)).toThrow(/SLACK_TOKEN_ENCRYPTION_KEY is not set/);
      expect(() => tokenCryptoFromKey('too-short')).toThrow(/32 bytes/);
      expect(tokenCryptoFromKey(randomBytes(32).toString('hex')).keyId).toMatch(/^[0-9a-f]{8}$/);
      expect(tokenCryptoFromKey(randomBytes(32).toString('base64')).keyId).toMatch(/^[0-9a-f]{8}$/);
    });

    it('is required by the config in OAuth mode, and secrets are never echoed', () => {
      const r = parseConfig({ SLACK_CLIENT_ID: '123.456', SLACK_CLIENT_SECRET: 'abcdef0123456789', SLACK_STATE_SECRET: 'state-secret-0123456789', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems.join('\n')).toMatch(/SLACK_TOKEN_ENCRYPTION_KEY is required for OAuth installs/);
      const bad = parseConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token-pasted-by-mistake', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' });
      expect(bad.ok).toBe(false);
      if (!bad.ok) {
        expect(bad.problems.join('\n')).toMatch(/SLACK_BOT_TOKEN must be a bot token starting with xoxb-/);
        expect(bad.problems.join('\n')).not.toContain('pasted-by-mistake');
      }
      const ok = parseConfig({ SLACK_CLIENT_ID: '123.456', SLACK_CLIENT_SECRET: 'abcdef0123456789', SLACK_STATE_SECRET: 'state-secret-0123456789', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef', SLACK_TOKEN_ENCRYPTION_KEY: KEY });
      expect(ok.ok).toBe(true);
    });

    it('HTTP mode needs a signing secret; Socket Mode an xapp- token', () => {
      const http = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-3' });
      expect(http.ok).toBe(false);
      if (!http.ok) expect(http.problems.join('\n')).toMatch(/SLACK_SIGNING_SECRET is required in HTTP mode/);
      expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_APP_TOKEN: 'xapp-1-A1-abc' }).ok).toBe(true);
      const app = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_APP_TOKEN: 'xoxb-wrong' });
      expect(app.ok).toBe(false);
      if (!app.ok) expect(app.problems.join('\n')).toMatch(/SLACK_APP_TOKEN must be an app-level token starting with xapp-/);
    });
  });
});
