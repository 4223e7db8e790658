// What a person named → subscription targets, all or nothing: if any one name is unknown or ambiguous,
// the answer is a "did you mean" reply and nothing is resolved (so nothing will be changed). Council
// names go through the resolver (typos, aliases, codes, lists such as "Wakefield, Leeds and Bradford");
// a region's name gives a region target; `region:NAME` must name a region.
import type { AuthorityDirectory } from '../app/authority-directory.ts';
import { displayName } from '../authorities/resolve.ts';
import type { Authority, Region } from '../authorities/registry.ts';
import { editDistance } from '../authorities/normalise.ts';
import type { Reply, TargetSpec } from '../chat/types.ts';
import type { ResolvedTarget } from '../subscriptions/subscription-rows.ts';
import { echo } from './parse-command.ts';
import { listWords } from './describe.ts';

export type TargetsResolution = { ok: true; targets: ResolvedTarget[] } | { ok: false; reply: Reply };

interface Failure {
  input: string;
  kind: 'ambiguous' | 'unknown';
  suggestions: string[];
  what: 'council' | 'region';
}

/** At most this many names in one command. */
const MAX_TARGETS = 60;

export const ALL_TARGET: ResolvedTarget = { target: { kind: 'all' }, name: 'all councils' };

export function resolveTargets(directory: AuthorityDirectory, specs: readonly TargetSpec[], verb: string): TargetsResolution {
  const registry = directory.registry();
  const targets: ResolvedTarget[] = [];
  const failures: Failure[] = [];
  const regionTarget = (r: Region): ResolvedTarget => ({ target: { kind: 'region', regionCode: r.id }, name: r.name });

  for (const spec of specs) {
    if (spec.kind === 'all') {
      targets.push(ALL_TARGET);
      continue;
    }
    if (spec.kind === 'region') {
      const r = registry.findRegion(spec.text);
      if (r) targets.push(regionTarget(r));
      else failures.push({ input: spec.text, kind: 'unknown', suggestions: nearRegions(registry.regions(), spec.text), what: 'region' });
      continue;
    }
    const parts = directory.resolver().resolveMany(spec.text);
    if (parts.length === 0) failures.push({ input: spec.text, kind: 'unknown', suggestions: [], what: 'council' });
    for (const part of parts) {
      const r = part.resolution;
      if (r.kind !== 'match') {
        failures.push({ input: part.input, kind: r.kind, suggestions: r.suggestions.map(displayName), what: 'council' });
        continue;
      }
      if (r.authorities.length === 1) {
        const a = r.authorities[0] as Authority;
        targets.push({ target: { kind: 'authority', urn: a.urn }, name: displayName(a) });
        continue;
      }
      // only a region matches several councils
      const code = r.authorities[0]?.regionCode ?? null;
      const region = code ? registry.regions().find((x) => x.id === code) : undefined;
      if (region && r.authorities.every((a) => a.regionCode === code)) targets.push(regionTarget(region));
      else failures.push({ input: part.input, kind: 'ambiguous', suggestions: r.authorities.slice(0, 10).map(displayName), what: 'council' });
    }
  }

  if (failures.length > 0) return { ok: false, reply: didYouMean(failures, verb) };
  if (targets.length > MAX_TARGETS) {
    return { ok: false, reply: { visibility: 'private', kind: 'error', text: `That names ${targets.length} councils or regions; at most ${MAX_TARGETS} at once. For a whole region use \`${verb} region:"NAME"\`, for everything \`${verb} all\`. Nothing was changed.` } };
  }
  return { ok: true, targets };
}

function nearRegions(regions: readonly Region[], text: string): string[] {
  const t = text.toLowerCase().trim();
  return regions
    .map((r) => ({ r, d: editDistance(t, r.name.toLowerCase(), 12) }))
    .sort((a, b) => a.d - b.d || a.r.name.localeCompare(b.r.name))
    .slice(0, 3)
    .map((x) => x.r.name);
}

export function failureLine(f: { input: string; kind: 'ambiguous' | 'unknown'; suggestions: readonly string[]; what: 'council' | 'region' }): string {
  if (f.kind === 'ambiguous') return `${echo(f.input)} could mean several councils: ${listWords(f.suggestions, 'or')}.`;
  const none = `No ${f.what} matches ${echo(f.input)}.`;
  return f.suggestions.length > 0 ? `${none} Did you mean: ${f.suggestions.join(', ')}?` : none;
}

function didYouMean(failures: readonly Failure[], verb: string): Reply {
  const first = failures[0] as Failure;
  const lines = failures.slice(0, 5).map(failureLine);
  if (failures.length > 5) lines.push(`(and ${failures.length - 5} more)`);
  const example = verb === 'subscribe' || verb === 'unsubscribe' || verb === 'pause' || verb === 'resume' ? verb : 'subscribe';
  lines.push(`Nothing was changed. Name councils (\`${example} Wakefield, Leeds\`), a region (\`${example} region:"London"\`) or \`${example} all\`.`);
  return { visibility: 'private', kind: 'did-you-mean', input: first.input, suggestions: first.suggestions, text: lines.join('\n') };
}
