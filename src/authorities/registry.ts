// The registry of councils with children's services: the bundled list (local-authorities.json, built
// by scripts/import-authorities.ts) plus, at run time, any council the Ofsted listing shows that the
// bundled list lacks (mergeListed; the caller stores those so a new council appears without a release).
import { z } from 'zod';
import bundled from './local-authorities.json' with { type: 'json' };
import { reducedKey } from './normalise.ts';

/** One council. A council merged from the listing has no known codes, region or type: those are null. */
export interface Authority {
  /** Ofsted's URN for the council's children's services, e.g. "80451" */
  readonly urn: string;
  /** as in the shared CSV, e.g. "Wakefield", "Bristol, City of" */
  readonly name: string;
  /** ONS GSS code, e.g. "E08000036" */
  readonly gss: string | null;
  /** DfE LA code, 3 digits, e.g. "384" */
  readonly dfeCode: string | null;
  /** ONS region code, e.g. "E12000003" */
  readonly regionCode: string | null;
  readonly regionName: string | null;
  /** ONS type as the CSV gives it: "London Borough", "Metropolitan District", "Unitary Authority", "County" */
  readonly type: string | null;
  /** path of the council's page on reports.ofsted.gov.uk: "/provider/44/{urn}" */
  readonly providerPath: string;
  /** other names people type for it (aliases.json) */
  readonly aliases: readonly string[];
}

export interface Region {
  /** ONS code, e.g. "E12000003" */
  readonly id: string;
  /** e.g. "Yorkshire and the Humber" */
  readonly name: string;
}

export interface Registry {
  byUrn(urn: string | number): Authority | undefined;
  byGss(gss: string): Authority | undefined;
  byDfe(dfeCode: string | number): Authority | undefined;
  /** every council, in the order given to createRegistry */
  all(): readonly Authority[];
  /** the regions the councils are in, by code */
  regions(): readonly Region[];
  /** a region by code ("E12000007") or name ("London", "yorkshire & humber", "North West England") */
  findRegion(idOrName: string): Region | undefined;
  /** the councils of a region given by code or name; [] for an unknown region */
  inRegion(idOrName: string): Authority[];
}

const AuthoritySchema = z.object({
  urn: z.string().regex(/^\d+$/),
  name: z.string().min(1),
  gss: z.string().regex(/^E\d{8}$/).nullable(),
  dfeCode: z.string().regex(/^\d{3}$/).nullable(),
  regionCode: z.string().regex(/^E12\d{6}$/).nullable(),
  regionName: z.string().min(1).nullable(),
  type: z.string().min(1).nullable(),
  providerPath: z.string().regex(/^\/provider\/44\/\d+$/),
  aliases: z.array(z.string().min(1)),
});

let bundledCache: readonly Authority[] | undefined;

/** The councils bundled with the project (153 at the last import), checked once and frozen. */
export function loadBundledAuthorities(): Authority[] {
  bundledCache ??= z
    .array(AuthoritySchema)
    .parse(bundled)
    .map((a) => Object.freeze({ ...a, aliases: Object.freeze([...a.aliases]) }));
  return [...bundledCache];
}

/** Other names for regions, beyond their own name (matched on reduced keys). */
const REGION_ALIASES: Readonly<Record<string, readonly string[]>> = {
  E12000003: ['Yorkshire and Humberside', 'Yorks and Humber'],
  E12000006: ['Eastern', 'East England'],
  E12000007: ['Greater London'],
};

/** "north west england", "london region" → "north west", "london" */
function regionKeyVariants(text: string): string[] {
  const key = reducedKey(text);
  const variants = [key];
  const trimmed = key.replace(/( (england|region))+$/, '');
  if (trimmed !== key && trimmed !== '') variants.push(trimmed);
  return variants;
}

/**
 * A registry over the given councils. Throws when two councils share a URN, GSS or DfE code, or
 * when one region code is given two names: those are data faults, never to be resolved by a guess.
 */
export function createRegistry(authorities: readonly Authority[]): Registry {
  const list: readonly Authority[] = [...authorities];
  const urns = new Map<string, Authority>();
  const gssCodes = new Map<string, Authority>();
  const dfeCodes = new Map<string, Authority>();
  const regionNames = new Map<string, string>();
  const members = new Map<string, Authority[]>();
  const index = <K>(map: Map<K, Authority>, key: K | null, what: string, a: Authority) => {
    if (key === null) return;
    const other = map.get(key);
    if (other) throw new Error(`registry: ${what} ${String(key)} is used by both ${other.name} and ${a.name}`);
    map.set(key, a);
  };
  for (const a of list) {
    index(urns, a.urn, 'URN', a);
    index(gssCodes, a.gss?.toUpperCase() ?? null, 'GSS code', a);
    index(dfeCodes, a.dfeCode, 'DfE code', a);
    if (a.regionCode !== null) {
      const code = a.regionCode.toUpperCase();
      const name = a.regionName ?? code;
      const known = regionNames.get(code);
      if (known !== undefined && known !== name) {
        throw new Error(`registry: region ${code} is called both "${known}" and "${name}" (${a.name})`);
      }
      regionNames.set(code, name);
      members.set(code, [...(members.get(code) ?? []), a]);
    }
  }
  const regionList: readonly Region[] = Object.freeze(
    [...regionNames].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, name]) => Object.freeze({ id, name })),
  );
  const regionByKey = new Map<string, Region>();
  for (const r of regionList) {
    for (const text of [r.id, r.name, ...(REGION_ALIASES[r.id] ?? [])]) regionByKey.set(reducedKey(text), r);
  }

  const findRegion = (idOrName: string): Region | undefined => {
    for (const key of regionKeyVariants(String(idOrName))) {
      const r = regionByKey.get(key);
      if (r) return r;
    }
    return undefined;
  };

  return {
    byUrn: (urn) => urns.get(String(urn).trim()),
    byGss: (gss) => gssCodes.get(String(gss).trim().toUpperCase()),
    byDfe: (dfe) => dfeCodes.get(String(dfe).trim()),
    all: () => list,
    regions: () => regionList,
    findRegion,
    inRegion: (idOrName) => {
      const r = findRegion(idOrName);
      return r ? [...(members.get(r.id) ?? [])] : [];
    },
  };
}

/**
 * The councils the Ofsted listing shows that the registry lacks, as Authority records with unknown
 * (null) codes, region and type. Entries without a numeric URN or a name are skipped (a listing fault
 * that the parser reports); a URN listed twice gives one council.
 */
export function mergeListed(registry: Registry, listed: readonly { urn: string; name: string }[]): Authority[] {
  const added = new Map<string, Authority>();
  for (const entry of listed) {
    const urn = String(entry.urn ?? '').trim();
    const name = String(entry.name ?? '').trim().replace(/\s+/g, ' ');
    if (!/^\d+$/.test(urn) || name === '') continue;
    if (registry.byUrn(urn) || added.has(urn)) continue;
    added.set(
      urn,
      Object.freeze({
        urn,
        name,
        gss: null,
        dfeCode: null,
        regionCode: null,
        regionName: null,
        type: null,
        providerPath: `/provider/44/${urn}`,
        aliases: Object.freeze([]),
      }),
    );
  }
  return [...added.values()];
}
