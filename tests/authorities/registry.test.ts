import { describe, expect, it } from 'vitest';
import { createRegistry, loadBundledAuthorities, mergeListed, type Authority } from '../../src/authorities/registry.ts';
import { createResolver } from '../../src/authorities/resolve.ts';

const registry = createRegistry(loadBundledAuthorities());

describe('registry lookups', () => {
  it('finds councils by URN, GSS and DfE code, as strings or numbers, GSS in any case', () => {
    expect(registry.byUrn('80451')?.name).toBe('Wakefield');
    expect(registry.byUrn(80451)?.name).toBe('Wakefield');
    expect(registry.byGss('E08000036')?.name).toBe('Wakefield');
    expect(registry.byGss('e08000036')?.name).toBe('Wakefield');
    expect(registry.byDfe('212')?.name).toBe('Wandsworth');
    expect(registry.byDfe(872)?.name).toBe('Wokingham');
    expect(registry.byUrn('99999')).toBeUndefined();
    expect(registry.byGss('E07000001')).toBeUndefined();
    expect(registry.byDfe('999')).toBeUndefined();
  });

  it('lists all 153 councils', () => {
    expect(registry.all()).toHaveLength(153);
  });

  it('lists the nine English regions by code', () => {
    expect(registry.regions()).toEqual([
      { id: 'E12000001', name: 'North East' },
      { id: 'E12000002', name: 'North West' },
      { id: 'E12000003', name: 'Yorkshire and the Humber' },
      { id: 'E12000004', name: 'East Midlands' },
      { id: 'E12000005', name: 'West Midlands' },
      { id: 'E12000006', name: 'East of England' },
      { id: 'E12000007', name: 'London' },
      { id: 'E12000008', name: 'South East' },
      { id: 'E12000009', name: 'South West' },
    ]);
  });

  it('gives a region’s councils by code or by name', () => {
    const yh = registry.inRegion('E12000003');
    expect(yh).toHaveLength(15);
    expect(yh.map((a) => a.name)).toContain('Wakefield');
    expect(yh.map((a) => a.name)).not.toContain('Gloucestershire');
    expect(registry.inRegion('Yorkshire and the Humber')).toEqual(yh);
    expect(registry.inRegion('yorkshire & humber')).toEqual(yh);
    const london = registry.inRegion('London');
    expect(london).toHaveLength(33);
    expect(london.map((a) => a.name)).toContain('City of London');
    expect(registry.inRegion('e12000007')).toEqual(london);
    expect(registry.inRegion('North West England')).toHaveLength(24);
    expect(registry.inRegion('Narnia')).toEqual([]);
    const total = registry.regions().reduce((n, r) => n + registry.inRegion(r.id).length, 0);
    expect(total).toBe(153);
  });

  it('refuses two councils with one URN or one GSS code', () => {
    const [a, b] = loadBundledAuthorities() as [Authority, Authority];
    expect(() => createRegistry([a, { ...b, urn: a.urn }])).toThrow(/URN 80486 is used by both/);
    expect(() => createRegistry([a, { ...b, gss: a.gss }])).toThrow(/GSS code/);
    expect(() => createRegistry([a, { ...b, regionName: 'Elsewhere' }])).toThrow(/region E12000007 is called both/);
  });
});

describe('mergeListed', () => {
  it('returns only the listed councils the registry lacks, with unknown codes as null', () => {
    const added = mergeListed(registry, [
      { urn: '80451', name: 'Wakefield' },
      { urn: '2999001', name: '  New   Council ' },
      { urn: '2999001', name: 'New Council' },
      { urn: 'abc', name: 'Not a URN' },
      { urn: '2999002', name: '' },
    ]);
    expect(added).toEqual([
      {
        urn: '2999001',
        name: 'New Council',
        gss: null,
        dfeCode: null,
        regionCode: null,
        regionName: null,
        type: null,
        providerPath: '/provider/44/2999001',
        aliases: [],
      },
    ]);
  });

  it('returns nothing when the listing holds only known councils', () => {
    expect(mergeListed(registry, registry.all().map((a) => ({ urn: a.urn, name: a.name })))).toEqual([]);
  });

  it('makes a registry in which the new council resolves, and regions are unchanged', () => {
    const added = mergeListed(registry, [{ urn: '2999001', name: 'Greater Lincolnshire' }]);
    const merged = createRegistry([...registry.all(), ...added]);
    expect(merged.all()).toHaveLength(154);
    expect(merged.byUrn('2999001')?.name).toBe('Greater Lincolnshire');
    expect(merged.regions()).toHaveLength(9);
    expect(merged.inRegion('London')).toHaveLength(33);
    const resolver = createResolver(merged);
    expect(resolver.resolve('Greater Lincolnshire')).toEqual({ kind: 'match', authorities: added, via: 'name' });
    expect(resolver.resolve('2999001')).toEqual({ kind: 'match', authorities: added, via: 'urn' });
    expect(resolver.resolve('Lincolnshire')).toMatchObject({ kind: 'match', authorities: [{ name: 'Lincolnshire' }] });
  });
});
