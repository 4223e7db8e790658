// Where ../shared (docs, data, corpus) sits: beside the project's checkout. Absent in some installs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** ../shared resolved from the project root (or `override`), or null when it is not there. */
export function findSharedDir(override?: string): string | null {
  const dir = resolve(override ?? join(PROJECT_ROOT, '..', 'shared'));
  return existsSync(dir) ? dir : null;
}
