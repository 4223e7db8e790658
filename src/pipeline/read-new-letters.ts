// The "letters" consumer: for each new or re-published publication event, read its letter.
// The offset moves only past events whose letter is settled, so a crash or shutdown replays, never skips.
import { eventsAfter, getOffset, setOffset } from '../store/events.ts';
import { publicationById } from '../store/publications.ts';
import { ensureLetter, type LetterDeps } from './ensure-letter.ts';

export const LETTERS_CONSUMER = 'letters';

export async function readNewLetters(deps: LetterDeps, opts: { signal?: AbortSignal; batch?: number } = {}): Promise<{ read: number; pending: number }> {
  let offset = await getOffset(deps.db, LETTERS_CONSUMER);
  const events = await eventsAfter(deps.db, offset, opts.batch ?? 20, ['publication.new', 'publication.republished']);
  let read = 0;
  for (const event of events) {
    if (opts.signal?.aborted) break;
    const publication = await publicationById(deps.db, event.publication_id);
    if (publication) {
      const outcome = await ensureLetter(deps, publication, opts.signal);
      if (outcome.state === 'retry-later') break; // keep the order: try again on the next tick
      read++;
    }
    offset = event.id;
    await setOffset(deps.db, LETTERS_CONSUMER, offset, deps.now());
  }
  const pending = (await eventsAfter(deps.db, offset, 1000, ['publication.new', 'publication.republished'])).length;
  return { read, pending };
}
