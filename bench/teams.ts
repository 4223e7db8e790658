// npm run bench:teams — a busy morning for the Teams adapter. 20 publications fan out to 500 conversations
// in 20 tenants (25 channels each, every one subscribed to all councils, each with its saved conversation
// reference) and the real outbox worker delivers them through the Teams sender (continueConversationAsync
// on botbuilder's CloudAdapter) to a fake Bot Connector in a child process (so its memory and CPU are not
// ours) that answers after 50 ms and enforces Teams' limits on arrival: 7 messages/1 s, 8/2 s, 60/30 s,
// 1,800/h per conversation and 50 requests/s per tenant (429 + Retry-After beyond).
// Prints one JSON object: wall time against the lower bound, duplicates, losses, 429s, peak RSS.
//
// The lower bound (the target: within 10% of it) is the earliest the last message can arrive for a client
// that never breaks Teams' windows as Teams counts them, on arrival. A client sees when it sent a request
// and when the answer came, never when the request arrived; at the fake every answer comes `latency` ms
// (R) after the arrival, which may be anywhere from the send on. So the request L places after another
// (L = 50, a tenant's limit per W = 1 s) may leave only once the other's answer has come plus W: sooner,
// and both could have arrived within the same second. With P the pacing of a conversation (500 ms), N the
// busiest conversation's messages, M the busiest tenant's and C its conversations, the bound is
// max((N-1)·P, max over k of (⌈k/C⌉-1)·P + ⌊(M-k)/L⌋·(W+R)): the k-th request of a tenant cannot leave
// before some conversation has sent ⌈k/C⌉ messages, paced; each L requests after it, one window and a
// round trip. Also reported: the same bound without the round trip (what a client that could see Teams'
// arrival clock would reach; it was the target's bound until 2026-11-22) and the bound under Teams' raw
// limits (bursts of 7 allowed), which the pacing gives up for evenness. Wall time is the last arrival at
// the fake (it counts requests on arrival and answers each R ms later).
//
// Options: --tenants 20 --conversations-per-tenant 25 --publications 20 --latency 50 --concurrency 500
//          [--analyze] [--sender-only] (diagnosis, see below)
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import { parseConfig } from '../src/config/config.ts';
import { createContext } from '../src/app/context.ts';
import { silentLogger } from '../src/log/logger.ts';
import { fanOut } from '../src/delivery/fan-out.ts';
import { createOutboxWorker } from '../src/delivery/outbox-worker.ts';
import { startTeamsAdapter } from '../adapters/teams/start-teams-adapter.ts';
import { TEAMS_CHANNEL_INTERVAL_MS } from '../adapters/teams/rate-limits.ts';
import { lowerBounds } from './teams-bounds.ts';
import { FakeBotConnector, TEAMS_CONVERSATION_WINDOWS, TEAMS_TENANT_WINDOWS, type FakeActivity } from '../tests/fakes/fake-bot-connector.ts';
import { seedConversations, seedPublications } from '../tests/teams/fixtures.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

const TENANTS = arg('tenants', 20);
const PER_TENANT = arg('conversations-per-tenant', 25);
const PUBLICATIONS = arg('publications', 20);
const LATENCY = arg('latency', 50);
const CONCURRENCY = arg('concurrency', 500);
/**
 * diagnosis only: ANALYZE once the deliveries are queued. Without statistics SQLite answers the outbox's
 * dueDeliveries with the deliveries_due index, scanning every due delivery for each one sent (see the report).
 */
const ANALYZE = process.argv.includes('--analyze');
/**
 * diagnosis only: the Teams sender without the outbox — each conversation's messages sent through
 * sender.sendPart, one per channelIntervalMs, waiting out rate-limited answers, as the outbox would — to
 * tell the adapter's share of the wall time from the outbox's.
 */
const SENDER_ONLY = process.argv.includes('--sender-only');

// ───────────────────────────── the fake Bot Connector, in a child process ─────────────────────────────

interface ChildReport {
  accepted: number;
  keys: string[];
  duplicates: number;
  maxPerConversation: number;
  maxPerTenant: number;
  /** conversations of the tenant with the most messages */
  conversationsOfBusiestTenant: number;
  /** windows broken as the fake saw arrivals (must be 0: a broken window would have been a 429) */
  windowsBroken: number;
  rateLimited429: number;
  tenantLimited429: number;
  tooBig413: number;
  firstAt: number;
  lastAt: number;
  rssPeakMb: number;
  /** the fake's own CPU time and event-loop delay: a saturated fake would delay arrivals */
  cpuMs: number;
  loopDelayP99Ms: number;
  /** where the time over the bound went: each conversation's first arrival, and the gaps between its arrivals */
  firstArrivals: number[];
  gaps: number[];
}

/** what identifies a message: the conversation and the letter it is about (its "Read the letter" URL) */
function keyOf(a: FakeActivity): string {
  const card = (a.activity as { attachments?: { content?: { actions?: { url?: string }[] } }[] }).attachments?.[0]?.content;
  const url = card?.actions?.find((x) => typeof x.url === 'string')?.url ?? String((a.activity as { summary?: string }).summary);
  return `${a.root}|${url}`;
}

async function fakeChild(): Promise<void> {
  const fake = await FakeBotConnector.start({ latencyMs: LATENCY, keepActivities: false });
  const seen = new Map<string, number>();
  const arrivals = new Map<string, number[]>();
  const perTenant = new Map<string, number>();
  const tenantConversations = new Map<string, Set<string>>();
  let first = 0;
  let last = 0;
  fake.onAccepted = (a) => {
    const k = keyOf(a);
    seen.set(k, (seen.get(k) ?? 0) + 1);
    const times = arrivals.get(a.root) ?? [];
    times.push(a.at);
    arrivals.set(a.root, times);
    if (a.tenant) {
      perTenant.set(a.tenant, (perTenant.get(a.tenant) ?? 0) + 1);
      tenantConversations.set(a.tenant, (tenantConversations.get(a.tenant) ?? new Set()).add(a.root));
    }
    if (!first) first = a.at;
    last = a.at;
  };
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
  const cpu0 = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'report') {
      let broken = 0;
      for (const times of arrivals.values()) {
        for (const w of TEAMS_CONVERSATION_WINDOWS) for (let i = w.limit; i < times.length; i++) if (times[i]! - times[i - w.limit]! < w.spanMs) broken++;
      }
      const report: ChildReport = {
        accepted: fake.counters.accepted,
        keys: [...seen.keys()],
        duplicates: [...seen.values()].reduce((n, c) => n + (c - 1), 0),
        maxPerConversation: Math.max(0, ...[...arrivals.values()].map((t) => t.length)),
        maxPerTenant: Math.max(0, ...perTenant.values()),
        conversationsOfBusiestTenant: (() => {
          const busiest = [...perTenant.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
          return busiest ? tenantConversations.get(busiest)!.size : 0;
        })(),
        windowsBroken: broken,
        rateLimited429: fake.counters.rateLimited,
        tenantLimited429: fake.counters.tenantLimited,
        tooBig413: fake.counters.tooBig,
        firstAt: first,
        lastAt: last,
        rssPeakMb: Math.round(rssPeak / 1048576),
        cpuMs: Math.round((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000),
        loopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
        firstArrivals: [...arrivals.values()].map((t) => t[0]!),
        gaps: [...arrivals.values()].flatMap((t) => t.slice(1).map((x, i) => x - t[i]!)),
      };
      process.send!({ type: 'report', report });
    }
    if (m.type === 'exit') {
      clearInterval(sampler);
      void fake.close().then(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', serviceUrl: fake.serviceUrl });
}

function startChild(): Promise<{ child: ChildProcess; serviceUrl: string }> {
  const child = fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), '--fake-child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m: { type: string; serviceUrl: string }) => resolve({ child, serviceUrl: m.serviceUrl }));
  });
}

function ask(child: ChildProcess): Promise<ChildReport> {
  return new Promise((resolve) => {
    const on = (m: { type: string; report: ChildReport }) => {
      if (m.type === 'report') {
        child.off('message', on);
        resolve(m.report);
      }
    };
    child.on('message', on);
    child.send({ type: 'report' });
  });
}

/** Heap in use after a full collection (node --expose-gc), to tell what is kept from what is garbage; null without it. */
function heapAfterGc(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  return Math.round(process.memoryUsage().heapUsed / 1048576);
}

/** The earliest the last of n messages can arrive when each window allows at most `limit` per span (greedy). */
function greedyBound(n: number, windows: readonly { limit: number; spanMs: number }[]): number {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = times.length ? times[times.length - 1]! : 0;
    for (const w of windows) if (times.length >= w.limit) t = Math.max(t, times[times.length - w.limit]! + w.spanMs);
    times.push(t);
  }
  return times.at(-1) ?? 0;
}

/** Where the time over the bound went: when conversations got their first message, and how far apart a conversation's messages arrived (the pacing asks for 500 ms). */
function timeline(report: ChildReport, t0: number) {
  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : null;
  };
  const first = report.firstArrivals.map((t) => t - t0);
  return {
    firstArrivalMs: { min: q(first, 0), p50: q(first, 0.5), p99: q(first, 0.99), max: q(first, 1) },
    gapMs: { p50: q(report.gaps, 0.5), p90: q(report.gaps, 0.9), p99: q(report.gaps, 0.99), max: q(report.gaps, 1), mean: report.gaps.length ? Math.round(report.gaps.reduce((a, b) => a + b, 0) / report.gaps.length) : null },
  };
}

// ───────────────────────────── the morning ─────────────────────────────

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const { child, serviceUrl } = await startChild();
  const dir = mkdtempSync(join(tmpdir(), 'bench-teams-'));
  const parsed = parseConfig({ DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, LOG_LEVEL: 'silent', OFSTED_CONTACT: 'bench@example.org', TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const ctx = await createContext(parsed.config, { logger: silentLogger });
  const adapter = await startTeamsAdapter({ config: parsed.config, ctx, logger: silentLogger, port: 0, host: '127.0.0.1' });
  const tenants = Array.from({ length: TENANTS }, (_, i) => `${String(i + 1).padStart(8, '0')}-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
  const now = new Date();
  const conversations = await seedConversations(ctx.db, serviceUrl, tenants, PER_TENANT, now);
  await seedPublications(ctx.db, PUBLICATIONS, now);

  let rssPeak = 0;
  let heapPeak = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 50);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  if (SENDER_ONLY) return senderOnly(child, ctx, adapter, conversations, dir, { rssPeak: () => rssPeak, heapPeak: () => heapPeak, loopDelay, sampler });

  const worker = createOutboxWorker({ db: ctx.db, senders: new Map([['teams', adapter.sender]]), now: () => new Date(), logger: silentLogger, holder: 'bench', concurrency: CONCURRENCY, idleMs: 200 });
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  // --analyze: fan out first, give SQLite statistics, then deliver (the clock runs from before the fan-out)
  if (!ANALYZE) worker.start();
  let fanned = 0;
  for (;;) {
    const r = await fanOut({ db: ctx.db, directory: ctx.directory, now: () => new Date(), logger: silentLogger }, { batch: 50 });
    fanned += r.deliveries;
    worker.notify();
    if (r.events === 0) break;
  }
  const fanOutMs = Date.now() - t0;
  if (ANALYZE) {
    await sql`ANALYZE`.execute(ctx.db);
    worker.start();
  }

  let open = Number.POSITIVE_INFINITY;
  while (open > 0) {
    await new Promise((r) => setTimeout(r, 100));
    const row = await ctx.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['pending', 'sending']).executeTakeFirstOrThrow();
    open = Number(row.n);
  }
  const settledAt = Date.now();
  const cpu = process.cpuUsage(cpu0);
  await worker.stop();
  clearInterval(sampler);

  const statuses = await ctx.db.selectFrom('deliveries').select(['status']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('status').execute();
  const deliveries = await ctx.db
    .selectFrom('deliveries as d')
    .innerJoin('publications as p', 'p.id', 'd.publication_id')
    .select(['d.channel', 'p.url', 'd.parts_total'])
    .execute();
  const report = await ask(child);
  const heapAfterGcMb = heapAfterGc();
  const got = new Set(report.keys);
  let losses = 0;
  for (const d of deliveries) if (!got.has(`${d.channel}|${d.url}`)) losses++;

  const wallMs = report.lastAt - t0; // the last message's arrival, as the fake saw it
  const bounds = lowerBounds(report, LATENCY);
  const lowerBoundMs = bounds.lowerBoundMs;
  const perTenantRawBound = (Math.ceil(report.maxPerTenant / TEAMS_TENANT_WINDOWS[0]!.limit) - 1) * TEAMS_TENANT_WINDOWS[0]!.spanMs;
  const rawBound = Math.max(greedyBound(report.maxPerConversation, TEAMS_CONVERSATION_WINDOWS), perTenantRawBound);
  const pct = (x: number, b: number) => `${(((x - b) / b) * 100).toFixed(1)}%`;

  const result = {
    machine: { cpus: cpus().length, loadAvg1mBefore: Math.round(loadBefore * 100) / 100, loadAvg1mAfter: Math.round(loadavg()[0]! * 100) / 100 },
    setup: {
      analyzed: ANALYZE,
      tenants: TENANTS, conversations: conversations.length, publications: PUBLICATIONS, fakeLatencyMs: LATENCY, outboxConcurrency: CONCURRENCY,
      channelIntervalMs: TEAMS_CHANNEL_INTERVAL_MS, limits: { perConversation: '7/1s, 8/2s, 60/30s, 1800/h', perTenant: '50/s' },
    },
    deliveries: { queued: fanned, byStatus: Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)])), messagesAccepted: report.accepted },
    wallMs,
    settledMs: settledAt - t0,
    fanOutMs,
    lowerBoundMs,
    overLowerBound: pct(wallMs, lowerBoundMs),
    lowerBoundParts: bounds.parts,
    lowerBoundWithoutRoundTripMs: bounds.withoutRoundTripMs,
    overLowerBoundWithoutRoundTrip: pct(wallMs, bounds.withoutRoundTripMs),
    teamsRawLimitBoundMs: rawBound,
    overTeamsRawLimitBound: pct(wallMs, rawBound),
    duplicates: report.duplicates,
    losses,
    rateLimited429: report.rateLimited429,
    tenantLimited429: report.tenantLimited429,
    windowsBrokenAtFake: report.windowsBroken,
    tooBig413: report.tooBig413,
    sender: adapter.sender.stats,
    peakRssMb: Math.round(rssPeak / 1048576),
    peakHeapMb: Math.round(heapPeak / 1048576),
    heapAfterGcMb,
    // this process's CPU from the fan-out to the last delivery settled (the fake's is its own, below)
    cpu: { ms: Math.round((cpu.user + cpu.system) / 1000), perDeliveryUs: fanned ? Math.round((cpu.user + cpu.system) / fanned) : null },
    eventLoopDelayMs: { p50: Math.round(loopDelay.percentile(50) / 1e6), p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
    fakeConnector: { peakRssMb: report.rssPeakMb, cpuMs: report.cpuMs, eventLoopDelayP99Ms: report.loopDelayP99Ms },
    timeline: timeline(report, t0),
    targets: {
      withinTenPercent: wallMs <= lowerBoundMs * 1.1,
      withinTenPercentWithoutRoundTrip: wallMs <= bounds.withoutRoundTripMs * 1.1,
      noDuplicates: report.duplicates === 0, noLosses: losses === 0, no429: report.rateLimited429 === 0,
    },
  };
  console.log(JSON.stringify(result, null, 2));

  child.send({ type: 'exit' });
  await adapter.stop();
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}

async function senderOnly(
  child: ChildProcess,
  ctx: Awaited<ReturnType<typeof createContext>>,
  adapter: Awaited<ReturnType<typeof startTeamsAdapter>>,
  conversations: { platform: 'teams' | 'slack' | 'console'; workspace: string; channel: string }[],
  dir: string,
  m: { rssPeak: () => number; heapPeak: () => number; loopDelay: ReturnType<typeof monitorEventLoopDelay>; sampler: NodeJS.Timeout },
): Promise<void> {
  const publications = await ctx.db.selectFrom('publications').selectAll().orderBy('id').execute();
  const { buildAlert } = await import('../src/delivery/build-alert.ts');
  const { getLetter } = await import('../src/store/letters.ts');
  const alerts = await Promise.all(publications.map(async (p) => buildAlert(p, await getLetter(ctx.db, p.id), 'https://reports.ofsted.gov.uk')));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const t0 = Date.now();
  let rateLimited = 0;
  await Promise.all(
    conversations.map(async (channel) => {
      let next = Date.now();
      for (const [i, alert] of alerts.entries()) {
        const parts = adapter.sender.prepare({ kind: 'alert', alert });
        for (const [p, part] of parts.entries()) {
          for (;;) {
            const wait = next - Date.now();
            if (wait > 0) await sleep(wait);
            const started = Date.now();
            next = Math.max(next, started + adapter.sender.channelIntervalMs);
            const r = await adapter.sender.sendPart(channel, part, { threadRef: null, dedupeKey: `bench:${i}#${p}` });
            if (r.ok) break;
            if (r.kind !== 'rate-limited') throw new Error(`${r.kind}: ${r.message}`);
            rateLimited++;
            next = Math.max(next, Date.now() + r.retryAfterMs);
          }
        }
      }
    }),
  );
  clearInterval(m.sampler);
  const report = await ask(child);
  const heapAfterGcMb = heapAfterGc();
  const got = new Set(report.keys);
  let losses = 0;
  for (const c of conversations) for (const p of publications) if (!got.has(`${c.channel}|${p.url}`)) losses++;
  const wallMs = report.lastAt - t0;
  const bounds = lowerBounds(report, LATENCY);
  const lowerBoundMs = bounds.lowerBoundMs;
  console.log(
    JSON.stringify(
      {
        mode: 'sender only (no outbox, no store): diagnosis',
        machine: { cpus: cpus().length, loadAvg1mAfter: Math.round(loadavg()[0]! * 100) / 100 },
        setup: { tenants: TENANTS, conversations: conversations.length, publications: PUBLICATIONS, fakeLatencyMs: LATENCY, channelIntervalMs: TEAMS_CHANNEL_INTERVAL_MS },
        messagesAccepted: report.accepted,
        wallMs,
        lowerBoundMs,
        overLowerBound: `${(((wallMs - lowerBoundMs) / lowerBoundMs) * 100).toFixed(1)}%`,
        lowerBoundWithoutRoundTripMs: bounds.withoutRoundTripMs,
        overLowerBoundWithoutRoundTrip: `${(((wallMs - bounds.withoutRoundTripMs) / bounds.withoutRoundTripMs) * 100).toFixed(1)}%`,
        duplicates: report.duplicates,
        losses,
        rateLimited429: report.rateLimited429,
        tenantLimited429: report.tenantLimited429,
        heldBackByOurLimiter: rateLimited,
        windowsBrokenAtFake: report.windowsBroken,
        fakeConnector: { peakRssMb: report.rssPeakMb, cpuMs: report.cpuMs, eventLoopDelayP99Ms: report.loopDelayP99Ms },
        timeline: timeline(report, t0),
        sender: adapter.sender.stats,
        peakRssMb: Math.round(m.rssPeak() / 1048576),
        peakHeapMb: Math.round(m.heapPeak() / 1048576),
        heapAfterGcMb,
        eventLoopDelayMs: { p50: Math.round(m.loopDelay.percentile(50) / 1e6), p99: Math.round(m.loopDelay.percentile(99) / 1e6), max: Math.round(m.loopDelay.max / 1e6) },
        targets: { withinTenPercent: wallMs <= lowerBoundMs * 1.1, noDuplicates: report.duplicates === 0, noLosses: losses === 0, no429: report.rateLimited429 === 0 },
      },
      null,
      2,
    ),
  );
  child.send({ type: 'exit' });
  await adapter.stop();
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv.includes('--fake-child')) await fakeChild();
else await main();
