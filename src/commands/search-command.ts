// `search WORDS`: full-text search over the letters already read (searchLetters). Private unless `public`.
import type { Command, Reply } from '../chat/types.ts';
import { publicationViewOf } from '../delivery/build-alert.ts';
import { searchLetters } from '../store/letters.ts';
import type { CommandDeps } from './command-deps.ts';
import { echo } from './parse-command.ts';

const SEARCH_LIMIT = 10;

export async function searchCommand(deps: CommandDeps, cmd: Extract<Command, { kind: 'search' }>, visibility: Reply['visibility']): Promise<Reply> {
  const hits = await searchLetters(deps.db, cmd.words, { limit: SEARCH_LIMIT });
  const results = hits.map((h) => ({
    publication: publicationViewOf(
      { id: h.publicationId, authorityName: h.authority, urn: h.urn, type: h.type, title: h.title, publicationDate: h.publicationDate, url: h.url },
      deps.baseUrl,
    ),
    snippet: h.snippet,
  }));
  const text =
    results.length === 0
      ? `No letter read so far mentions ${echo(cmd.words)}. Only letters already read are searched (those announced since the watcher started, and those looked up).`
      : [`${results.length === SEARCH_LIMIT ? `The ${SEARCH_LIMIT} best matches` : `${results.length} letter(s)`} for ${echo(cmd.words)}:`,
          ...results.map((r) => `• ${r.publication.authority}, ${r.publication.publicationDate}: …${r.snippet}… ${r.publication.url}`)].join('\n');
  return { visibility: results.length === 0 ? 'private' : visibility, kind: 'search', words: cmd.words, hits: results, text };
}
