// Migrations on both engines: a fresh database gets the whole schema, opening it again changes nothing,
// and several instances starting at once on an empty database all come up (kysely's Migrator serialises
// them: an advisory lock on Postgres, the single writer on SQLite).
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../src/store/db.ts';
import { testDatabases } from '../helpers/test-database.ts';

const MIGRATIONS = ['0001-watcher', '0002-letters', '0003-subscriptions', '0004-slack-installations', '0005-digests', '0006-postgres-search'];
const TABLES = [
  'channels', 'consumer_offsets', 'deliveries', 'digest_runs', 'digest_windows', 'events', 'faults', 'http_validators', 'leases', 'letters', 'letters_fts',
  'listed_authorities', 'meta', 'publication_files', 'publications', 'runs', 'slack_installations', 'subscriptions', 'watch_state',
];

describe.each(testDatabases())('$name', (database) => {
  let url: string;
  const opened: OpenedStore[] = [];
  const open = async () => {
    const store = await openStore(url, { poolSize: 3 });
    opened.push(store);
    return store;
  };
  beforeEach(async () => {
    url = await database.freshUrl();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await database.drop(url);
  });

  async function applied(store: OpenedStore): Promise<string[]> {
    const r = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(store.db);
    return r.rows.map((x) => x.name);
  }

  async function tables(store: OpenedStore): Promise<string[]> {
    const r =
      database.name === 'postgres'
        ? await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(store.db)
        : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(store.db);
    return r.rows.map((x) => x.name).filter((n) => !n.startsWith('kysely_') && !/^letters_fts_|^sqlite_/.test(n)).sort();
  }

  it('a fresh database gets every table; opening it again applies nothing and keeps the data', async () => {
    const first = await open();
    expect(await applied(first)).toEqual(MIGRATIONS);
    expect(await tables(first)).toEqual(TABLES);
    await first.db.insertInto('meta').values({ key: 'k', value: 'v' }).execute();
    await first.close();

    const again = await open();
    expect(await applied(again)).toEqual(MIGRATIONS);
    expect(await again.db.selectFrom('meta').selectAll().execute()).toEqual([{ key: 'k', value: 'v' }]);
  });

  it('three instances starting at once on an empty database all come up, and migrate it once', async () => {
    const stores = await Promise.all([open(), open(), open()]);
    for (const s of stores) expect(await applied(s)).toEqual(MIGRATIONS);
    // every one of them works on the same tables
    await Promise.all(stores.map((s, i) => s.db.insertInto('meta').values({ key: `k${i}`, value: 'v' }).execute()));
    expect(await stores[0]!.db.selectFrom('meta').select('key').orderBy('key').execute()).toEqual([{ key: 'k0' }, { key: 'k1' }, { key: 'k2' }]);
  });

  it('three processes starting at once on an empty database all come up, and migrate it once', async () => {
    const children = [1, 2, 3].map(() => {
      const child = spawn(process.execPath, ['bin/run-ts.js', 'tests/store/open-store-child.ts', url], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      const said = (what: RegExp) =>
        new Promise<string>((resolve, reject) => {
          const check = () => {
            const m = what.exec(out);
            if (m) resolve(m[0]);
          };
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            check();
          });
          child.once('exit', () => (what.test(out) ? check() : reject(new Error(`child exited: ${out}`))));
        });
      return { child, ready: said(/ready/), done: said(/(opened|failed).*/) };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin.end('go\n'); // all at once
    expect(await Promise.all(children.map((c) => c.done))).toEqual([`opened ${MIGRATIONS.length}`, `opened ${MIGRATIONS.length}`, `opened ${MIGRATIONS.length}`]);
    expect(await applied(await open())).toEqual(MIGRATIONS);
  });

  it('full-text search is FTS5 on SQLite and a tsvector with a GIN index on Postgres (migration 0006)', async () => {
    const store = await open();
    if (database.name === 'sqlite') {
      const r = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = 'letters_fts'`.execute(store.db);
      expect(r.rows[0]!.sql).toMatch(/USING fts5/);
    } else {
      const cols = await sql<{ column_name: string; data_type: string; is_generated: string }>`
        SELECT column_name, data_type, is_generated FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'letters_fts' ORDER BY ordinal_position`.execute(store.db);
      expect(cols.rows.map((c) => [c.column_name, c.data_type, c.is_generated])).toEqual([
        ['publication_id', 'integer', 'NEVER'], ['authority', 'text', 'NEVER'], ['title', 'text', 'NEVER'], ['body', 'text', 'NEVER'], ['document', 'tsvector', 'ALWAYS'],
      ]);
      const idx = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'letters_fts'`.execute(store.db);
      expect(idx.rows.map((i) => i.indexdef).join('\n')).toMatch(/USING gin \(document\)/);
    }
  });

  it('ids are auto-incrementing integers (serial on Postgres), returned as numbers', async () => {
    const store = await open();
    const ids = [];
    for (const kind of ['poll', 'sweep']) {
      const row = await store.db
        .insertInto('runs')
        .values({ kind, started_at: 'x', status: 'running', finished_at: null, detail: null, requests: 0, bytes: 0, not_modified: 0, pages_fetched: 0, new_publications: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    expect(ids).toEqual([1, 2]);
  });
});
