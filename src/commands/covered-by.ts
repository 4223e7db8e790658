// Which of a channel's remaining subscriptions still cover a council (its region, or all councils), so
// "unsubscribe Leeds" can say Leeds still arrives through "Yorkshire and the Humber".
import type { AuthorityDirectory } from '../app/authority-directory.ts';
import type { Subscription } from '../chat/types.ts';
import type { ResolvedTarget } from '../subscriptions/subscription-rows.ts';
import { targetCovers } from '../subscriptions/matching.ts';
import { names } from './describe.ts';

export function coverageNotes(directory: AuthorityDirectory, asked: readonly ResolvedTarget[], remaining: readonly Subscription[]): string[] {
  const notes: string[] = [];
  for (const t of asked) {
    if (t.target.kind !== 'authority') continue;
    const urn = t.target.urn;
    const regionCode = directory.registry().byUrn(urn)?.regionCode ?? null;
    const covering = remaining.filter((s) => s.target.kind !== 'authority' && targetCovers(s, { urn, regionCode, type: 'other' }));
    if (covering.length > 0) notes.push(`${t.name} still arrives through ${names(covering)}.`);
  }
  return notes;
}
