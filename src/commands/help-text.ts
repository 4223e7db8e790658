// What `help` says: the grammar, with examples, and on a topic the details (valid type and theme ids).
// Plain text with `code` spans, which every platform renders.
import { PUBLICATION_TYPES } from '../letters/types.ts';
import { TAXONOMY } from '../themes/taxonomy.ts';

const GENERAL = [
  "Ofsted alerts: Ofsted's new publications about English councils' children's services, posted in this channel.",
  '',
  'Follow councils',
  '• `subscribe Wakefield, Leeds` (names, common typos and codes are understood)',
  '• `subscribe region:"Yorkshire and the Humber"` · `subscribe all` (every council)',
  '• add filters: `types:inspection,focused-visit` · `themes:front-door,care-leavers`',
  '• `unsubscribe Wakefield` · `unsubscribe all`',
  '• `pause` / `resume` (everything, or name councils) · `list` (what this channel follows)',
  '• `digest daily` (08:00) · `digest weekly monday 09:00` · `digest off` (an alert as each publication appears)',
  '',
  'Look things up (only you see the answer; add `public` to share it in the channel)',
  '• `latest Wakefield` · `history Wakefield` · `themes Wakefield`',
  '• `search care leavers accommodation` ("quoted phrases" work)',
  '',
  'More: `help subscribe`, `help digest`, `help search`, `help types`, `help themes`.',
].join('\n');

const TOPICS: Readonly<Record<string, () => string>> = {
  subscribe: () =>
    [
      '`subscribe` follows councils, regions or all councils in this channel.',
      '• `subscribe Wakefield` · `subscribe Wakefield, Leeds and Bradford` · `subscribe E08000036` (a GSS code or URN works too)',
      '• `subscribe region:"Yorkshire and the Humber"` or `subscribe London` (a region name) · `subscribe all`',
      `• \`types:\` only these publications: ${PUBLICATION_TYPES.join(', ')}`,
      '• `themes:` only letters about these themes (`help themes` lists them); a letter that could not be read matches no theme filter',
      'Subscribing again to the same council replaces its filters. If a name is unclear nothing is changed and I suggest what you may have meant.',
      '`unsubscribe NAME` or `unsubscribe all` ends subscriptions; `pause` and `resume` stop and restart them.',
    ].join('\n'),
  digest: () =>
    [
      '`digest` chooses how this channel gets publications:',
      '• `digest off`: an alert as each publication appears (the default)',
      '• `digest daily 08:30`: one message a day (UK time), if there was anything',
      '• `digest weekly friday 16:00`: one message a week',
    ].join('\n'),
  search: () =>
    [
      '`search WORDS` looks through the letters already read for all the words, in any order; "quoted phrases" must appear as written.',
      'e.g. `search care leavers accommodation` · `search "public law outline"`. Add `public` to share the results.',
    ].join('\n'),
  types: () => `Publication types for \`types:\`: ${PUBLICATION_TYPES.join(', ')}.\ne.g. \`subscribe Wakefield types:inspection,focused-visit\``,
  themes: () =>
    [
      'Themes for `themes:` (and what `themes Wakefield` shows):',
      ...TAXONOMY.themes.map((t) => `• \`${t.id}\`: ${t.name}`),
      'e.g. `subscribe all themes:care-leavers,exploitation-and-missing`',
    ].join('\n'),
  latest: () => '`latest Wakefield`: the newest publication about a council, with its summary. Add `public` to share it.',
  history: () => '`history Wakefield`: the publications recorded about a council, newest first.',
  list: () => '`list`: what this channel follows, with filters, paused subscriptions (and why), and the digest setting.',
  unsubscribe: () => '`unsubscribe Wakefield` ends that subscription; `unsubscribe all` ends every subscription of this channel.',
  pause: () => '`pause` stops every subscription of this channel until `resume`; `pause Wakefield` stops just one.',
  resume: () => '`resume` restarts paused subscriptions (also those paused because the app could not post here).',
};

export function helpText(topic?: string): string {
  if (!topic) return GENERAL;
  const t = topic.toLowerCase().replace(/[^a-z]/g, '');
  const key = t === 'type' ? 'types' : t === 'theme' ? 'themes' : t;
  const text = Object.hasOwn(TOPICS, key) ? TOPICS[key] : undefined;
  return text ? text() : `There is no help on “${topic.slice(0, 30)}”.\n\n${GENERAL}`;
}
