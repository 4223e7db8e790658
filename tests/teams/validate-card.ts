// Parses an Adaptive Card with Microsoft's `adaptivecards` package (the renderer's own object model), for
// Teams' version 1.5, and returns every problem it reports: parse events (unknown elements or actions,
// properties newer than 1.5, bad values) and validateProperties() failures (missing required properties,
// too many actions, duplicate ids…). An empty list means the card is what Teams can render.
// Under Node 20 the package's ESM entry needs a DOM, so its bundled UMD build is loaded.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

export interface CardProblem {
  phase: 'parse' | 'validate';
  event: string;
  message: string;
}

export function cardProblems(json: unknown): CardProblem[] {
  const problems: CardProblem[] = [];
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push({ phase: 'parse', event: AC.ValidationEvent[e.event] ?? String(e.event), message: e.message });
  }
  const results = card.validateProperties();
  for (const e of results.validationEvents) problems.push({ phase: 'validate', event: AC.ValidationEvent[e.event] ?? String(e.event), message: e.message });
  // the card declares 1.5 and nothing newer
  const version = (json as { version?: string }).version;
  if (version !== '1.5') problems.push({ phase: 'parse', event: 'Version', message: `card version is ${String(version)}, Teams renders up to 1.5` });
  // nested cards (Action.ShowCard) are checked by parse() too
  return problems;
}

/** Every Adaptive Card in a Teams activity's attachments. */
export function cardsIn(activity: unknown): unknown[] {
  const a = activity as { attachments?: { contentType?: string; content?: unknown }[] };
  return (a.attachments ?? []).filter((x) => x.contentType === 'application/vnd.microsoft.card.adaptive').map((x) => x.content);
}
