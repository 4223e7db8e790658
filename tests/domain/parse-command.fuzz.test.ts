// Property tests: thousands of random and hostile inputs. parseCommand always returns a ParsedCommand
// (never throws), deterministically, with only valid ids; handleCommand always returns a Reply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse-command.ts';
import { handleCommand } from '../../src/commands/handle-command.ts';
import type { Caller, Reply } from '../../src/chat/types.ts';
import { PUBLICATION_TYPES } from '../../src/letters/types.ts';
import { THEME_IDS } from '../../src/themes/taxonomy.ts';
import { addLetter, addPublication, commandDeps, okLetter, openTestStore, WAKEFIELD, type TestStore } from './helpers/store.ts';
import { testDatabases } from '../helpers/test-database.ts';
import { mulberry32 as prng } from '../helpers/seeded-random.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20260302);

const POOLS = [
  'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789',
  ' ,;:.!?-_/\\()[]{}<>@#$%^&*+=|~`',
  '"\'“”‘’„«»＂',
  '\u0000\u0001\u0007\u0008\u000b\u000c\u001b\u007f\u0085\u009f\t\n\r',
  '\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\u00a0\u3000',
  '😀🎉🏴󠁧󠁢󠁥󠁮󠁧󠁿👩‍👩‍👧‍👦🇬🇧',
  '\ud800\udbff\udc00\udfff', // lone surrogates
  'ÄÖÜßéèçñ漢字かなРусскийعربيעברית\u0301\u0308',
  'ｓｕｂｓｃｒｉｂｅ ｗａｋｅｆｉｅｌｄ', // fullwidth, NFKC folds it
];
const WORDS = [
  'subscribe', 'unsubscribe', 'list', 'latest', 'history', 'themes', 'search', 'digest', 'pause', 'resume', 'help', 'public', 'all', 'region:', 'types:', 'themes:',
  'type:', 'theme:', 'Wakefield', 'Leeds', 'Wakefeild', 'Sussex', 'Narnia', 'Yorkshire and the Humber', 'London', 'and', ',', 'inspection', 'focused-visit', 'care-leavers',
  'front door', 'weekly', 'daily', 'off', 'monday', '09:00', '25:99', '"', '“', "'", 'E08000036', '80451', '<@U123>', '<at>bot</at>', '/ofsted', 'region:"', 'types:,,,', 'themes:;',
];

function randomText(rand: () => number): string {
  const shape = rand();
  if (shape < 0.45) {
    // structured: words of the grammar, mixed with noise
    const n = 1 + Math.floor(rand() * 10);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (rand() < 0.75) parts.push(WORDS[Math.floor(rand() * WORDS.length)]!);
      else parts.push(chars(rand, 1 + Math.floor(rand() * 8)));
    }
    return parts.join(rand() < 0.8 ? ' ' : '');
  }
  if (shape < 0.97) return chars(rand, Math.floor(rand() * 200));
  return chars(rand, 2_000 + Math.floor(rand() * 100_000)); // huge
}

function chars(rand: () => number, length: number): string {
  let s = '';
  const pool = [...POOLS[Math.floor(rand() * POOLS.length)]!];
  for (let i = 0; i < length; i++) {
    if (rand() < 0.1) {
      const other = [...POOLS[Math.floor(rand() * POOLS.length)]!];
      s += other[Math.floor(rand() * other.length)];
    } else s += pool[Math.floor(rand() * pool.length)];
  }
  return s;
}

const KINDS = new Set(['subscribe', 'unsubscribe', 'pause', 'resume', 'list', 'latest', 'history', 'themes', 'search', 'digest', 'help']);
const TYPES = new Set<string>(PUBLICATION_TYPES);
const THEMES = new Set<string>(THEME_IDS);

describe('parseCommand on random and hostile input', () => {
  it(`5,000 inputs (seed ${SEED}): always a ParsedCommand, deterministic, valid ids only`, () => {
    const rand = prng(SEED);
    const started = Date.now();
    for (let i = 0; i < 5_000; i++) {
      const text = randomText(rand);
      let parsed;
      try {
        parsed = parseCommand(text);
      } catch (error) {
        throw new Error(`parseCommand threw on input #${i} ${JSON.stringify(text.slice(0, 200))}: ${(error as Error).message}`);
      }
      expect(parseCommand(text), `deterministic on #${i}`).toEqual(parsed);
      if (!parsed.ok) {
        expect(typeof parsed.message).toBe('string');
        expect(parsed.message.length).toBeGreaterThan(10);
        expect(parsed.message.length).toBeLessThan(2_500);
        expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(parsed.message), `no control characters in a message (#${i})`).toBe(false);
        continue;
      }
      expect(typeof parsed.public).toBe('boolean');
      const c = parsed.command;
      expect(KINDS.has(c.kind), c.kind).toBe(true);
      if (c.kind === 'subscribe') {
        expect(c.targets.length).toBeGreaterThan(0);
        for (const t of c.types) expect(TYPES.has(t)).toBe(true);
        for (const t of c.themes) expect(THEMES.has(t)).toBe(true);
      }
      if (c.kind === 'subscribe' || c.kind === 'unsubscribe' || c.kind === 'pause' || c.kind === 'resume') {
        if (c.targets !== 'all') for (const t of c.targets) if (t.kind !== 'all') expect(t.text.trim().length).toBeGreaterThan(0);
      }
      if (c.kind === 'digest' && c.setting.mode !== 'off') expect(c.setting.time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      if (c.kind === 'latest' || c.kind === 'history' || c.kind === 'themes') expect(c.query.length).toBeGreaterThan(0);
      if (c.kind === 'search') expect(c.words.length).toBeLessThanOrEqual(500);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('hostile classics', () => {
    const hostile = [
      '', ' ', '"', '“', '""""', "'", 'region:"', 'types:', 'themes:,', 'subscribe region:', 'subscribe "', 'subscribe ”Wakefield“', '\u0000'.repeat(5000),
      '😀'.repeat(3000), '\ud800', 'subscribe \ud83d', 'a'.repeat(100 * 1024), 'subscribe ' + ', '.repeat(900), 'digest ' + '9 '.repeat(500),
      'help ' + '?'.repeat(4000), '<@U1>', '<@U1> ', '<at></at>', '/', '//', 'public', 'public public', 'public public public', 'search ' + '"'.repeat(499),
      'subscribe types:' + 'x,'.repeat(400), 'subscribe region:' + '"'.repeat(3), '\u202e\u202d'.repeat(100), 'subscribe\u0000Wakefield',
    ];
    for (const text of hostile) {
      const r = parseCommand(text);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    }
  });
});

describe.each(testDatabases())('$name', (database) => {
  describe('handleCommand on random and hostile input', () => {
    let s: TestStore;
    const now = () => new Date('2026-03-02T09:00:00Z');
    beforeAll(async () => {
      s = await openTestStore(database);
      const p = await addPublication(s.db, { ...WAKEFIELD, date: '2026-02-01' }, now());
      await addLetter(s.db, p, okLetter({ sentences: [{ themes: ['care-leavers'], polarity: 'strength', text: 'Care leavers get good help with accommodation.' }] }), now());
    });
    afterAll(async () => s.close());

    const isReply = (r: Reply) => {
      expect(['private', 'public']).toContain(r.visibility);
      expect(typeof r.kind).toBe('string');
      if ('text' in r) expect(typeof r.text).toBe('string');
    };

    it(`600 random inputs from several channels (seed ${SEED}) all get a Reply`, async () => {
      const rand = prng(SEED + 1);
      const callers: Caller[] = [
        { channel: { platform: 'slack', workspace: 'T1', channel: 'C1' }, userId: 'U1' },
        { channel: { platform: 'slack', workspace: 'T2', channel: 'C1' }, userId: 'U2' },
        { channel: { platform: 'teams', workspace: 'tenant-1', channel: '19:abc@thread.tacv2' }, userId: 'aad-1' },
      ];
      const deps = commandDeps(s, now);
      for (let i = 0; i < 600; i++) {
        const text = randomText(rand);
        const caller = callers[i % callers.length]!;
        const reply = await handleCommand(deps, caller, text);
        isReply(reply);
        if (reply.kind === 'error') expect(reply.text).not.toContain('went wrong on our side');
      }
    });

    it('bad callers and bad text types get a Reply too', async () => {
      const deps = commandDeps(s, now);
      const bad = [null, undefined, {}, { channel: null, userId: 'U1' }, { channel: { platform: 'irc', workspace: 'x', channel: 'y' }, userId: 'U1' }, { channel: { platform: 'slack', workspace: '', channel: 'C1' }, userId: 'U1' }];
      for (const c of bad) isReply(await handleCommand(deps, c as unknown as Caller, 'list'));
      for (const t of [null, undefined, 42, {}, ['list']]) isReply(await handleCommand(deps, { channel: { platform: 'slack', workspace: 'T1', channel: 'C1' }, userId: 'U1' }, t as unknown as string));
    });
  });
});
