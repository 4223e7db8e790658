// One council for a lookup (`latest`, `history`, `themes`): a match of exactly one council, or a reply
// saying why not (unknown or ambiguous: "did you mean"; a region: name one of its councils).
import type { AuthorityDirectory } from '../app/authority-directory.ts';
import { displayName } from '../authorities/resolve.ts';
import type { Authority } from '../authorities/registry.ts';
import type { Reply } from '../chat/types.ts';
import { echo } from './parse-command.ts';
import { failureLine } from './resolve-targets.ts';

export type CouncilResolution = { ok: true; authority: Authority } | { ok: false; reply: Reply };

export function resolveCouncil(directory: AuthorityDirectory, query: string, verb: string): CouncilResolution {
  const r = directory.resolver().resolve(query);
  if (r.kind === 'match' && r.authorities.length === 1) return { ok: true, authority: r.authorities[0] as Authority };
  if (r.kind === 'match') {
    const example = displayName(r.authorities[0] as Authority);
    return {
      ok: false,
      reply: { visibility: 'private', kind: 'text', text: `${echo(query)} is a region of ${r.authorities.length} councils; name one council, e.g. \`${verb} ${example}\`.` },
    };
  }
  const suggestions = r.suggestions.map(displayName);
  return {
    ok: false,
    reply: {
      visibility: 'private',
      kind: 'did-you-mean',
      input: r.input,
      suggestions,
      text: `${failureLine({ input: query, kind: r.kind, suggestions, what: 'council' })} Try \`${verb} Wakefield\`.`,
    },
  };
}
