// Whether a database error is a unique-constraint violation (SQLite or Postgres), so a service can
// treat a concurrent duplicate as "already there" rather than as a failure.
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed|duplicate key value/i.test(e.message);
}
