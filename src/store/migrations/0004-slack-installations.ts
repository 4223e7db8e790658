// Slack installations (OAuth mode): one row per workspace (team) or per org-wide install (enterprise).
// The installation, with its tokens, is stored only as AES-256-GCM ciphertext (`sealed`); the plain
// columns beside it hold what an operator may look at (ids, names, scopes, who installed, when).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slack_installations')
    // 'team:T…' or 'enterprise:E…' (org-wide install)
    .addColumn('install_key', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text')
    .addColumn('team_name', 'text')
    .addColumn('enterprise_id', 'text')
    .addColumn('is_enterprise_install', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('app_id', 'text')
    .addColumn('bot_user_id', 'text')
    .addColumn('bot_scopes', 'text')
    .addColumn('installed_by', 'text')
    // 'v1:{keyId}:{base64(iv | tag | ciphertext)}' of the Installation's JSON
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('installed_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('slack_installations_team').on('slack_installations').column('team_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_installations').execute();
}
