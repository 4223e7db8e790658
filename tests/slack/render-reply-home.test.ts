// Replies of every kind and the Home tab as Block Kit: what they show, and that they fit.
import { describe, expect, it } from 'vitest';
import type { PublicationView, Reply } from '../../src/chat/types.ts';
import { limitViolations, SLACK_LIMITS } from '../../adapters/slack/render/limits.ts';
import { renderReply } from '../../adapters/slack/render/render-reply.ts';
import { HOME_ACTIONS, renderHome } from '../../adapters/slack/render/render-home.ts';
import { blockProblem } from '../fakes/fake-slack.ts';
import { okLetter, rng, sentence, subscription, WAKEFIELD } from './fixtures.ts';

const text = (r: { blocks: unknown[] }) => JSON.stringify(r.blocks);
const fits = (r: { text: string; blocks: unknown[] }) => {
  expect(limitViolations(r)).toEqual([]);
  expect(blockProblem(r.blocks)).toBeNull();
};

describe('replies', () => {
  it('text, help and errors: private, escaped, long help split into sections', () => {
    const r = renderReply({ kind: 'text', visibility: 'private', text: 'a < b & c' });
    expect(r.response_type).toBe('ephemeral');
    expect(text(r)).toContain('a &lt; b &amp; c');
    const help = renderReply({ kind: 'help', visibility: 'private', text: Array.from({ length: 40 }, (_, i) => `*Section ${i}*\n${sentence(rng(i), 60)}`).join('\n\n') });
    expect(help.blocks.length).toBeGreaterThan(2);
    fits(help);
    const err = renderReply({ kind: 'error', visibility: 'private', text: 'No council called “Wakfield”.' });
    expect(text(err)).toContain('⚠️ No council');
    const empty = renderReply({ kind: 'text', visibility: 'private', text: '' });
    fits(empty);
  });

  it('did-you-mean lists the suggestions', () => {
    const r = renderReply({ kind: 'did-you-mean', visibility: 'private', input: 'Wakfeild', suggestions: ['Wakefield', 'Wokingham'], text: 'I don’t know “Wakfeild”. Did you mean one of these?' });
    expect(text(r)).toContain('• Wakefield');
    expect(text(r)).toContain('• Wokingham');
    fits(r);
  });

  it('subscribed and subscriptions show targets, filters, frequency and status; public replies go in the channel', () => {
    const created = subscription(1, { types: ['inspection', 'focused-visit'], themes: ['care-leavers'] });
    const paused = subscription(2, { targetName: 'Yorkshire and the Humber', target: { kind: 'region', regionCode: 'E12000003' }, status: 'paused', statusReason: 'channel_not_found: the channel was deleted' });
    const r = renderReply({ kind: 'subscribed', visibility: 'public', created: [created], alreadyHad: [paused], updated: [], text: 'Subscribed.' });
    expect(r.response_type).toBe('in_channel');
    const t = text(r);
    expect(t).toContain("*Wakefield* · children's services inspection, focused visit · themes: Care leavers · as published");
    expect(t).toContain('already subscribed');
    const list = renderReply({ kind: 'subscriptions', visibility: 'private', subscriptions: [created, paused, subscription(3, { status: 'ended' })], digest: { mode: 'weekly', day: 'monday', time: '09:00' }, text: 'This channel follows:' });
    const lt = text(list);
    expect(lt).toContain('⏸️ paused (channel_not_found: the channel was deleted)');
    expect(lt).toContain('a weekly digest on Monday at 09:00');
    expect(lt).not.toContain('ended');
    fits(list);
  });

  it('a very long list says how many lines were left out', () => {
    const subs = Array.from({ length: 400 }, (_, i) => subscription(i + 1, { targetName: `Council number ${i} ${'with a long name '.repeat(3)}` }));
    const r = renderReply({ kind: 'subscriptions', visibility: 'private', subscriptions: subs, digest: { mode: 'off' }, text: 'All of them:' });
    fits(r);
    const m = /…and (\d+) more/.exec(text(r));
    expect(m).not.toBeNull();
    const shown = (text(r).match(/\*Council number/g) ?? []).length;
    expect(shown + Number(m![1])).toBe(400);
  });

  it('history and search link each publication; search shows snippets', () => {
    const pubs: PublicationView[] = Array.from({ length: 120 }, (_, i) => ({ ...WAKEFIELD, id: i, publicationDate: `20${String(10 + (i % 15)).padStart(2, '0')}-01-0${1 + (i % 9)}` }));
    const h = renderReply({ kind: 'history', visibility: 'private', authority: 'Wakefield', publications: pubs, text: 'Wakefield’s publications:' });
    expect(text(h)).toContain('<https://files.ofsted.gov.uk/v1/file/50012345|Focused visit>');
    fits(h);
    const s = renderReply({
      kind: 'search', visibility: 'public', words: 'pathway plans', text: 'Letters mentioning “pathway plans”:',
      hits: Array.from({ length: 80 }, (_, i) => ({ publication: { ...WAKEFIELD, id: i }, snippet: `…the quality of [pathway plans] ${sentence(rng(i), 80)}` })),
    });
    expect(s.response_type).toBe('in_channel');
    expect(text(s)).toMatch(/…and \d+ more results/);
    fits(s);
  });

  it('publication and themes lookups reuse the alert layout', () => {
    const p = renderReply({ kind: 'publication', visibility: 'private', publication: WAKEFIELD, letter: okLetter() });
    expect(p.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Wakefield: Focused visit' } });
    expect(p.text).not.toMatch(/^New:/);
    const t = renderReply({ kind: 'themes', visibility: 'private', authority: 'Wakefield', publication: WAKEFIELD, letter: okLetter() });
    expect(t.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Wakefield: themes' } });
    expect(text(t)).toContain('Some placements are made without matching.');
    const u = renderReply({ kind: 'themes', visibility: 'private', authority: 'Wakefield', publication: WAKEFIELD, letter: { status: 'unavailable', reason: 'the file is not a PDF' } });
    expect(text(u)).toContain('the summary is unavailable: the file is not a PDF');
  });

  it('every kind renders within limits', () => {
    const r = rng(7);
    const replies: Reply[] = [
      { kind: 'digest-set', visibility: 'private', setting: { mode: 'daily', time: '08:00' }, text: 'Daily digest at 08:00.' },
      { kind: 'unsubscribed', visibility: 'public', ended: Array.from({ length: 90 }, (_, i) => subscription(i)), text: sentence(r, 900) },
      { kind: 'did-you-mean', visibility: 'private', input: 'x', suggestions: Array.from({ length: 500 }, () => sentence(r, 10)), text: sentence(r, 1000) },
    ];
    for (const reply of replies) fits(renderReply(reply));
  });
});

describe('Home tab', () => {
  it('groups subscriptions by channel, with pause/resume and unsubscribe buttons carrying the id', () => {
    const subs = [
      subscription(1),
      subscription(2, { targetName: 'Leeds', status: 'paused', statusReason: 'paused by U1' }),
      subscription(3, { channel: { platform: 'slack', workspace: 'TAAAAAAAA', channel: 'C0000000002' }, targetName: 'all councils', target: { kind: 'all' } }),
      subscription(4, { status: 'ended' }),
    ];
    const view = renderHome({ subscriptions: subs, notice: 'Paused Leeds.' });
    expect(view.type).toBe('home');
    const t = JSON.stringify(view.blocks);
    expect(t.indexOf('<#C0000000001>')).toBeLessThan(t.indexOf('<#C0000000002>'));
    expect(t).toContain('2 subscriptions');
    const actions = view.blocks.filter((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] }[];
    expect(actions).toHaveLength(3);
    expect(actions[0]!.elements.map((e) => [e.action_id, e.value])).toEqual([[HOME_ACTIONS.pause, '1'], [HOME_ACTIONS.unsubscribe, '1']]);
    expect(actions[1]!.elements.map((e) => [e.action_id, e.value])).toEqual([[HOME_ACTIONS.resume, '2'], [HOME_ACTIONS.unsubscribe, '2']]);
    expect(t).toContain('Paused Leeds.');
    expect(t).not.toContain('"value":"4"');
  });

  it('stays within 100 blocks and says what it left out', () => {
    const subs = Array.from({ length: 300 }, (_, i) => subscription(i + 1, { channel: { platform: 'slack', workspace: 'T1', channel: `C${String(i % 40).padStart(9, '0')}` } }));
    const view = renderHome({ subscriptions: subs });
    expect(view.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.homeBlocks);
    expect(blockProblem(view.blocks, 100, Number.POSITIVE_INFINITY)).toBeNull();
    const shown = view.blocks.filter((b) => b.type === 'actions').length;
    expect(JSON.stringify(view.blocks)).toContain(`…and ${300 - shown} more subscriptions`);
  });

  it('shows how to start when there is nothing', () => {
    expect(JSON.stringify(renderHome({ subscriptions: [] }).blocks)).toContain('/ofsted subscribe Wakefield');
  });
});
