// The letter of a publication for a lookup. With letter deps, a letter not read yet is read now through
// ensureLetter — once: it reuses a stored result, and concurrent lookups of one publication share one
// read. Without them, what is stored is shown.
import type { LetterView } from '../chat/types.ts';
import { letterView } from '../delivery/build-alert.ts';
import { ensureLetter, isSettled, type EnsureOutcome, type LetterDeps } from '../pipeline/ensure-letter.ts';
import { getLetter } from '../store/letters.ts';
import type { Publication } from '../store/schema.ts';
import type { CommandDeps } from './command-deps.ts';

const inFlight = new WeakMap<LetterDeps, Map<number, Promise<EnsureOutcome>>>();

export async function letterForLookup(deps: CommandDeps, publication: Publication): Promise<LetterView> {
  const stored = await getLetter(deps.db, publication.id);
  if (isSettled(stored, publication.file_id) || !deps.letters) return letterView(stored);
  const letters = deps.letters;
  let reads = inFlight.get(letters);
  if (!reads) inFlight.set(letters, (reads = new Map()));
  let read = reads.get(publication.id);
  if (!read) {
    read = ensureLetter(letters, publication).finally(() => reads.delete(publication.id));
    reads.set(publication.id, read);
  }
  try {
    const outcome = await read;
    if (outcome.state === 'ready') return letterView(outcome.letter);
    return { status: 'unavailable', reason: `the letter could not be read just now (${outcome.reason}); try again later` };
  } catch (error) {
    deps.logger.error({ err: error, publicationId: publication.id }, 'reading a letter for a lookup failed');
    return { status: 'unavailable', reason: 'the letter could not be read just now; try again later' };
  }
}
