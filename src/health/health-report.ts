// What `ofsted-alerts health` shows: the last runs, open faults, the baseline, and work waiting.
import type { Db } from '../store/db.ts';
import { openFaults, recentlyResolvedFaults } from '../store/faults.ts';
import { lastRun } from '../store/runs.ts';
import { getMeta } from '../store/meta.ts';
import { getOffset, latestEventId } from '../store/events.ts';
import type { Fault, Run } from '../store/schema.ts';
import { BASELINE_KEY } from '../watcher/watch-run.ts';
import { deliveryHealth, renderDeliveryHealth, type DeliveryHealth } from '../delivery/delivery-health.ts';

export interface HealthReport {
  healthy: boolean;
  baselineCompletedAt: string | null;
  lastPoll: Run | null;
  lastGoodPoll: Run | null;
  lastSweep: Run | null;
  openFaults: Fault[];
  recentlyResolved: Fault[];
  publications: number;
  lettersRead: number;
  lettersFailed: { publicationId: number; authority: string; title: string; reason: string | null }[];
  consumers: { name: string; behind: number }[];
  deliveries: DeliveryHealth;
}

export const CONSUMERS = ['letters', 'deliveries', 'console'];

export async function healthReport(db: Db, now: Date): Promise<HealthReport> {
  const faults = await openFaults(db);
  const count = async (t: 'publications' | 'letters', status?: string) => {
    let q = db.selectFrom(t as 'letters').select((eb) => eb.fn.countAll<number>().as('n'));
    if (status) q = q.where('status', '=', status);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const failed = await db
    .selectFrom('letters')
    .innerJoin('publications', 'publications.id', 'letters.publication_id')
    .select(['letters.publication_id as publicationId', 'publications.authority_name as authority', 'publications.title as title', 'letters.reason as reason'])
    .where('letters.status', '=', 'failed')
    .orderBy('letters.read_at', 'desc')
    .limit(20)
    .execute();
  const latest = await latestEventId(db);
  const consumers = [];
  for (const name of CONSUMERS) consumers.push({ name, behind: latest - Math.min(latest, await getOffset(db, name)) });
  const deliveries = await deliveryHealth(db, now);
  return {
    healthy: faults.length === 0 && deliveries.healthy,
    baselineCompletedAt: await getMeta(db, BASELINE_KEY),
    lastPoll: (await lastRun(db, 'poll')) ?? null,
    lastGoodPoll: (await lastRun(db, 'poll', ['ok'])) ?? null,
    lastSweep: (await lastRun(db, 'sweep')) ?? null,
    openFaults: faults,
    recentlyResolved: await recentlyResolvedFaults(db, new Date(now.getTime() - 7 * 86_400_000)),
    publications: await count('publications'),
    lettersRead: await count('letters', 'ok'),
    lettersFailed: failed,
    consumers,
    deliveries,
  };
}

export function renderHealth(h: HealthReport): string {
  const run = (r: Run | null) =>
    r ? `${r.status} at ${r.started_at} (${r.requests} requests, ${formatBytes(r.bytes)}, ${r.not_modified} not modified, ${r.new_publications} new)` : 'never';
  const lines = [
    h.healthy ? 'Healthy: no open faults, no failed deliveries.' : `NOT HEALTHY: ${h.openFaults.length} open fault(s), ${h.deliveries.counts.failed} failed deliveries.`,
    `Baseline: ${h.baselineCompletedAt ? `complete since ${h.baselineCompletedAt}` : 'not yet complete (the first poll records what exists without announcing it)'}`,
    `Last poll: ${run(h.lastPoll)}`,
    `Last successful poll: ${h.lastGoodPoll ? h.lastGoodPoll.started_at : 'never'}`,
    `Last sweep: ${run(h.lastSweep)}`,
    `Publications known: ${h.publications}; letters read: ${h.lettersRead}; letters unreadable: ${h.lettersFailed.length}`,
    `Consumers behind: ${h.consumers.map((c) => `${c.name} ${c.behind}`).join(', ')}`,
  ];
  if (h.openFaults.length) {
    lines.push('', 'Open faults:');
    for (const f of h.openFaults) lines.push(`  [${f.kind}] ${f.subject}: ${f.message} (seen ${f.occurrences}×, first ${f.first_seen_at}, last ${f.last_seen_at})`);
  }
  if (h.lettersFailed.length) {
    lines.push('', 'Letters that could not be read (announced with "summary unavailable"):');
    for (const l of h.lettersFailed) lines.push(`  #${l.publicationId} ${l.authority} ${l.title}: ${l.reason ?? 'unknown reason'}`);
  }
  lines.push('', ...renderDeliveryHealth(h.deliveries));
  if (h.recentlyResolved.length) {
    lines.push('', 'Resolved in the last 7 days:');
    for (const f of h.recentlyResolved) lines.push(`  [${f.kind}] ${f.subject}: resolved ${f.resolved_at}`);
  }
  return lines.join('\n');
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}
