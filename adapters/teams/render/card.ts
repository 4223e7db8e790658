// Adaptive Card 1.5 building blocks (Teams renders up to 1.5), as plain JSON. Pure; no SDK.
// Text that comes from people or from letters goes into RichTextBlock/TextRun, which Teams shows as
// typed (no Markdown), so nothing in a letter or a command can turn into a link or formatting. The
// domain's `code` spans become monospace runs. Our own fixed text may use TextBlock.

export const CARD_VERSION = '1.5';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The longest text put in one element; longer text is cut (with …) or spread over several elements. */
export const MAX_ELEMENT_TEXT = 3_000;

export type CardElement = { type: string } & Record<string, unknown>;
export type CardAction = { type: 'Action.OpenUrl' | 'Action.Submit' | 'Action.ShowCard' | 'Action.Execute'; title: string } & Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema?: string;
  version?: string;
  body: CardElement[];
  actions?: CardAction[];
  fallbackText?: string;
  msteams?: { width: 'Full' };
}

export type TextColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';

/** Cuts text to max characters at a word where possible, ending with an ellipsis. */
export function cut(text: string, max: number): string {
  const t = text ?? '';
  if (t.length <= max) return t;
  if (max <= 1) return '…'.slice(0, max);
  let end = max - 1;
  // never split a surrogate pair
  if (/[\uD800-\uDBFF]/.test(t.charAt(end - 1))) end--;
  const slice = t.slice(0, end);
  const space = slice.lastIndexOf(' ');
  return `${space > max * 0.6 ? slice.slice(0, space) : slice}…`;
}

/** Removes characters a card cannot show (controls other than new lines) and lone surrogates. */
export function clean(text: string): string {
  return String(text ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** Our own text (no outside input): a TextBlock, Markdown allowed. */
export function textBlock(text: string, opts: { size?: 'Small' | 'Default' | 'Medium' | 'Large'; weight?: 'Bolder'; subtle?: boolean; color?: TextColor; spacing?: 'None' | 'Small' | 'Medium' | 'Large'; separator?: boolean; heading?: boolean } = {}): CardElement {
  return {
    type: 'TextBlock',
    text: cut(clean(text), MAX_ELEMENT_TEXT),
    wrap: true,
    ...(opts.heading ? { style: 'heading' } : {}),
    ...(opts.size ? { size: opts.size } : {}),
    ...(opts.weight ? { weight: opts.weight } : {}),
    ...(opts.subtle ? { isSubtle: true } : {}),
    ...(opts.color ? { color: opts.color } : {}),
    ...(opts.spacing ? { spacing: opts.spacing } : {}),
    ...(opts.separator ? { separator: true } : {}),
  };
}

export interface RunOptions {
  weight?: 'Bolder';
  italic?: boolean;
  subtle?: boolean;
  color?: TextColor;
  size?: 'Small' | 'Default' | 'Medium';
}

export function textRun(text: string, opts: RunOptions & { monospace?: boolean } = {}): CardElement {
  return {
    type: 'TextRun',
    text,
    ...(opts.monospace ? { fontType: 'Monospace' } : {}),
    ...(opts.weight ? { weight: opts.weight } : {}),
    ...(opts.italic ? { italic: true } : {}),
    ...(opts.subtle ? { isSubtle: true } : {}),
    ...(opts.color ? { color: opts.color } : {}),
    ...(opts.size ? { size: opts.size } : {}),
  };
}

/**
 * Text from outside (letters, replies that quote people): shown as typed. `code` spans of the domain's
 * replies become monospace runs when codeSpans is set. Cut to MAX_ELEMENT_TEXT.
 */
export function plainText(text: string, opts: RunOptions & { codeSpans?: boolean; spacing?: 'None' | 'Small' | 'Medium'; separator?: boolean; prefix?: CardElement[] } = {}): CardElement {
  const t = cut(clean(text), MAX_ELEMENT_TEXT);
  const runs: CardElement[] = [...(opts.prefix ?? [])];
  if (opts.codeSpans) {
    const pieces = t.split('`');
    if (pieces.length % 2 === 1) {
      pieces.forEach((piece, i) => {
        if (piece !== '') runs.push(textRun(piece, { ...opts, monospace: i % 2 === 1 }));
      });
    } else {
      runs.push(textRun(t, opts)); // unbalanced backticks: shown as typed
    }
  } else if (t !== '') {
    runs.push(textRun(t, opts));
  }
  if (runs.length === 0) runs.push(textRun(' '));
  return { type: 'RichTextBlock', inlines: runs, ...(opts.spacing ? { spacing: opts.spacing } : {}), ...(opts.separator ? { separator: true } : {}) };
}

export function factSet(facts: { title: string; value: string }[]): CardElement {
  return { type: 'FactSet', facts: facts.map((f) => ({ title: cut(clean(f.title), 200), value: cut(clean(f.value), 1_000) })) };
}

export function container(items: CardElement[], opts: { style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent'; spacing?: 'None' | 'Small' | 'Medium' | 'Large'; separator?: boolean } = {}): CardElement {
  return { type: 'Container', items, ...(opts.style ? { style: opts.style } : {}), ...(opts.spacing ? { spacing: opts.spacing } : {}), ...(opts.separator ? { separator: true } : {}) };
}

export function actionSet(actions: CardAction[]): CardElement {
  return { type: 'ActionSet', actions };
}

export const isWebUrl = (url: string | undefined | null): url is string => {
  if (!url || url.length > 2_048) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

export function openUrl(title: string, url: string, opts: { style?: 'positive' | 'destructive' } = {}): CardAction {
  return { type: 'Action.OpenUrl', title: cut(clean(title), 80), url, ...(opts.style ? { style: opts.style } : {}) };
}

/** Card data this app puts on its buttons; Teams sends it back as the message's (or invoke's) value. */
export interface ActionData {
  ofsted: TeamsCardAction;
}

export type TeamsCardAction =
  | { action: 'pause' | 'unsubscribe'; urn: string; council: string }
  | { action: 'pause' | 'resume' | 'unsubscribe'; subscriptionId: number }
  | { action: 'command'; command: 'help' | 'list' };

export function submit(title: string, data: TeamsCardAction, opts: { style?: 'positive' | 'destructive' } = {}): CardAction {
  return { type: 'Action.Submit', title: cut(clean(title), 80), data: { ofsted: data } satisfies ActionData, ...(opts.style ? { style: opts.style } : {}) };
}

export function showCard(title: string, body: CardElement[], actions: CardAction[] = []): CardAction {
  return { type: 'Action.ShowCard', title: cut(clean(title), 80), card: { type: 'AdaptiveCard', body, ...(actions.length ? { actions } : {}) } };
}

export function card(body: CardElement[], actions: CardAction[] = [], fallbackText?: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    body: body.length ? body : [textBlock(' ')],
    ...(actions.length ? { actions } : {}),
    ...(fallbackText ? { fallbackText: cut(clean(fallbackText), 2_000) } : {}),
    msteams: { width: 'Full' },
  };
}
