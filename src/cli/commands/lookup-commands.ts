// `authorities [QUERY]` and `publications AUTHORITY`: what the registry and the store know.
import type { AppContext } from '../../app/context.ts';
import type { Authority } from '../../authorities/registry.ts';
import { formatDidYouMean } from '../../authorities/resolve.ts';
import { publicationsFor } from '../../store/publications.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

const line = (a: Authority) =>
  `${a.name.padEnd(36)} URN ${a.urn.padEnd(8)} GSS ${(a.gss ?? '-').padEnd(10)} DfE ${(a.dfeCode ?? '-').padEnd(4)} ${a.regionName ?? '(region unknown)'}`;

export async function authoritiesCommand(ctx: AppContext, query: string, opts: { json: boolean }, io: Output): Promise<number> {
  if (query.trim() === '') {
    const all = ctx.directory.all();
    if (opts.json) for (const a of all) io.out(JSON.stringify(a));
    else {
      for (const a of all) io.out(line(a));
      io.err(`${all.length} councils`);
    }
    return EXIT.OK;
  }
  const r = ctx.directory.resolver().resolve(query);
  if (r.kind !== 'match') {
    if (opts.json) io.out(JSON.stringify({ input: query, kind: r.kind, suggestions: r.suggestions.map((s) => s.name) }));
    io.err(`${r.kind === 'ambiguous' ? `"${query}" could mean several councils.` : `No council matches "${query}".`} ${formatDidYouMean(r)}`.trim());
    return EXIT.NOT_FOUND;
  }
  if (opts.json) for (const a of r.authorities) io.out(JSON.stringify({ ...a, matchedBy: r.via }));
  else {
    for (const a of r.authorities) io.out(line(a));
    if (r.via !== 'name' && r.via !== 'urn' && r.via !== 'gss' && r.via !== 'dfe') io.err(`(matched by ${r.via})`);
  }
  return EXIT.OK;
}

export async function publicationsCommand(ctx: AppContext, query: string, opts: { json: boolean }, io: Output): Promise<number> {
  const r = ctx.directory.resolver().resolve(query);
  if (r.kind !== 'match') {
    io.err(`${r.kind === 'ambiguous' ? `"${query}" could mean several councils.` : `No council matches "${query}".`} ${formatDidYouMean(r)}`.trim());
    return EXIT.NOT_FOUND;
  }
  if (r.authorities.length > 1) {
    io.err(`"${query}" is ${r.authorities.length} councils (${r.via}); name one: ${r.authorities.slice(0, 5).map((a) => a.name).join(', ')}…`);
    return EXIT.NOT_FOUND;
  }
  const authority = r.authorities[0]!;
  const rows = await publicationsFor(ctx.db, [authority.urn], 200);
  if (opts.json) {
    for (const p of rows) io.out(JSON.stringify({ authority: p.authority_name, urn: p.authority_urn, gss: authority.gss, type: p.type, title: p.title, publicationDate: p.publication_date, url: p.url, fileId: p.file_id, firstSeenAt: p.first_seen_at }));
  } else {
    io.out(`${authority.name} (URN ${authority.urn}): ${rows.length} publication(s) recorded`);
    for (const p of rows) io.out(`  ${p.publication_date}  ${p.type.padEnd(16)} ${p.title}  ${p.url}`);
    if (rows.length === 0) io.err('Nothing recorded yet: run `ofsted-alerts poll` (or `sweep`) first.');
  }
  return EXIT.OK;
}
