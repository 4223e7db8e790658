// `latest`, `history` and `themes COUNCIL`: what the store knows about one council, as PublicationView
// and LetterView (the same builders the alerts use). Private unless `public` was given.
import type { Command, Reply } from '../chat/types.ts';
import { publicationView } from '../delivery/build-alert.ts';
import { publicationsFor } from '../store/publications.ts';
import type { CommandDeps } from './command-deps.ts';
import { TYPE_NAMES } from './describe.ts';
import { letterForLookup } from './letter-for-lookup.ts';
import { resolveCouncil } from './resolve-council.ts';
import { displayName } from '../authorities/resolve.ts';
import { asPublicationType } from '../delivery/build-alert.ts';

type Visibility = Reply['visibility'];
const HISTORY_LIMIT = 20;

export async function lookupCommand(deps: CommandDeps, cmd: Extract<Command, { kind: 'latest' | 'history' | 'themes' }>, visibility: Visibility): Promise<Reply> {
  const council = resolveCouncil(deps.directory, cmd.query, cmd.kind);
  if (!council.ok) return council.reply;
  const name = displayName(council.authority);
  const rows = await publicationsFor(deps.db, [council.authority.urn], cmd.kind === 'history' ? HISTORY_LIMIT : 1);
  if (rows.length === 0) {
    return { visibility: 'private', kind: 'text', text: `Nothing from Ofsted about ${name} is recorded yet.` };
  }
  if (cmd.kind === 'history') {
    const publications = rows.map((p) => publicationView(p, deps.baseUrl));
    const lines = publications.map((p) => `• ${p.publicationDate}: ${TYPE_NAMES[asPublicationType(p.type)]} (${p.title}) ${p.url}`);
    const more = rows.length === HISTORY_LIMIT ? `\n(the ${HISTORY_LIMIT} newest; all of them: ${publications[0]!.authorityPageUrl})` : '';
    return { visibility, kind: 'history', authority: name, publications, text: `${name}: ${rows.length} publication(s), newest first\n${lines.join('\n')}${more}` };
  }
  const latest = rows[0]!;
  const publication = publicationView(latest, deps.baseUrl);
  const letter = await letterForLookup(deps, latest);
  if (cmd.kind === 'themes') return { visibility, kind: 'themes', authority: name, publication, letter };
  return { visibility, kind: 'publication', publication, letter };
}
