// Decides whether a newly found publication is news to announce or part of a silent baseline. Pure.

export interface AnnounceContext {
  /** when every listed council had its page read at least once (ISO), or null while the first baseline runs */
  baselineCompletedAt: string | null;
  /** whether this council's page had been read before this run */
  authorityBaselined: boolean;
  /** --announce-since DATE: announce anything published on or after it (a deliberate backfill) */
  announceSince: string | null;
}

export function shouldAnnounce(publicationDate: string, ctx: AnnounceContext): boolean {
  if (ctx.announceSince && publicationDate >= ctx.announceSince) return true;
  // The first run on an empty store records what exists without announcing it.
  if (!ctx.baselineCompletedAt) return false;
  if (ctx.authorityBaselined) return true;
  // A council that appeared after the baseline: its older reports are history, not news.
  return publicationDate >= ctx.baselineCompletedAt.slice(0, 10);
}
