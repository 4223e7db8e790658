// The bundled data file: its shape, its uniqueness, and that it is what the shared CSV, the alias table
// and the corrections give (when ../shared is beside the checkout).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AliasTableSchema,
  AuthorityDataError,
  CorrectionsSchema,
  ONS_REGIONS,
  buildAuthorities,
  parseCsv,
  serialiseAuthorities,
  type CsvRow,
} from '../../src/authorities/build.ts';
import { loadBundledAuthorities } from '../../src/authorities/registry.ts';
import aliasesJson from '../../src/authorities/aliases.json' with { type: 'json' };
import correctionsJson from '../../src/authorities/corrections.json' with { type: 'json' };

const root = fileURLToPath(new URL('../../', import.meta.url));
const csvPath = fileURLToPath(new URL('../../../shared/data/local-authorities.csv', import.meta.url));
const jsonPath = fileURLToPath(new URL('../../src/authorities/local-authorities.json', import.meta.url));
const hasShared = existsSync(csvPath);
const aliases = AliasTableSchema.parse(aliasesJson);
const corrections = CorrectionsSchema.parse(correctionsJson);

describe('bundled local-authorities.json', () => {
  const all = loadBundledAuthorities();

  it('has the 153 councils', () => {
    expect(all).toHaveLength(153);
  });

  it('has unique URNs, GSS codes, DfE codes and names', () => {
    for (const field of ['urn', 'gss', 'dfeCode', 'name'] as const) {
      expect(new Set(all.map((a) => a[field])).size, field).toBe(153);
    }
  });

  it('has well-formed codes, no nulls, and provider paths from the URN', () => {
    for (const a of all) {
      expect(a.urn).toMatch(/^\d+$/);
      expect(a.gss).toMatch(/^E(06|08|09|10)\d{6}$/);
      expect(a.dfeCode).toMatch(/^\d{3}$/);
      expect(a.regionCode).toMatch(/^E12\d{6}$/);
      expect(ONS_REGIONS[a.regionCode as string]).toBe(a.regionName);
      expect(a.type).toBeTruthy();
      expect(a.providerPath).toBe(`/provider/44/${a.urn}`);
    }
  });

  it('knows the seed councils', () => {
    const byName = new Map(all.map((a) => [a.name, a]));
    expect(byName.get('Wakefield')).toMatchObject({ urn: '80451', gss: 'E08000036', dfeCode: '384', regionCode: 'E12000003' });
    expect(byName.get('Wandsworth')).toMatchObject({ urn: '80518', gss: 'E09000032', dfeCode: '212', regionCode: 'E12000007' });
    expect(byName.get('Wokingham')).toMatchObject({ urn: '80582', gss: 'E06000041', dfeCode: '872', regionCode: 'E12000008' });
  });

  it('carries the aliases of aliases.json, and every alias table key is a council', () => {
    const byName = new Map(all.map((a) => [a.name, a]));
    for (const [name, list] of Object.entries(aliases)) {
      expect(byName.get(name)?.aliases, name).toEqual(list);
    }
  });

  it('is frozen: one caller cannot change another caller’s councils', () => {
    const a = loadBundledAuthorities()[0]!;
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      (a as { name: string }).name = 'Changed';
    }).toThrow();
    expect(loadBundledAuthorities()[0]!.name).toBe('Barking and Dagenham');
  });
});

describe.skipIf(!hasShared)('against ../shared/data/local-authorities.csv', () => {
  const csvText = hasShared ? readFileSync(csvPath, 'utf8') : '';
  const rows = hasShared ? parseCsv(csvText) : [];

  it('is exactly what the import builds from the CSV, aliases and corrections', () => {
    const { authorities } = buildAuthorities(rows, aliases, corrections);
    expect(readFileSync(jsonPath, 'utf8')).toBe(serialiseAuthorities(authorities));
  });

  it('has every CSV fact, the region codes changed only where corrections.json says', () => {
    const byUrn = new Map(loadBundledAuthorities().map((a) => [a.urn, a]));
    expect(rows).toHaveLength(153);
    const corrected = new Set(corrections.map((c) => `${c.urn}:${c.column}`));
    for (const row of rows) {
      const a = byUrn.get(row.ofsted_urn);
      expect(a, row.la_name).toBeDefined();
      expect(a).toMatchObject({ name: row.la_name, gss: row.gss_code, dfeCode: row.dfe_la_code, regionName: row.region_name, type: row.ons_la_type });
      expect(row.provider_url).toBe(`https://reports.ofsted.gov.uk${a!.providerPath}`);
      if (!corrected.has(`${row.ofsted_urn}:region_code`)) expect(a!.regionCode, row.la_name).toBe(row.region_code);
    }
  });

  it('corrects the two region codes the CSV gets wrong (their region_name is right)', () => {
    const byName = new Map(loadBundledAuthorities().map((a) => [a.name, a]));
    expect(rows.find((r) => r.la_name === 'Gloucestershire')?.region_code).toBe('E12000003');
    expect(byName.get('Gloucestershire')).toMatchObject({ regionCode: 'E12000009', regionName: 'South West' });
    expect(rows.find((r) => r.la_name === 'Buckinghamshire')?.region_code).toBe('E12000004');
    expect(byName.get('Buckinghamshire')).toMatchObject({ regionCode: 'E12000008', regionName: 'South East' });
  });

  it('import script --check agrees that the file is up to date', () => {
    const out = execFileSync(process.execPath, ['bin/run-ts.js', 'scripts/import-authorities.ts', '--check'], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('is up to date (153 councils)');
  });
});

describe('buildAuthorities refuses inconsistent inputs', () => {
  const header = 'ofsted_urn,provider_url,la_name,dfe_la_code,gss_code,region_code,region_name,ons_la_type';
  const line = (urn: string, name: string, dfe: string, gss: string, region = 'E12000003', regionName = 'Yorkshire and the Humber') =>
    `${urn},https://reports.ofsted.gov.uk/provider/44/${urn},"${name}",${dfe},${gss},${region},${regionName},Metropolitan District`;
  const csv = (...lines: string[]) => parseCsv([header, ...lines].join('\r\n') + '\r\n');
  const problems = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (err) {
      if (err instanceof AuthorityDataError) return err.problems;
      throw err;
    }
    return [];
  };
  const ok: CsvRow[] = csv(line('80451', 'Wakefield', '384', 'E08000036'), line('80481', 'Leeds', '383', 'E08000035'));

  it('parses quoted fields with commas and doubled quotes, CRLF and a BOM', () => {
    const rows = parseCsv(`\ufeff${header}\r\n80441,https://reports.ofsted.gov.uk/provider/44/80441,"Bristol, City of",801,E06000023,E12000009,South West,"Unitary ""A"""\r\n`);
    expect(rows).toEqual([
      {
        ofsted_urn: '80441',
        provider_url: 'https://reports.ofsted.gov.uk/provider/44/80441',
        la_name: 'Bristol, City of',
        dfe_la_code: '801',
        gss_code: 'E06000023',
        region_code: 'E12000009',
        region_name: 'South West',
        ons_la_type: 'Unitary "A"',
      },
    ]);
  });

  it('accepts consistent data', () => {
    expect(buildAuthorities(ok, { Wakefield: ['Wakey'] }, []).authorities.map((a) => a.aliases)).toEqual([['Wakey'], []]);
  });

  it('rejects duplicate codes, bad formats and a region code that is not the named region', () => {
    const found = problems(() =>
      buildAuthorities(
        csv(
          line('80451', 'Wakefield', '384', 'E08000036'),
          line('80452', 'Leeds', '384', 'E08000036'),
          line('80453', 'York', '38', 'X123', 'E12000004', 'Yorkshire and the Humber'),
        ),
        {},
        [],
      ),
    );
    expect(found.join('\n')).toMatch(/gss "E08000036" is used by both/);
    expect(found.join('\n')).toMatch(/dfe "384" is used by both/);
    expect(found.join('\n')).toMatch(/York .*DfE code "38"/);
    expect(found.join('\n')).toMatch(/York .*GSS code "X123"/);
    expect(found.join('\n')).toMatch(/region code E12000004 is East Midlands/);
  });

  it('rejects an alias for a council the CSV lacks, and an alias that is another council’s name', () => {
    const found = problems(() => buildAuthorities(ok, { Narnia: ['N'], Wakefield: ['Leeds City Council'] }, []));
    expect(found.join('\n')).toMatch(/"Narnia", which is not a council name/);
    expect(found.join('\n')).toMatch(/alias "Leeds City Council" of Wakefield is the name of Leeds/);
  });

  it('rejects a correction whose CSV value has changed (a stale correction)', () => {
    const stale = { urn: '80451', column: 'region_code' as const, csv: 'E12000009', value: 'E12000003', why: 'test' };
    expect(problems(() => buildAuthorities(ok, {}, [stale])).join('\n')).toMatch(/the CSV now says "E12000003"/);
  });
});
