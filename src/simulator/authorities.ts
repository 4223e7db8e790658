// The councils the simulated site lists: the shared CSV of all 153 when ../shared is there, else the same 153
// from the app's bundled registry (so a clone without ../shared simulates the same site). BUILT_IN_AUTHORITIES
// is a small set for tests that want one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from './csv.ts';
import { findSharedDir } from './shared-dir.ts';
import { loadBundledAuthorities } from '../authorities/registry.ts';

export interface SimAuthority {
  urn: string;
  name: string;
}

/** A small set for tests: the seed councils and a few more, real URNs. */
export const BUILT_IN_AUTHORITIES: readonly SimAuthority[] = [
  { urn: '80426', name: 'Barnsley' },
  { urn: '80449', name: 'Bradford' },
  { urn: '80491', name: 'Camden' },
  { urn: '80447', name: 'Cheshire East' },
  { urn: '80468', name: 'Essex' },
  { urn: '80495', name: 'Greenwich' },
  { urn: '80496', name: 'Hackney' },
  { urn: '80535', name: 'Oldham' },
  { urn: '80451', name: 'Wakefield' },
  { urn: '80518', name: 'Wandsworth' },
  { urn: '80582', name: 'Wokingham' },
  { urn: '80453', name: 'York' },
];

/** The councils in ../shared/data/local-authorities.csv (or `sharedDir`), else the bundled registry's (the same 153, same order). */
export function loadSharedAuthorities(sharedDir?: string): SimAuthority[] {
  const dir = findSharedDir(sharedDir);
  if (!dir) return bundled();
  let text: string;
  try {
    text = readFileSync(join(dir, 'data', 'local-authorities.csv'), 'utf8');
  } catch {
    return bundled();
  }
  const rows = readCsv(text)
    .map((row) => ({ urn: row['ofsted_urn'] ?? '', name: row['la_name'] ?? '' }))
    .filter((a) => /^\d+$/.test(a.urn) && a.name !== '');
  return rows.length > 0 ? rows : bundled();
}

const bundled = (): SimAuthority[] => loadBundledAuthorities().map((a) => ({ urn: a.urn, name: a.name }));
