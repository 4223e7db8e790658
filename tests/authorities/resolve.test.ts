import { describe, expect, it } from 'vitest';
import { createRegistry, loadBundledAuthorities, type Authority } from '../../src/authorities/registry.ts';
import { createResolver, displayName, formatDidYouMean, type Resolution } from '../../src/authorities/resolve.ts';
import { editDistance } from '../../src/authorities/normalise.ts';

const authorities = loadBundledAuthorities();
const registry = createRegistry(authorities);
const resolver = createResolver(registry);
const { resolve, resolveMany } = resolver;
const named = (name: string): Authority => {
  const a = authorities.find((x) => x.name === name);
  if (!a) throw new Error(`no council called ${name} in the bundled data`);
  return a;
};
const names = (list: readonly Authority[]) => list.map((a) => a.name);

function expectMatch(text: string, name: string, via?: string) {
  const res = resolve(text);
  expect(res, text).toMatchObject({ kind: 'match', ...(via ? { via } : {}) });
  if (res.kind === 'match') expect(names(res.authorities), text).toEqual([name]);
}

function expectAmbiguous(text: string, expected: string[]) {
  const res = resolve(text);
  expect(res.kind, text).toBe('ambiguous');
  expect(res).not.toHaveProperty('authorities');
  if (res.kind === 'ambiguous') expect(names(res.suggestions).sort(), text).toEqual([...expected].sort());
}

describe('every council resolves to exactly itself', () => {
  const rows = authorities.map((a) => [a.name, a] as const);

  it.each(rows)('by name: %s', (name, a) => {
    expect(resolve(name)).toEqual({ kind: 'match', authorities: [a], via: 'name' });
    expect(resolve(name.toUpperCase())).toEqual({ kind: 'match', authorities: [a], via: 'name' });
    expect(resolve(`  ${name.toLowerCase()}  `)).toEqual({ kind: 'match', authorities: [a], via: 'name' });
  });

  it.each(rows)('by the name as people write it: %s', (_, a) => {
    expect(resolve(displayName(a))).toMatchObject({ kind: 'match', authorities: [a] });
  });

  it.each(rows)('by GSS code: %s', (_, a) => {
    expect(resolve(a.gss as string)).toEqual({ kind: 'match', authorities: [a], via: 'gss' });
    expect(resolve((a.gss as string).toLowerCase())).toEqual({ kind: 'match', authorities: [a], via: 'gss' });
  });

  it.each(rows)('by URN: %s', (_, a) => {
    expect(resolve(a.urn)).toEqual({ kind: 'match', authorities: [a], via: 'urn' });
    expect(resolve(`https://reports.ofsted.gov.uk${a.providerPath}`)).toEqual({ kind: 'match', authorities: [a], via: 'urn' });
  });

  it.each(rows)('by DfE code: %s', (_, a) => {
    expect(resolve(a.dfeCode as string)).toEqual({ kind: 'match', authorities: [a], via: 'dfe' });
  });

  it('with the words people add around a name', () => {
    expectMatch('Wakefield Council', 'Wakefield', 'name');
    expectMatch('Leeds City Council', 'Leeds', 'name');
    expectMatch('City of York Council', 'York', 'name');
    expectMatch('London Borough of Tower Hamlets', 'Tower Hamlets', 'name');
    expectMatch('Royal Borough of Kingston upon Thames', 'Kingston upon Thames', 'name');
    expectMatch('Wakefield Metropolitan District Council', 'Wakefield', 'name');
    expectMatch('Durham County Council', 'Durham', 'name');
    expectMatch('Bedford Borough Council', 'Bedford Borough', 'name');
    expectMatch('the Wirral', 'Wirral', 'name');
    expectMatch('Brighton & Hove', 'Brighton and Hove', 'name');
    expectMatch('Stockton on Tees', 'Stockton-on-Tees', 'name');
    expectMatch("Wandsworth children's services", 'Wandsworth', 'name');
    expectMatch('URN 80451', 'Wakefield', 'urn');
    expectMatch('DfE 384', 'Wakefield', 'dfe');
  });
});

describe('aliases', () => {
  it.each([
    ['BCP', 'Bournemouth, Christchurch and Poole'],
    ['Bournemouth, Christchurch and Poole', 'Bournemouth, Christchurch and Poole'],
    ['Bournemouth Christchurch & Poole', 'Bournemouth, Christchurch and Poole'],
    ['Poole', 'Bournemouth, Christchurch and Poole'],
    ['Hull', 'Kingston Upon Hull, City of'],
    ['Kingston upon Hull', 'Kingston Upon Hull, City of'],
    ['Hull City Council', 'Kingston Upon Hull, City of'],
    ['St Helens', 'St. Helens'],
    ['St. Helens', 'St. Helens'],
    ['Saint Helens', 'St. Helens'],
    ['Durham', 'Durham'],
    ['County Durham', 'Durham'],
    ['Brighton', 'Brighton and Hove'],
    ['Herts', 'Hertfordshire'],
    ['Notts', 'Nottinghamshire'],
    ['Bristol', 'Bristol, City of'],
    ['City of Bristol', 'Bristol, City of'],
    ['Southend', 'Southend-on-Sea'],
    ['Southend-on-Sea', 'Southend-on-Sea'],
    ['Telford', 'Telford and Wrekin'],
    ['Telford and Wrekin', 'Telford and Wrekin'],
    ['Windsor and Maidenhead', 'Windsor and Maidenhead'],
    ['Royal Borough of Windsor and Maidenhead', 'Windsor and Maidenhead'],
    ['RBWM', 'Windsor and Maidenhead'],
    ['Tower Hamlets', 'Tower Hamlets'],
    ['RBKC', 'Kensington and Chelsea'],
    ['B&NES', 'Bath and North East Somerset'],
    ['East Yorkshire', 'East Riding of Yorkshire'],
    ['Lancs', 'Lancashire'],
    ['City of London Corporation', 'City of London'],
  ])('%s → %s', (text, name) => {
    expectMatch(text, name);
  });

  it('Northants (and Northamptonshire) are ambiguous: North and West Northamptonshire are separate councils', () => {
    expectAmbiguous('Northants', ['North Northamptonshire', 'West Northamptonshire']);
    expectAmbiguous('Northamptonshire', ['North Northamptonshire', 'West Northamptonshire']);
    expectMatch('West Northants', 'West Northamptonshire', 'alias');
  });

  it('every bundled alias leads to its council, alone or among the candidates of a shared alias', () => {
    for (const a of authorities) {
      for (const alias of a.aliases) {
        const res = resolve(alias);
        const got = res.kind === 'match' ? res.authorities : res.suggestions;
        expect(res.kind, alias).not.toBe('unknown');
        expect(got, alias).toContain(a);
      }
    }
  });
});

describe('typos', () => {
  it.each([
    ['Wakefeild', 'Wakefield'],
    ['Wandswroth', 'Wandsworth'],
    ['Wokinghm', 'Wokingham'],
    ['Barnslay', 'Barnsley'],
    ['Middlesborough', 'Middlesbrough'],
    ['Kingston upon Thamse', 'Kingston upon Thames'],
    ['TowerHamlets', 'Tower Hamlets'],
    ['Wakefeild Council', 'Wakefield'],
    ['City of Londn', 'City of London'],
  ])('%s → %s', (text, name) => {
    expectMatch(text, name, 'typo');
  });

  it('picks no council where two are equally close', () => {
    expectAmbiguous('Harts', ['Hampshire', 'Hertfordshire']);
  });

  it('reads a misspelt region as the region', () => {
    expect(resolve('Yorkshire and the Humbr')).toMatchObject({ kind: 'match', via: 'typo', authorities: registry.inRegion('E12000003') });
    expect(resolve('Londn')).toMatchObject({ kind: 'match', via: 'typo', authorities: registry.inRegion('London') });
  });

  it('allows no typo in very short input', () => {
    expect(resolve('Yrk').kind).not.toBe('match');
  });

  it('edit distance counts a transposition as one edit and honours its bound', () => {
    expect(editDistance('wakefeild', 'wakefield')).toBe(1);
    expect(editDistance('wandswroth', 'wandsworth')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcdefgh', 'zzzzzzzz', 2)).toBe(3);
  });
});

describe('partial names', () => {
  it.each([
    ['Redcar', 'Redcar and Cleveland'],
    ['Richmond', 'Richmond upon Thames'],
    ['Stoke', 'Stoke-on-Trent'],
    ['Newcastle', 'Newcastle upon Tyne'],
    ['Hove', 'Brighton and Hove'],
    ['Darwen', 'Blackburn with Darwen'],
    ['Barking', 'Barking and Dagenham'],
    ['Cheshire West', 'Cheshire West and Chester'],
    ['Scilly', 'Isles of Scilly'],
    ['Westmorland', 'Westmorland and Furness'],
  ])('%s → %s', (text, name) => {
    expectMatch(text, name, 'partial');
  });
});

describe('regions', () => {
  const yh = [
    'Barnsley',
    'Bradford',
    'Calderdale',
    'Doncaster',
    'East Riding of Yorkshire',
    'Kingston Upon Hull, City of',
    'Kirklees',
    'Leeds',
    'North East Lincolnshire',
    'North Lincolnshire',
    'North Yorkshire',
    'Rotherham',
    'Sheffield',
    'Wakefield',
    'York',
  ];

  it.each(['Yorkshire and the Humber', 'yorkshire & humber', 'E12000003', 'region:Yorkshire and the Humber', 'region: e12000003'])(
    '%s → its 15 councils',
    (text) => {
      const res = resolve(text);
      expect(res).toMatchObject({ kind: 'match', via: 'region' });
      if (res.kind === 'match') expect(names(res.authorities).sort()).toEqual(yh);
    },
  );

  it.each(['London', 'E12000007', 'region:London', 'Greater London'])('%s → the 33 London councils, City of London among them', (text) => {
    const res = resolve(text);
    expect(res).toMatchObject({ kind: 'match', via: 'region' });
    if (res.kind === 'match') {
      expect(res.authorities).toHaveLength(33);
      expect(names(res.authorities)).toContain('City of London');
      expect(res.authorities.every((a) => a.regionCode === 'E12000007')).toBe(true);
    }
  });

  it('but "City of London" is the one council', () => {
    expectMatch('City of London', 'City of London', 'name');
  });

  it.each([
    ['North West', 24],
    ['North East', 12],
    ['South West', 15],
    ['South East', 19],
    ['East Midlands', 10],
    ['West Midlands', 14],
    ['East of England', 11],
    ['North West England', 24],
  ])('%s → %i councils', (text, count) => {
    const res = resolve(text);
    expect(res).toMatchObject({ kind: 'match', via: 'region' });
    if (res.kind === 'match') expect(res.authorities).toHaveLength(count);
  });

  it('region: with no such region is unknown, never a council', () => {
    expect(resolve('region:Narnia')).toMatchObject({ kind: 'unknown' });
    expect(resolve('region:Wakefield')).toMatchObject({ kind: 'unknown' });
    expect(resolve('region:')).toMatchObject({ kind: 'unknown' });
  });
});

describe('ambiguity is never silently picked', () => {
  it.each([
    ['Sussex', ['East Sussex', 'West Sussex']],
    ['Kingston', ['Kingston Upon Hull, City of', 'Kingston upon Thames']],
    ['Yorkshire', ['North Yorkshire', 'East Riding of Yorkshire']],
    ['Cheshire', ['Cheshire East', 'Cheshire West and Chester']],
    ['Cumbria', ['Cumberland', 'Westmorland and Furness']],
    ['Bedfordshire', ['Bedford Borough', 'Central Bedfordshire']],
    ['Berkshire', ['Bracknell Forest', 'Reading', 'Slough', 'West Berkshire', 'Windsor and Maidenhead', 'Wokingham']],
    ['Thames', ['Kingston upon Thames', 'Richmond upon Thames']],
    ['city', ['City of London', 'Bristol, City of', 'Kingston Upon Hull, City of']],
  ])('%s', (text, expected) => {
    expectAmbiguous(text, expected);
  });

  it('but an exact name wins over the names that contain it', () => {
    expectMatch('North Yorkshire', 'North Yorkshire', 'name');
    expectMatch('York', 'York', 'name');
    expectMatch('Bedford', 'Bedford Borough', 'name');
    expectMatch('Central Bedfordshire', 'Central Bedfordshire', 'name');
    expectMatch('Leicester', 'Leicester', 'name');
    expectMatch('Nottingham', 'Nottingham', 'name');
    expectMatch('Somerset', 'Somerset', 'name');
    expectMatch('Derby', 'Derby', 'name');
    expectMatch('Lincolnshire', 'Lincolnshire', 'name');
  });

  it('caps the suggestions of a very broad word and still picks none', () => {
    const res = resolve('North');
    expect(res.kind).toBe('ambiguous');
    if (res.kind === 'ambiguous') {
      expect(res.suggestions.length).toBeGreaterThan(5);
      expect(res.suggestions.length).toBeLessThanOrEqual(10);
    }
  });
});

describe('unknown input', () => {
  it('Narnia is never a match', () => {
    const res = resolve('Narnia');
    expect(res.kind).toBe('unknown');
    if (res.kind === 'unknown') {
      expect(res.input).toBe('Narnia');
      expect(res.suggestions.length).toBeLessThanOrEqual(5);
    }
  });

  it('codes that are no council are unknown without guesses', () => {
    for (const text of ['E07000001', 'E09999999', '999', '12345678', 'https://reports.ofsted.gov.uk/provider/44/1']) {
      expect(resolve(text), text).toEqual({ kind: 'unknown', input: text, suggestions: [] });
    }
  });

  it('suggests the most similar councils first, at most five', () => {
    const gm = resolve('Greater Manchester');
    expect(gm.kind).toBe('unknown');
    if (gm.kind === 'unknown') expect(gm.suggestions[0]?.name).toBe('Manchester');
    const wk = resolve('Wkfld');
    expect(wk.kind).toBe('unknown');
    if (wk.kind === 'unknown') expect(wk.suggestions[0]?.name).toBe('Wakefield');
    for (const text of ['Mid Sussex', 'Wakefield and Narnia', 'Southern', 'Westish Midshire']) {
      const res = resolve(text);
      expect(res.kind, text).toBe('unknown');
      if (res.kind === 'unknown') expect(res.suggestions.length, text).toBeLessThanOrEqual(5);
    }
  });
});

describe('garbage never throws', () => {
  const garbage = [
    '',
    '   ',
    '\n\t',
    'x'.repeat(10_000),
    'Wakefield '.repeat(1_000),
    '🙂',
    '🏴󠁧󠁢󠁥󠁮󠁧󠁿🏴󠁧󠁢󠁥󠁮󠁧󠁿',
    "'; DROP TABLE authorities; --",
    "Wakefield' OR '1'='1",
    '%00\u0000\u0000',
    '\ud800',
    'مانشستر',
    '東京',
    ',,,;;;',
    'and and and',
    '&&&',
    'region:',
    'region:'.repeat(500),
    '<script>alert(1)</script>',
    '${process.exit(1)}',
    '0',
    '-1',
    'E12',
    'NaN',
    '__proto__',
    'constructor',
    'the',
    'council',
  ];

  it.each(garbage.map((g) => [JSON.stringify(g).slice(0, 40), g] as const))('resolve(%s)', (_, text) => {
    const started = performance.now();
    const res = resolve(text);
    expect(['match', 'ambiguous', 'unknown']).toContain(res.kind);
    if (res.kind !== 'match') expect(res.input.length).toBeLessThanOrEqual(201);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it.each(garbage.map((g) => [JSON.stringify(g).slice(0, 40), g] as const))('resolveMany(%s)', (_, text) => {
    const started = performance.now();
    const parts = resolveMany(text);
    expect(Array.isArray(parts)).toBe(true);
    for (const p of parts) expect(['match', 'ambiguous', 'unknown']).toContain(p.resolution.kind);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('tolerates non-strings from untyped callers', () => {
    expect(resolve(undefined as unknown as string).kind).toBe('unknown');
    expect(resolve(null as unknown as string).kind).toBe('unknown');
    expect(resolve(80451 as unknown as string)).toMatchObject({ kind: 'match', via: 'urn' });
    expect(resolveMany(undefined as unknown as string)).toEqual([]);
  });

  it('garbage is not matched', () => {
    for (const text of ["'; DROP TABLE authorities; --", '🙂', 'x'.repeat(10_000), '', 'the', 'council']) {
      expect(resolve(text).kind, text.slice(0, 30)).not.toBe('match');
    }
  });
});

describe('resolveMany', () => {
  const summary = (text: string) =>
    resolveMany(text).map((p) => [p.input, p.resolution.kind, p.resolution.kind === 'match' ? names(p.resolution.authorities) : names(p.resolution.suggestions)]);

  it('splits a list on commas and "and" where every part resolves', () => {
    expect(summary('Wakefield, Leeds and Bradford')).toEqual([
      ['Wakefield', 'match', ['Wakefield']],
      ['Leeds', 'match', ['Leeds']],
      ['Bradford', 'match', ['Bradford']],
    ]);
    expect(summary('Leeds; Bradford\nYork & Hull')).toEqual([
      ['Leeds', 'match', ['Leeds']],
      ['Bradford', 'match', ['Bradford']],
      ['York', 'match', ['York']],
      ['Hull', 'match', ['Kingston Upon Hull, City of']],
    ]);
    expect(summary('Leeds, and Bradfrod')).toEqual([
      ['Leeds', 'match', ['Leeds']],
      ['Bradfrod', 'match', ['Bradford']],
    ]);
  });

  it('keeps names that contain "and" or a comma whole', () => {
    for (const name of ['Brighton and Hove', 'Bournemouth, Christchurch and Poole', 'Bristol, City of', 'Kingston Upon Hull, City of', 'Bath and North East Somerset', 'Hammersmith and Fulham', 'Cheshire West and Chester', 'Telford and Wrekin', 'Yorkshire and the Humber']) {
      const parts = resolveMany(name);
      expect(parts.map((p) => p.input), name).toEqual([name]);
      expect(parts[0]?.resolution.kind, name).toBe('match');
    }
    expect(summary('Brighton and Hove, Bristol, City of and Cheshire West and Chester')).toEqual([
      ['Brighton and Hove', 'match', ['Brighton and Hove']],
      ['Bristol, City of', 'match', ['Bristol, City of']],
      ['Cheshire West and Chester', 'match', ['Cheshire West and Chester']],
    ]);
  });

  it('gives each part its own result, unknown and ambiguous parts included', () => {
    expect(summary('Wakefield, Narnia, Leeds').map(([input, kind]) => [input, kind])).toEqual([
      ['Wakefield', 'match'],
      ['Narnia', 'unknown'],
      ['Leeds', 'match'],
    ]);
    expect(summary('Sussex and Kent')).toEqual([
      ['Sussex', 'ambiguous', ['East Sussex', 'West Sussex']],
      ['Kent', 'match', ['Kent']],
    ]);
    const regions = resolveMany('London and Yorkshire and the Humber');
    expect(regions.map((p) => [p.input, p.resolution.kind === 'match' ? p.resolution.authorities.length : 0])).toEqual([
      ['London', 33],
      ['Yorkshire and the Humber', 15],
    ]);
  });

  it('does not split at "and" where a side does not resolve', () => {
    expect(summary('Wakefield and Narnia').map(([input, kind]) => [input, kind])).toEqual([['Wakefield and Narnia', 'unknown']]);
  });

  it('returns nothing for empty input, one part for one name', () => {
    expect(resolveMany('')).toEqual([]);
    expect(resolveMany(' , ; ')).toEqual([]);
    expect(resolveMany('Wakefield')).toEqual([{ input: 'Wakefield', resolution: resolve('Wakefield') }]);
  });

  it('reads a list of all 153 councils', () => {
    const parts = resolveMany(authorities.map((a) => a.name).join(', '));
    expect(parts).toHaveLength(153);
    expect(parts.map((p) => (p.resolution.kind === 'match' ? p.resolution.authorities[0] : null))).toEqual(authorities);
  });
});

describe('formatDidYouMean', () => {
  it('is one short line of names', () => {
    const res: Resolution = { kind: 'unknown', input: 'Wok', suggestions: [named('Wakefield'), named('Wokingham')] };
    expect(formatDidYouMean(res)).toBe('Did you mean: Wakefield, Wokingham?');
  });

  it('writes "X, City of" names the way people do, so the list stays readable', () => {
    expect(formatDidYouMean(resolve('city'))).toBe('Did you mean: City of London, City of Bristol, City of Kingston Upon Hull?');
    expect(formatDidYouMean(resolve('Sussex'))).toBe('Did you mean: East Sussex, West Sussex?');
  });

  it('is empty for a match, and for an unknown with nothing to suggest', () => {
    expect(formatDidYouMean(resolve('Wakefield'))).toBe('');
    expect(formatDidYouMean(resolve('E07000001'))).toBe('');
  });
});

describe('determinism and speed', () => {
  it('gives the same answers from a fresh resolver, and in any order of calls', () => {
    const other = createResolver(createRegistry(loadBundledAuthorities()));
    const inputs = ['North', 'Narnia', 'Wakefeild', 'Yorkshire', 'Mid Sussex', 'East', 'Berkshire', 'Greater Manchester'];
    const first = inputs.map((t) => resolve(t));
    const second = [...inputs].reverse().map((t) => other.resolve(t)).reverse();
    expect(second).toEqual(first);
  });

  it('resolves names, codes and typos in well under a millisecond each, unknowns in a few', () => {
    const inputs = authorities.flatMap((a) => [a.name, a.gss as string, a.urn, a.dfeCode as string]);
    for (const t of inputs) resolve(t); // warm up
    let started = performance.now();
    for (const t of inputs) resolve(t);
    const perKnown = (performance.now() - started) / inputs.length;
    const hard = ['Wakefeild', 'Wandswroth', 'Wokinghm', 'Barnslay', 'Narnia', 'Greater Manchester', 'Westish Midshire', 'Yorkshire'];
    started = performance.now();
    for (let i = 0; i < 10; i++) for (const t of hard) resolve(t);
    const perHard = (performance.now() - started) / (10 * hard.length);
    expect(perKnown).toBeLessThan(0.5);
    expect(perHard).toBeLessThan(5);
  });
});
