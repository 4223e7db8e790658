// Hot statements built and compiled once, then run with new values. kysely builds an operation tree and
// compiles it to SQL on every execute; for the outbox's few statements, run several times per delivery,
// that was about an eighth of all the CPU a busy morning took (bench:teams). Here a query is built once
// per dialect with a placeholder for each named value, compiled, and the placeholders' positions in the
// parameter list are remembered; a run substitutes the values and hands the compiled query to kysely's
// executor (connection, transaction and driver as for any other query).
//
// The query's shape must not depend on the values: what varies in shape (a list's length, an optional
// condition) is a separate prepared query, chosen by the caller. Every named value must appear in the
// compiled parameters, else the first build throws (a value that would silently be ignored).
import type { Compilable, QueryResult } from 'kysely';
import type { Db } from './db.ts';
import { isPostgres } from './dialect.ts';

const MARK = '\u0000prepared-value:';

/** Stand-ins for the values while the query is built: use them where the values go. */
export type Placeholders<K extends string> = { readonly [P in K]: never };

interface Template {
  compiled: ReturnType<Compilable<unknown>['compile']>;
  /** per parameter: the value's name, or a constant the query itself holds */
  slots: ({ name: string } | { constant: unknown })[];
}

export interface PreparedQuery<K extends string, R> {
  (db: Db, values: { readonly [P in K]: unknown }): Promise<QueryResult<R>>;
}

export function preparedQuery<K extends string, R>(names: readonly K[], build: (db: Db, p: Placeholders<K>) => Compilable<R>): PreparedQuery<K, R> {
  const templates = new Map<'sqlite' | 'postgres', Template>();
  const make = (db: Db): Template => {
    const placeholders = Object.fromEntries(names.map((n) => [n, `${MARK}${n}`])) as unknown as Placeholders<K>;
    const compiled = build(db, placeholders).compile();
    const slots = compiled.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? { name: v.slice(MARK.length) } : { constant: v }));
    const used = new Set(slots.flatMap((s) => ('name' in s ? [s.name] : [])));
    const unused = names.filter((n) => !used.has(n));
    if (unused.length > 0) throw new Error(`prepared query: ${unused.join(', ')} not used as a value in: ${compiled.sql}`);
    return { compiled, slots };
  };
  return async (db, values) => {
    const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
    let t = templates.get(dialect);
    if (!t) {
      t = make(db);
      templates.set(dialect, t);
    }
    const parameters = t.slots.map((s) => ('name' in s ? values[s.name as K] : s.constant));
    return db.executeQuery<R>({ ...t.compiled, parameters });
  };
}
