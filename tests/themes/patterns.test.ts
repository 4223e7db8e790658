import { describe, expect, it } from 'vitest';
import { compilePattern, findAll, patternError } from '../../src/themes/patterns.ts';
import { tokenize } from '../../src/themes/tokens.ts';

const matches = (pattern: string, text: string) => findAll(compilePattern(pattern), tokenize(text)).length > 0;

describe('tokenize', () => {
  it('drops possessives, splits hyphens, folds curly quotes and keeps punctuation as breaks', () => {
    const t = tokenize('Children’s care leavers’ child-in-need plans; 16- and 17-year-olds.');
    expect(t.map((x) => x.norm)).toEqual(['children', 'care', 'leavers', 'child', 'in', 'need', 'plans', '16', 'and', '17', 'year', 'olds']);
    expect(t[7]!.brk).toBe(';');
  });

  it('does not end a sentence at "e.g." before a lower-case word', () => {
    const t = tokenize('services, e.g. the MASH');
    expect(t.find((x) => x.norm === 'the')!.brk).toBe(',');
  });
});

describe('cue pattern language', () => {
  it('matches plurals, prefixes, exact words and case-sensitive words', () => {
    expect(matches('referral', 'too many referrals')).toBe(true);
    expect(matches('agency', 'other agencies')).toBe(true);
    expect(matches('recruit*', 'recruitment is hard')).toBe(true);
    expect(matches('=plan', 'the plans')).toBe(false);
    expect(matches('^SEND', 'children with SEND')).toBe(true);
    expect(matches('^SEND', 'they send reports')).toBe(false);
  });

  it('has word alternatives, phrase groups, optional words and short gaps', () => {
    expect(matches('strategy (meeting|discussion)', 'strategy discussions')).toBe(true);
    expect(matches('meeting|discussion', 'discussions')).toBe(true);
    expect(matches('children (looked after|in care)', 'children in care')).toBe(true);
    expect(matches('children (looked after|in care)', 'children looked after')).toBe(true);
    expect(matches('children (looked after|in care)', 'children in need')).toBe(false);
    expect(matches('missing from (home|care)', 'missing from care')).toBe(true);
    expect(matches('(chronic|long standing) neglect', 'long standing neglect')).toBe(true);
    expect(matches('joint housing? protocol', 'joint protocol')).toBe(true);
    expect(matches('letter before .. proceedings', 'letters before care proceedings')).toBe(true);
    expect(matches('letter before .. proceedings', 'letters before we even started these proceedings')).toBe(false);
  });

  it('never matches across a full stop or semicolon', () => {
    expect(matches('care leavers', 'in care. Leavers')).toBe(false);
    expect(matches('care leavers', 'in care; leavers')).toBe(false);
    expect(matches('care leavers', 'care leavers')).toBe(true);
  });

  it('explains invalid patterns', () => {
    expect(patternError('multi-agency')).toMatch(/hyphenated/);
    expect(patternError('Children')).toMatch(/capitals/);
    expect(patternError('.. plan')).toMatch(/cannot start/);
    expect(patternError('(a b')).toMatch(/unclosed/);
    expect(patternError('(a (b|c))')).toMatch(/nested/);
    expect(patternError('ab*')).toMatch(/too short/);
    expect(patternError('word?')).toMatch(/required word/);
    expect(patternError('missing from home|care')).toMatch(/put alternatives in brackets: "\(home\|care\)"/);
    expect(patternError('care (leaver|leavers)')).toBeNull();
  });
});
