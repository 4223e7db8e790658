import { describe, expect, it } from 'vitest';
import { parseCommand, parseTime } from '../../src/commands/parse-command.ts';
import type { Command } from '../../src/chat/types.ts';

const cmd = (text: string): Command => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(`expected ok for ${JSON.stringify(text)}: ${r.message}`);
  return r.command;
};
const err = (text: string): string => {
  const r = parseCommand(text);
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(text)}, got ${JSON.stringify(r.command)}`);
  return r.message;
};
const isPublic = (text: string) => {
  const r = parseCommand(text);
  return r.ok && r.public;
};

describe('parseCommand: the examples of the issue', () => {
  it('subscribe with several councils, types and themes', () => {
    expect(cmd('subscribe Wakefield, Leeds types:inspection,focused-visit themes:front-door,care-leavers')).toEqual({
      kind: 'subscribe',
      targets: [{ kind: 'text', text: 'Wakefield, Leeds' }],
      types: ['inspection', 'focused-visit'],
      themes: ['front-door', 'care-leavers'],
    });
  });
  it('regions, straight and curly quotes, any case', () => {
    const expected = { kind: 'subscribe', targets: [{ kind: 'region', text: 'Yorkshire and the Humber' }], types: [], themes: [] };
    expect(cmd('subscribe region:"Yorkshire and the Humber"')).toEqual(expected);
    expect(cmd('SUBSCRIBE Region:“Yorkshire and the Humber”')).toEqual(expected);
    expect(cmd("subscribe region:'Yorkshire and the Humber'")).toEqual(expected);
    expect(cmd('subscribe region: Yorkshire and the Humber')).toEqual(expected);
  });
  it('all, unsubscribe, list', () => {
    expect(cmd('subscribe all')).toEqual({ kind: 'subscribe', targets: [{ kind: 'all' }], types: [], themes: [] });
    expect(cmd('Subscribe All types:inspection')).toEqual({ kind: 'subscribe', targets: [{ kind: 'all' }], types: ['inspection'], themes: [] });
    expect(cmd('unsubscribe Wakefield')).toEqual({ kind: 'unsubscribe', targets: [{ kind: 'text', text: 'Wakefield' }] });
    expect(cmd('unsubscribe all')).toEqual({ kind: 'unsubscribe', targets: 'all' });
    expect(cmd('list')).toEqual({ kind: 'list' });
    expect(cmd('LIST')).toEqual({ kind: 'list' });
  });
  it('lookups, with the public flag before the verb or as the last word', () => {
    expect(cmd('latest Wakefield')).toEqual({ kind: 'latest', query: 'Wakefield' });
    expect(cmd('history Wakefield')).toEqual({ kind: 'history', query: 'Wakefield' });
    expect(cmd('themes Wakefield')).toEqual({ kind: 'themes', query: 'Wakefield' });
    expect(cmd('search care leavers accommodation')).toEqual({ kind: 'search', words: 'care leavers accommodation' });
    expect(isPublic('latest Wakefield')).toBe(false);
    expect(isPublic('public latest Wakefield')).toBe(true);
    expect(isPublic('latest Wakefield public')).toBe(true);
    expect(cmd('latest Wakefield PUBLIC')).toEqual({ kind: 'latest', query: 'Wakefield' });
    // a lone "public" after the verb is the argument, not the flag
    expect(cmd('search public')).toEqual({ kind: 'search', words: 'public' });
    expect(cmd('search "public law outline"')).toEqual({ kind: 'search', words: '"public law outline"' });
  });
  it('digest settings', () => {
    expect(cmd('digest weekly monday 09:00')).toEqual({ kind: 'digest', setting: { mode: 'weekly', day: 'monday', time: '09:00' } });
    expect(cmd('digest daily')).toEqual({ kind: 'digest', setting: { mode: 'daily', time: '08:00' } });
    expect(cmd('digest off')).toEqual({ kind: 'digest', setting: { mode: 'off' } });
    expect(cmd('digest weekly')).toEqual({ kind: 'digest', setting: { mode: 'weekly', day: 'monday', time: '08:00' } });
    expect(cmd('digest on Fridays at 4pm')).toEqual({ kind: 'digest', setting: { mode: 'weekly', day: 'friday', time: '16:00' } });
    expect(cmd('digest daily 8.30')).toEqual({ kind: 'digest', setting: { mode: 'daily', time: '08:30' } });
    expect(cmd('digest tue 5:30 pm')).toEqual({ kind: 'digest', setting: { mode: 'weekly', day: 'tuesday', time: '17:30' } });
    expect(cmd('digest immediate')).toEqual({ kind: 'digest', setting: { mode: 'off' } });
  });
  it('help, pause and resume', () => {
    expect(cmd('help')).toEqual({ kind: 'help' });
    expect(cmd('help digest')).toEqual({ kind: 'help', topic: 'digest' });
    expect(cmd('?')).toEqual({ kind: 'help' });
    expect(cmd('pause')).toEqual({ kind: 'pause', targets: 'all' });
    expect(cmd('pause all')).toEqual({ kind: 'pause', targets: 'all' });
    expect(cmd('resume Wakefield')).toEqual({ kind: 'resume', targets: [{ kind: 'text', text: 'Wakefield' }] });
  });
});

describe('parseCommand: what people actually type', () => {
  it('synonyms, filler words and mentions', () => {
    expect(cmd('<@U0BOT> subscribe to Leeds')).toEqual({ kind: 'subscribe', targets: [{ kind: 'text', text: 'Leeds' }], types: [], themes: [] });
    expect(cmd('<at>Ofsted alerts</at> list')).toEqual({ kind: 'list' });
    expect(cmd('follow Leeds')).toMatchObject({ kind: 'subscribe' });
    expect(cmd('unfollow Leeds')).toMatchObject({ kind: 'unsubscribe' });
    expect(cmd('/subscribe Leeds')).toMatchObject({ kind: 'subscribe' });
    expect(cmd('/ofsted subscribe Leeds')).toMatchObject({ kind: 'subscribe', targets: [{ kind: 'text', text: 'Leeds' }] });
    expect(cmd('unsubscribe from Leeds')).toEqual({ kind: 'unsubscribe', targets: [{ kind: 'text', text: 'Leeds' }] });
  });
  it('filter values with spaces, plurals and synonyms', () => {
    expect(cmd('subscribe Wakefield themes: front door, care leavers')).toMatchObject({ themes: ['front-door', 'care-leavers'], targets: [{ kind: 'text', text: 'Wakefield' }] });
    expect(cmd('subscribe Wakefield types:inspections,focused_visits')).toMatchObject({ types: ['inspection', 'focused-visit'] });
    expect(cmd('subscribe Wakefield type:"focused visit"')).toMatchObject({ types: ['focused-visit'] });
    expect(cmd('subscribe Wakefield theme:neglect & domestic abuse')).toMatchObject({ themes: ['neglect-and-domestic-abuse'] });
    expect(cmd('subscribe Wakefield types:inspection,inspection')).toMatchObject({ types: ['inspection'] });
  });
  it('names split by an option stay two names', () => {
    expect(cmd('subscribe Wakefield types:inspection Leeds')).toMatchObject({ targets: [{ kind: 'text', text: 'Wakefield, Leeds' }], types: ['inspection'] });
  });
  it('new lines separate names', () => {
    expect(cmd('subscribe\nWakefield\nLeeds')).toMatchObject({ targets: [{ kind: 'text', text: 'Wakefield, Leeds' }] });
  });
  it('an unbalanced quote runs to the end', () => {
    expect(cmd('subscribe region:"Yorkshire and the Humber')).toMatchObject({ targets: [{ kind: 'region', text: 'Yorkshire and the Humber' }] });
    expect(cmd('subscribe "Wakefield')).toMatchObject({ targets: [{ kind: 'text', text: 'Wakefield' }] });
  });
  it('an apostrophe inside a word is not a quote', () => {
    expect(cmd("subscribe King's Lynn")).toMatchObject({ targets: [{ kind: 'text', text: "King's Lynn" }] });
  });
  it('control characters, zero-width and bidi characters are cleaned', () => {
    expect(cmd('\u0000sub\u200Dscribe\u202EWakefield\u0007')).toMatchObject({ kind: 'subscribe', targets: [{ kind: 'text', text: 'Wakefield' }] });
    expect(cmd('\uFEFFlist\t')).toEqual({ kind: 'list' });
  });
  it('empty input is help', () => {
    expect(cmd('')).toEqual({ kind: 'help' });
    expect(cmd('   \n\t ')).toEqual({ kind: 'help' });
    expect(parseCommand(undefined as unknown as string)).toEqual({ ok: true, command: { kind: 'help' }, public: false });
  });
});

describe('parseCommand: errors are messages for people', () => {
  it('unknown type or theme ids list the valid ids', () => {
    const m = err('subscribe Wakefield types:inspect');
    expect(m).toContain('“inspect”');
    expect(m).toContain('inspection, focused-visit, monitoring-visit, jtai, send, other');
    expect(m).toContain('Nothing was changed');
    const t = err('subscribe Wakefield themes:front-door,kittens');
    expect(t).toContain('“kittens”');
    expect(t).toContain('care-leavers');
    expect(t).not.toContain('“front-door”');
  });
  it('empty options and misplaced filters', () => {
    expect(err('subscribe Wakefield types:')).toMatch(/types:.*needs a value/);
    expect(err('unsubscribe Leeds themes:care-leavers')).toMatch(/go with `subscribe`/);
  });
  it('missing arguments come with an example', () => {
    expect(err('subscribe')).toMatch(/subscribe Wakefield/);
    expect(err('subscribe types:inspection')).toMatch(/Tell me what to follow/);
    expect(err('unsubscribe')).toMatch(/unsubscribe all/);
    expect(err('latest')).toMatch(/`latest Wakefield`/);
    expect(err('search')).toMatch(/search care leavers/);
    expect(err('digest')).toMatch(/digest daily/);
  });
  it('unknown verbs, with a suggestion for a typo', () => {
    expect(err('subscibe Wakefield')).toMatch(/Did you mean `subscribe`\?/);
    expect(err('Wakefield')).toMatch(/I don't know the command “Wakefield”/);
    expect(err('"list"')).toMatch(/I don't know the command/);
  });
  it('bad digest settings', () => {
    expect(err('digest 25:00')).toMatch(/could not read “25:00” as a time/);
    expect(err('digest daily monday')).toMatch(/daily digest has no day.*digest weekly monday/);
    expect(err('digest off monday')).toMatch(/takes no day or time/);
    expect(err('digest fortnightly')).toMatch(/did not understand “fortnightly”/);
    expect(err('digest monday friday')).toMatch(/one day/);
  });
  it('too long', () => {
    expect(err('subscribe ' + 'Wakefield, '.repeat(1000))).toMatch(/too long for a command/);
    expect(err('x'.repeat(100_000))).toMatch(/100000 characters/);
  });
});

describe('parseTime', () => {
  it.each([
    ['9', '09:00'], ['09:00', '09:00'], ['9:5', undefined], ['9.30', '09:30'], ['1730', '17:30'], ['12am', '00:00'], ['12pm', '12:00'], ['noon', '12:00'],
    ['13pm', undefined], ['24:00', undefined], ['23:59', '23:59'], ['7h45', '07:45'], ['-1', undefined],
  ])('%s → %s', (text, expected) => expect(parseTime(text)).toBe(expected));
});
