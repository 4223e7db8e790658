// Every card the Teams adapter can send, parsed by Microsoft's `adaptivecards` package for version 1.5
// with no parse events and no validation failures; every message within 80 KB, however long the letter
// (split into several cards, never refused); nothing from a letter or a person rendered as Markdown.
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/chat/types.ts';
import { renderAlertParts, renderThemeParts } from '../../adapters/teams/render/render-alert.ts';
import { renderDigest, renderNotice, renderReply, renderWelcome } from '../../adapters/teams/render/render-reply.ts';
import { MESSAGE_BUDGET_BYTES, sizeOf, textPart, type TeamsPart } from '../../adapters/teams/render/parts.ts';
import { renderMessage } from '../../adapters/teams/teams-sender.ts';
import { helpText } from '../../src/commands/help-text.ts';
import { cardProblems, cardsIn } from './validate-card.ts';
import { digestFixture, GRADED, okLetter, randomAlert, rng, subscription, WAKEFIELD, wakefieldAlert } from './fixtures.ts';

function expectSendable(parts: TeamsPart[]): void {
  expect(parts.length).toBeGreaterThan(0);
  for (const part of parts) {
    expect(sizeOf(part.activity)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
    const cards = cardsIn(part.activity);
    if (part.activity.text === undefined) expect(cards).toHaveLength(1);
    for (const card of cards) expect(cardProblems(card)).toEqual([]);
    expect(part.activity.summary?.length ?? 0).toBeLessThanOrEqual(250);
    expect(part.fallbackText.trim()).not.toBe('');
    expect(sizeOf(textPart(part.fallbackText).activity)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
  }
}

const every = (value: unknown, type: string): Record<string, unknown>[] => {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if ((v as { type?: unknown }).type === type) out.push(v as Record<string, unknown>);
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return out;
};

describe('the validator itself', () => {
  it('reports unknown elements, missing properties and versions other than 1.5', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] }).map((p) => p.event)).toContain('UnknownElementType');
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [], actions: [{ type: 'Action.OpenUrl', title: 'x' }] }).length).toBeGreaterThan(0);
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.6', body: [] }).map((p) => p.event)).toContain('Version');
  });
});

describe('alerts', () => {
  it('a letter with grades: one card with the facts, themes under "All themes", links and the Stop buttons', () => {
    const parts = renderAlertParts(wakefieldAlert(okLetter({}, GRADED)));
    expectSendable(parts);
    expect(parts).toHaveLength(1);
    const card = cardsIn(parts[0]!.activity)[0];
    const json = JSON.stringify(card);
    expect(json).toContain('Wakefield: Focused visit');
    expect(json).toContain('🟢 Good');
    expect(json).toContain('Headline findings');
    expect(parts[0]!.activity.summary).toMatch(/^New: Focused visit of Wakefield, published 7 March 2025 \(overall: good\)/);
    const actions = (card as { actions: { type: string; title: string; url?: string }[] }).actions;
    expect(actions.map((a) => a.title)).toEqual(['Read the letter', 'Wakefield on Ofsted', 'All themes (2)', 'Stop these alerts']);
    expect(actions[0]!.url).toBe(WAKEFIELD.url);
    expect(actions[1]!.url).toBe(WAKEFIELD.authorityPageUrl);
    const submits = every(card, 'Action.Submit');
    expect(submits.map((s) => s.data)).toEqual([
      { ofsted: { action: 'pause', urn: '80451', council: 'Wakefield' } },
      { ofsted: { action: 'unsubscribe', urn: '80451', council: 'Wakefield' } },
    ]);
    expect(JSON.stringify(every(card, 'Action.ShowCard')[0])).toContain('Agency staff turnover remains high.');
  });

  it('a letter that could not be read: says why, still links the letter', () => {
    const parts = renderAlertParts(wakefieldAlert({ status: 'unavailable', reason: 'not a PDF: the site answered "Report not found"' }));
    expectSendable(parts);
    expect(JSON.stringify(parts[0]!.activity)).toContain('Summary unavailable: not a PDF');
    expect(JSON.stringify(parts[0]!.activity)).not.toContain('All themes');
  });

  it('text from letters is never Markdown: links, emphasis and HTML stay as typed, in TextRuns', () => {
    const parts = renderAlertParts(wakefieldAlert(okLetter({ overview: ['See [this](https://evil.example) **now** <b>x</b> `y`'] })));
    const blocks = every(cardsIn(parts[0]!.activity)[0], 'TextBlock').map((b) => String(b.text));
    expect(blocks.join('\n')).not.toContain('evil.example');
    const runs = every(cardsIn(parts[0]!.activity)[0], 'TextRun').map((r) => String(r.text));
    expect(runs).toContain('See [this](https://evil.example) **now** <b>x</b> `y`');
  });

  it('a lookup (`latest`) has no Stop buttons', () => {
    const parts = renderAlertParts(wakefieldAlert(), { kind: 'lookup' });
    expectSendable(parts);
    expect(JSON.stringify(parts)).not.toContain('Stop these alerts');
  });

  it('a letter too long for one message: the themes follow in another card, the summary is spread over cards, none over 80 KB', () => {
    const long = (i: number) => `${i}: ${'Children wait too long for a plan, and managers do not always see it. '.repeat(40)}`;
    const alert = wakefieldAlert(
      okLetter({
        overview: Array.from({ length: 30 }, (_, i) => long(i)),
        improvements: Array.from({ length: 30 }, (_, i) => ({ text: long(i), themes: [] })),
        themes: Array.from({ length: 25 }, (_, i) => ({ id: `t${i}`, name: `Theme ${i}`, strengths: 1, concerns: 2, neutral: 0, strengthSentence: long(i), concernSentence: long(i) })),
      }),
    );
    const parts = renderAlertParts(alert);
    expectSendable(parts);
    expect(parts.length).toBeGreaterThan(2);
    const all = JSON.stringify(parts);
    for (let i = 0; i < 30; i++) expect(all).toContain(`${i}: Children wait`); // nothing dropped
    expect(all).toContain('Theme 24');
  });

  it('random letters of every size, with hostile text and URLs: every part valid and within budget (300 cases)', () => {
    const r = rng(20250307);
    let splits = 0;
    for (let i = 0; i < 300; i++) {
      const parts = renderAlertParts(randomAlert(r, i % 10 === 0 ? 4 : 1));
      if (parts.length > 1) splits++;
      expectSendable(parts);
      for (const a of every(parts.map((p) => cardsIn(p.activity)), 'Action.OpenUrl')) expect(String(a.url)).toMatch(/^https?:\/\//);
    }
    expect(splits).toBeGreaterThan(0);
  });

  it('notices and digests', () => {
    expectSendable(renderNotice('Ofsted alerts could not post in channel 19:x (bot_removed: …). Type `resume` there.'));
    const digest = renderDigest(digestFixture());
    expectSendable(digest);
    const json = JSON.stringify(digest);
    expect(json).toContain('Weekly digest');
    expect(json).toContain('This digest is late');
    expect(json).toContain('🟠 Requires improvement → 🟢 Good');
    expect(json).toContain('Summary unavailable: not a PDF');
    expect(every(digest.map((p) => cardsIn(p.activity)), 'TextBlock').map((b) => String(b.text)).join()).not.toContain('evil');
    expectSendable(renderDigest({ text: 'an older digest payload' }));
    expectSendable(renderMessage({ kind: 'digest', digest: digestFixture() }));
  });

  it('the welcome card and its two buttons', () => {
    for (const scope of ['team', 'groupChat', 'personal'] as const) {
      const parts = renderWelcome({ botName: 'Ofsted Alerts', scope });
      expectSendable(parts);
      expect(every(cardsIn(parts[0]!.activity), 'Action.Submit').map((a) => a.data)).toEqual([
        { ofsted: { action: 'command', command: 'help' } },
        { ofsted: { action: 'command', command: 'list' } },
      ]);
      expect(JSON.stringify(parts)).toContain(scope === 'personal' ? '"subscribe Wakefield, Leeds"' : '@Ofsted Alerts subscribe Wakefield');
    }
  });
});

describe('replies to commands', () => {
  const subs = [subscription(1), subscription(2, { targetName: 'Yorkshire and the Humber', target: { kind: 'region', regionCode: 'E12000003' }, status: 'paused', statusReason: 'bot_removed: the app is no longer in this conversation' }), subscription(3, { target: { kind: 'all' }, targetName: 'all councils', types: ['inspection'], themes: ['care-leavers'] })];
  const pub = { ...WAKEFIELD };
  const replies: Reply[] = [
    { visibility: 'private', kind: 'text', text: 'Hello' },
    { visibility: 'private', kind: 'help', text: helpText() },
    { visibility: 'private', kind: 'help', text: helpText('themes') },
    { visibility: 'private', kind: 'error', text: "I don't know the command “subscrbe”. Did you mean `subscribe`?" },
    { visibility: 'private', kind: 'did-you-mean', input: 'Wakfield', suggestions: ['Wakefield', 'Wokingham'], text: 'Did you mean one of these?' },
    { visibility: 'private', kind: 'subscribed', created: [subs[0]!], alreadyHad: [subs[2]!], updated: [subs[1]!], text: 'This channel now follows Wakefield.\n• Wakefield' },
    { visibility: 'private', kind: 'unsubscribed', ended: [subs[0]!], text: 'This channel no longer follows Wakefield.' },
    { visibility: 'private', kind: 'subscriptions', subscriptions: subs, digest: { mode: 'weekly', day: 'monday', time: '09:00' }, text: 'This channel follows 3 things.' },
    { visibility: 'private', kind: 'subscriptions', subscriptions: [], digest: { mode: 'off' }, text: 'This channel follows nothing yet. Try `subscribe Wakefield`.' },
    { visibility: 'public', kind: 'publication', publication: pub, letter: okLetter({}, GRADED) },
    { visibility: 'private', kind: 'themes', authority: 'Wakefield', publication: pub, letter: okLetter() },
    { visibility: 'private', kind: 'themes', authority: 'Wakefield', publication: pub, letter: { status: 'unavailable', reason: 'not read yet' } },
    { visibility: 'private', kind: 'history', authority: 'Wakefield', publications: [pub, { ...pub, id: 2, type: 'inspection', publicationDate: '2022-01-01' }], text: 'Wakefield: 2 publications' },
    { visibility: 'private', kind: 'search', words: 'care leavers', hits: [{ publication: pub, snippet: 'care leavers [link](http://x) have <b>personal</b> advisers' }], text: '1 letter mentions care leavers' },
    { visibility: 'private', kind: 'digest-set', setting: { mode: 'daily', time: '08:30' }, text: 'This channel will get a daily digest at 08:30.' },
  ];

  it.each(replies.map((r) => [r.kind, r] as const))('%s: valid cards within budget', (_kind, reply) => {
    expectSendable(renderReply(reply));
  });

  it('the list has Pause/Resume and Unsubscribe buttons naming each subscription by id', () => {
    const parts = renderReply(replies[7]!);
    const data = every(parts.map((p) => cardsIn(p.activity)), 'Action.Submit').map((a) => a.data);
    expect(data).toEqual([
      { ofsted: { action: 'pause', subscriptionId: 1 } },
      { ofsted: { action: 'unsubscribe', subscriptionId: 1 } },
      { ofsted: { action: 'resume', subscriptionId: 2 } },
      { ofsted: { action: 'unsubscribe', subscriptionId: 2 } },
      { ofsted: { action: 'pause', subscriptionId: 3 } },
      { ofsted: { action: 'unsubscribe', subscriptionId: 3 } },
    ]);
    expect(JSON.stringify(parts)).toContain('paused (bot_removed');
    expect(JSON.stringify(parts)).toContain('Delivery: a weekly digest on Mondays at 09:00');
  });

  it('`code` spans are monospace runs; the reply text is the plain-text fallback and the notification', () => {
    const parts = renderReply(replies[3]!);
    const runs = every(cardsIn(parts[0]!.activity), 'TextRun');
    expect(runs.find((r) => r.text === 'subscribe')).toMatchObject({ fontType: 'Monospace' });
    expect(parts[0]!.activity.summary).toContain('Did you mean subscribe?');
    expect(parts[0]!.fallbackText).toContain('Did you mean subscribe?');
  });

  it('a huge list or search result is spread over several cards', () => {
    const many = Array.from({ length: 400 }, (_, i) => subscription(i + 1, { targetName: `Council ${i} ${'with a long name '.repeat(5)}` }));
    const parts = renderReply({ visibility: 'private', kind: 'subscriptions', subscriptions: many, digest: { mode: 'off' }, text: 'Many.' });
    expectSendable(parts);
    expect(parts.length).toBeGreaterThan(1);
    expect(JSON.stringify(parts)).toContain('Council 399');
  });

  it('the themes lookup is the details card', () => {
    const parts = renderThemeParts(wakefieldAlert());
    expectSendable(parts);
    expect(JSON.stringify(parts)).toContain('Some placements are made without matching.');
  });
});
