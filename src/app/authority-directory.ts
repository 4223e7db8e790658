// The councils the product knows: the bundled registry plus any council Ofsted's listing showed that the
// registry lacked (stored in listed_authorities by the watcher), with a resolver over all of them.
// refresh() re-reads the stored ones, so a new council appears without a release.
import type { Db } from '../store/db.ts';
import { createRegistry, loadBundledAuthorities, mergeListed, type Authority, type Registry } from '../authorities/registry.ts';
import { createResolver, type Resolver } from '../authorities/resolve.ts';
import type { AuthorityLookup } from '../watcher/deps.ts';

export interface AuthorityDirectory extends AuthorityLookup {
  registry(): Registry;
  resolver(): Resolver;
  all(): readonly Authority[];
  refresh(): Promise<void>;
}

export async function loadAuthorityDirectory(db: Db): Promise<AuthorityDirectory> {
  const bundled = loadBundledAuthorities();
  let registry = createRegistry(bundled);
  let resolver = createResolver(registry);

  const refresh = async () => {
    const listed = await db.selectFrom('listed_authorities').select(['urn', 'name']).execute();
    const added = mergeListed(createRegistry(bundled), listed);
    registry = createRegistry([...bundled, ...added]);
    resolver = createResolver(registry);
  };
  await refresh();

  return {
    lookup(urn) {
      const a = registry.byUrn(urn);
      return a ? { name: a.name, gss: a.gss } : undefined;
    },
    urns: () => registry.all().map((a) => a.urn),
    registry: () => registry,
    resolver: () => resolver,
    all: () => registry.all(),
    refresh,
  };
}
