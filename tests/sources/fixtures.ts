// Reads a page from tests/fixtures/site.
import { readFileSync } from 'node:fs';

export function sitePage(name: string): string {
  return readFileSync(new URL(`../fixtures/site/${name}`, import.meta.url), 'utf8');
}
