// Prepared queries (src/store/prepared-query.ts) on both engines: built once, they run with each call's
// own values, in place, repeated or not; inside a transaction too; and a value the query never uses is
// refused when the query is first built.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../src/store/db.ts';
import { preparedQuery } from '../../src/store/prepared-query.ts';
import { testDatabases } from '../helpers/test-database.ts';

const now = '2026-11-22T09:00:00.000Z';

const BY_NAME = preparedQuery(['name', 'again', 'limit'], (db, p) =>
  db.selectFrom('channels').select(['channel', 'conversation_ref as name']).where((eb) => eb.or([eb('conversation_ref', '=', p.name), eb('conversation_ref', '=', p.again)])).orderBy('channel').limit(p.limit),
);

describe.each(testDatabases())('$name', (database) => {
  let url: string;
  let store: OpenedStore;
  beforeEach(async () => {
    url = await database.freshUrl();
    store = await openStore(url, { poolSize: 2 });
    for (const [channel, name] of [['C1', 'alpha'], ['C2', 'beta'], ['C3', 'alpha']] as const) {
      await store.db.insertInto('channels').values({ platform: 'slack', workspace: 'T1', channel, conversation_ref: name, digest_frequency: 'immediate', created_at: now, updated_at: now }).execute();
    }
  });
  afterEach(async () => {
    await store.close();
    await database.drop(url);
  });

  it('each run uses its own values, wherever (and however often) the query places them', async () => {
    expect((await BY_NAME(store.db, { name: 'alpha', again: 'alpha', limit: 10 })).rows).toEqual([{ channel: 'C1', name: 'alpha' }, { channel: 'C3', name: 'alpha' }]);
    expect((await BY_NAME(store.db, { name: 'beta', again: 'nothing', limit: 10 })).rows).toEqual([{ channel: 'C2', name: 'beta' }]);
    expect((await BY_NAME(store.db, { name: 'beta', again: 'alpha', limit: 2 })).rows).toEqual([{ channel: 'C1', name: 'alpha' }, { channel: 'C2', name: 'beta' }]);
  });

  it('writes, inside a transaction as outside, and says how many rows changed', async () => {
    const UPDATE = preparedQuery(['channel', 'name'], (db, p) => db.updateTable('channels').set({ conversation_ref: p.name }).where('channel', '=', p.channel));
    const r = await UPDATE(store.db, { channel: 'C2', name: 'gamma' });
    expect(Number(r.numAffectedRows)).toBe(1);
    await store.db.transaction().execute(async (tx) => {
      expect(Number((await UPDATE(tx, { channel: 'C1', name: 'delta' })).numAffectedRows)).toBe(1);
      expect(Number((await UPDATE(tx, { channel: 'nope', name: 'x' })).numAffectedRows)).toBe(0);
    });
    const names = await store.db.selectFrom('channels').select(['channel', 'conversation_ref as name']).orderBy('channel').execute();
    expect(names).toEqual([{ channel: 'C1', name: 'delta' }, { channel: 'C2', name: 'gamma' }, { channel: 'C3', name: 'alpha' }]);
  });

  it('a named value the query does not use is refused when it is built', async () => {
    const WRONG = preparedQuery(['channel', 'name'], (db, p) => db.selectFrom('channels').select('conversation_ref').where('channel', '=', p.channel));
    await expect(WRONG(store.db, { channel: 'C1', name: 'x' })).rejects.toThrow(/prepared query: name not used as a value/);
  });
});

