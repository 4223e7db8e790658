// The console adapter: the "console" consumer of publication events. It prints each new (or re-published)
// publication once its letter is settled (read, or failed with a reason), then moves its offset.
import { eventsAfter, getOffset, setOffset } from '../../src/store/events.ts';
import { getLetter } from '../../src/store/letters.ts';
import { publicationById } from '../../src/store/publications.ts';
import { isSettled } from '../../src/pipeline/ensure-letter.ts';
import type { Db } from '../../src/store/db.ts';
import type { PublicationEvent } from '../../src/watcher/publication-event.ts';
import { renderConsoleAlert } from './render-console.ts';

export const CONSOLE_CONSUMER = 'console';

export async function announceToConsole(
  deps: { db: Db; now: () => Date; write: (text: string) => void },
  opts: { batch?: number } = {},
): Promise<{ printed: number; waiting: boolean }> {
  const offset = await getOffset(deps.db, CONSOLE_CONSUMER);
  const events = await eventsAfter(deps.db, offset, opts.batch ?? 50, ['publication.new', 'publication.republished']);
  let printed = 0;
  for (const e of events) {
    const publication = await publicationById(deps.db, e.publication_id);
    const letter = await getLetter(deps.db, e.publication_id);
    if (publication && !isSettled(letter, publication.file_id)) return { printed, waiting: true };
    const payload = JSON.parse(e.payload) as PublicationEvent;
    deps.write(renderConsoleAlert(payload, e.kind === 'publication.new' ? 'new' : 'republished', letter));
    await setOffset(deps.db, CONSOLE_CONSUMER, e.id, deps.now());
    printed++;
  }
  return { printed, waiting: false };
}
