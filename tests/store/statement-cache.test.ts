// SQLite statements are prepared once per SQL text and reused; a kept statement sees schema changes;
// two streams over the same query do not trip over one statement; the cache stays within its size.
import { describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { withStatementCache } from '../../src/store/statement-cache.ts';

describe('withStatementCache', () => {
  it('prepares each SQL text once, and answers from the kept statement', () => {
    const raw = new SQLite(':memory:');
    let prepared = 0;
    const counting = Object.assign(Object.create(raw), { prepare: (sql: string) => (prepared++, raw.prepare(sql)) }) as SQLite.Database;
    const db = withStatementCache(counting);
    db.prepare('create table t (n integer)').run([]);
    for (let i = 0; i < 5; i++) db.prepare('insert into t (n) values (?)').run([i]);
    expect(db.prepare('select sum(n) as s from t').all([])).toEqual([{ s: 10 }]);
    expect(prepared).toBe(3);
    db.close();
  });

  it('a kept statement still works after the table it reads changes shape', () => {
    const db = withStatementCache(new SQLite(':memory:'));
    db.prepare('create table t (n integer)').run([]);
    db.prepare('insert into t (n) values (?)').run([1]);
    expect(db.prepare('select * from t').all([])).toEqual([{ n: 1 }]);
    db.prepare('alter table t add column m text').run([]);
    expect(db.prepare('select * from t').all([])).toEqual([{ n: 1, m: null }]);
    db.close();
  });

  it('two streams of the same query at once each get their own statement', () => {
    const db = withStatementCache(new SQLite(':memory:'));
    db.prepare('create table t (n integer)').run([]);
    for (let i = 0; i < 3; i++) db.prepare('insert into t (n) values (?)').run([i]);
    const a = db.prepare('select n from t order by n').iterate([]);
    const b = db.prepare('select n from t order by n').iterate([]);
    expect([a.next().value, b.next().value, a.next().value]).toEqual([{ n: 0 }, { n: 0 }, { n: 1 }]);
    a.return?.();
    b.return?.();
    db.close();
  });

  it('keeps at most `size` statements, the least recently used leaving first', () => {
    const raw = new SQLite(':memory:');
    let prepared = 0;
    const counting = Object.assign(Object.create(raw), { prepare: (sql: string) => (prepared++, raw.prepare(sql)) }) as SQLite.Database;
    const db = withStatementCache(counting, 2);
    db.prepare('select 1').all([]);
    db.prepare('select 2').all([]);
    db.prepare('select 1').all([]); // 1 is now the most recent
    db.prepare('select 3').all([]); // 2 leaves
    db.prepare('select 1').all([]);
    expect(prepared).toBe(3);
    db.prepare('select 2').all([]);
    expect(prepared).toBe(4);
    db.close();
  });
});
