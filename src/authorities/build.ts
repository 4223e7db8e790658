// Builds the bundled registry (local-authorities.json) from the shared CSV, the hand-kept alias table
// (aliases.json) and the hand-kept corrections (corrections.json). Pure: the caller reads and writes
// the files (scripts/import-authorities.ts; the data test rebuilds and compares).
//
// The build refuses, rather than guesses, when the inputs disagree: a malformed or duplicated code, a
// region code whose name is not the region's, an alias for a council the CSV does not have, an alias
// that is another council's name, a correction whose CSV value is no longer there.
import { z } from 'zod';
import type { Authority } from './registry.ts';
import { reducedKey, strictKey } from './normalise.ts';

/** ONS region codes and names (E12). The CSV's region_name must agree with its region_code. */
export const ONS_REGIONS: Readonly<Record<string, string>> = {
  E12000001: 'North East',
  E12000002: 'North West',
  E12000003: 'Yorkshire and the Humber',
  E12000004: 'East Midlands',
  E12000005: 'West Midlands',
  E12000006: 'East of England',
  E12000007: 'London',
  E12000008: 'South East',
  E12000009: 'South West',
};

export const CSV_COLUMNS = [
  'ofsted_urn',
  'provider_url',
  'la_name',
  'dfe_la_code',
  'gss_code',
  'region_code',
  'region_name',
  'ons_la_type',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export type CsvRow = Record<CsvColumn, string>;

/** aliases.json: council name exactly as in the CSV → the other names people type for it. */
export const AliasTableSchema = z.record(z.string().min(1), z.array(z.string().min(1)));
export type AliasTable = z.infer<typeof AliasTableSchema>;

/** corrections.json: a CSV value known to be wrong, the value to use, and why. */
export const CorrectionSchema = z.object({
  urn: z.string().regex(/^\d+$/),
  column: z.enum(['region_code', 'region_name', 'ons_la_type']),
  csv: z.string(),
  value: z.string().min(1),
  why: z.string().min(1),
});
export const CorrectionsSchema = z.array(CorrectionSchema);
export type Correction = z.infer<typeof CorrectionSchema>;

export class AuthorityDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`local authority data rejected:\n- ${problems.join('\n- ')}`);
    this.name = 'AuthorityDataError';
  }
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, optional BOM) → rows keyed by header. */
export function parseCsv(text: string): CsvRow[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new AuthorityDataError(['CSV ends inside a quoted field']);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => !(r.length === 1 && r[0] === ''));
  const header = nonEmpty.shift();
  if (!header) throw new AuthorityDataError(['CSV is empty']);
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new AuthorityDataError([`CSV lacks columns: ${missing.join(', ')}`]);
  return nonEmpty.map((r, n) => {
    if (r.length !== header.length) {
      throw new AuthorityDataError([`CSV line ${n + 2} has ${r.length} fields, the header ${header.length}`]);
    }
    const row = {} as CsvRow;
    for (const col of CSV_COLUMNS) row[col] = (r[header.indexOf(col)] as string).trim();
    return row;
  });
}

export interface BuildResult {
  authorities: Authority[];
  /** facts worth a look that do not stop the build */
  warnings: string[];
  /** the corrections applied, as "urn column: csv → value" */
  applied: string[];
}

const TYPE_BY_GSS_PREFIX: Readonly<Record<string, string>> = {
  E06: 'Unitary Authority',
  E08: 'Metropolitan District',
  E09: 'London Borough',
  E10: 'County',
};

/** Builds and checks the bundled registry. Throws AuthorityDataError listing every problem found. */
export function buildAuthorities(rows: readonly CsvRow[], aliases: AliasTable, corrections: readonly Correction[]): BuildResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const applied: string[] = [];

  const byUrn = new Map<string, CsvRow>();
  for (const row of rows) byUrn.set(row.ofsted_urn, row);
  const fixed = new Map<string, CsvRow>();
  for (const c of corrections) {
    const row = byUrn.get(c.urn);
    if (!row) {
      problems.push(`correction for URN ${c.urn}: no such council in the CSV`);
      continue;
    }
    const current = fixed.get(c.urn) ?? { ...row };
    if (row[c.column] !== c.csv) {
      problems.push(`correction for ${row.la_name} (${c.urn}) ${c.column}: the CSV now says "${row[c.column]}", not "${c.csv}": review or drop the correction`);
      continue;
    }
    current[c.column] = c.value;
    fixed.set(c.urn, current);
    applied.push(`${c.urn} ${row.la_name} ${c.column}: ${c.csv} → ${c.value} (${c.why})`);
  }

  const seen = { urn: new Map<string, string>(), gss: new Map<string, string>(), dfe: new Map<string, string>(), name: new Map<string, string>() };
  const note = (kind: keyof typeof seen, value: string, who: string) => {
    const other = seen[kind].get(value);
    if (other !== undefined) problems.push(`${kind} "${value}" is used by both ${other} and ${who}`);
    else seen[kind].set(value, who);
  };

  const authorities: Authority[] = [];
  for (const original of rows) {
    const row = fixed.get(original.ofsted_urn) ?? original;
    const who = `${row.la_name || '(no name)'} (${row.ofsted_urn || 'no URN'})`;
    if (!/^\d+$/.test(row.ofsted_urn)) problems.push(`${who}: URN is not a number`);
    if (row.la_name === '') problems.push(`${who}: no name`);
    if (!/^\d{3}$/.test(row.dfe_la_code)) problems.push(`${who}: DfE code "${row.dfe_la_code}" is not 3 digits`);
    if (!/^E(06|08|09|10)\d{6}$/.test(row.gss_code)) problems.push(`${who}: GSS code "${row.gss_code}" is not an E06/E08/E09/E10 code`);
    const providerPath = `/provider/44/${row.ofsted_urn}`;
    if (!row.provider_url.endsWith(providerPath)) problems.push(`${who}: provider_url "${row.provider_url}" does not end in ${providerPath}`);
    const regionName = ONS_REGIONS[row.region_code];
    if (regionName === undefined) problems.push(`${who}: region code "${row.region_code}" is not an English region`);
    else if (regionName.toLowerCase() !== row.region_name.toLowerCase()) {
      problems.push(`${who}: region code ${row.region_code} is ${regionName}, but region_name says "${row.region_name}"`);
    }
    if (row.ons_la_type === '') problems.push(`${who}: no type`);
    const expectedType = TYPE_BY_GSS_PREFIX[row.gss_code.slice(0, 3)];
    if (expectedType !== undefined && row.ons_la_type !== expectedType) {
      warnings.push(`${who}: type "${row.ons_la_type}" with GSS ${row.gss_code} (${row.gss_code.slice(0, 3)} codes are "${expectedType}"); kept as the CSV says`);
    }
    note('urn', row.ofsted_urn, who);
    note('gss', row.gss_code, who);
    note('dfe', row.dfe_la_code, who);
    note('name', strictKey(row.la_name), who);
    authorities.push({
      urn: row.ofsted_urn,
      name: row.la_name,
      gss: row.gss_code,
      dfeCode: row.dfe_la_code,
      regionCode: row.region_code,
      regionName: row.region_name,
      type: row.ons_la_type,
      providerPath,
      aliases: [],
    });
  }

  // Aliases: each key must be a CSV name; an alias must not be another council's name or a region's.
  const byName = new Map(authorities.map((a) => [a.name, a]));
  const nameKeys = new Map<string, string>();
  for (const a of authorities) {
    nameKeys.set(strictKey(a.name), a.name);
    nameKeys.set(reducedKey(a.name), a.name);
  }
  const regionKeys = new Set(Object.values(ONS_REGIONS).map(reducedKey));
  const withAliases = new Map<string, string[]>();
  for (const [name, list] of Object.entries(aliases)) {
    const a = byName.get(name);
    if (!a) {
      problems.push(`aliases.json names "${name}", which is not a council name in the CSV`);
      continue;
    }
    const kept: string[] = [];
    for (const raw of list) {
      const alias = raw.trim();
      const keys = [strictKey(alias), reducedKey(alias)];
      if (keys[1] === '') {
        problems.push(`alias "${raw}" of ${name} is empty once normalised`);
        continue;
      }
      const clash = keys.map((k) => nameKeys.get(k)).find((n) => n !== undefined && n !== name);
      if (clash !== undefined) problems.push(`alias "${alias}" of ${name} is the name of ${clash}`);
      if (keys.some((k) => regionKeys.has(k))) problems.push(`alias "${alias}" of ${name} is a region's name`);
      if (!kept.includes(alias)) kept.push(alias);
    }
    withAliases.set(a.urn, kept);
  }
  const users = new Map<string, Set<string>>();
  for (const [urn, list] of withAliases) {
    for (const alias of list) {
      const k = reducedKey(alias);
      users.set(k, (users.get(k) ?? new Set()).add(urn));
    }
  }
  for (const [k, urns] of users) {
    if (urns.size > 1) {
      const names = [...urns].map((u) => authorities.find((a) => a.urn === u)?.name).join('; ');
      warnings.push(`alias "${k}" is shared by ${names}: it resolves as ambiguous, by design`);
    }
  }

  if (problems.length > 0) throw new AuthorityDataError(problems);
  return {
    authorities: authorities.map((a) => ({ ...a, aliases: withAliases.get(a.urn) ?? [] })),
    warnings,
    applied,
  };
}

/** The JSON text of the bundled registry, as the import script writes it. */
export function serialiseAuthorities(authorities: readonly Authority[]): string {
  return `${JSON.stringify(authorities, null, 2)}\n`;
}
