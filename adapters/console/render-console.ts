// Renders a publication and its letter's summary as plain text for a terminal. Only renders.
import type { Letter } from '../../src/store/schema.ts';
import type { LetterSummary } from '../../src/letters/types.ts';
import { renderSummaryText } from '../../src/letters/summarise.ts';
import type { PublicationEvent } from '../../src/watcher/publication-event.ts';

const TYPE_NAMES: Record<string, string> = {
  inspection: 'Inspection',
  'focused-visit': 'Focused visit',
  'monitoring-visit': 'Monitoring visit',
  jtai: 'Joint targeted area inspection',
  send: 'Area SEND inspection',
  other: 'Publication',
};

export function renderConsoleAlert(event: PublicationEvent, kind: 'new' | 'republished', letter: Letter | undefined): string {
  const rule = '─'.repeat(72);
  const head = kind === 'new' ? 'NEW' : 'RE-PUBLISHED';
  const lines = [
    rule,
    `${head}: ${event.authority}: ${TYPE_NAMES[event.type] ?? event.title} (published ${event.publicationDate})`,
    `Letter: ${event.url}`,
  ];
  if (letter?.status === 'ok' && letter.summary) {
    lines.push('', renderSummaryText(JSON.parse(letter.summary) as LetterSummary));
  } else {
    lines.push(`Summary unavailable${letter?.reason ? `: ${letter.reason}` : ''}.`);
  }
  lines.push(rule);
  return lines.join('\n');
}
