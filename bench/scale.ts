// npm run bench:scale — how the outbox scales out: deliveries per second through a fake Slack with 1, 2
// and 4 worker PROCESSES sharing one Postgres database, and with one worker on SQLite. Pacing is off, so
// the engine is measured and not Slack's one message a second per channel: the fake Slack has no
// per-channel limit and (unless --latency) no latency, and the Slack sender's channelIntervalMs (and its own spacing guard)
// is 0.
//
// Each run gets a fresh database (Postgres: a new schema, dropped after; SQLite: a temp file). The parent
// seeds N channels (all subscribed to every council) and P publications with read letters, runs the
// fan-out (N × P deliveries), then forks W worker processes that each run createOutboxWorker (distinct
// holder ids) against the same database until nothing is open. Timed from the workers' start signal
// to the last delivery's sent_at. What the fake Slack received is checked: every part of every
// delivery exactly once (message metadata dedupe_key "KEY#PART", as bench/slack.ts does).
//
// Also measured, to explain the numbers: each worker's CPU, peak RSS and Postgres round trips (calls
// of pg's Client.query, BEGIN/COMMIT included) per delivery; the fake Slack's CPU; the CPU of the
// Postgres backends serving the workers (from /proc, by their backend pids) and of every postgres
// process; the load average at the start of each run; Postgres round trips by statement kind with their
// mean time; failed sends and in-doubt checks (findSent); the fake Slack's event-loop delay; a hash of
// the outbox, store and Slack code (codeVersion: runs compare only when it is the same).
// BENCH_CPU_PROF=DIR writes each worker's V8 CPU profile there.
//
// Options: --channels 2000 --publications 5 --workers 1,2,4 --sqlite-workers 1 --pool 10
//          --concurrency 64 --workspaces 20 --latency 0 [--no-sqlite] [--no-postgres] [--analyze]
// --latency 100 gives the fake Slack a real Slack's answer time: a worker is then bounded by the answers
// it waits for (concurrency / latency), not by CPU, and more workers add throughput until the cores are busy.
// Postgres: DATABASE_URL_POSTGRES or TEST_DATABASE_URL, else `scripts/test-postgres.sh start`.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { openStore, type Db } from '../src/store/db.ts';
import { loadAuthorityDirectory } from '../src/app/authority-directory.ts';
import { silentLogger } from '../src/log/logger.ts';
import { fanOut } from '../src/delivery/fan-out.ts';
import { createOutboxWorker } from '../src/delivery/outbox-worker.ts';
import { createSlackSender } from '../adapters/slack/slack-sender.ts';
import type { ChatSender } from '../src/chat/types.ts';
import { auditMessages, FakeSlack, type FakeWorkspace } from '../tests/fakes/fake-slack.ts';
import { seedChannels, seedPublications } from '../tests/slack/seed-morning.ts';

const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number): number => {
  const v = argValue(name);
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} wants a number (got ${v})`);
  return n;
};

const CHANNELS = arg('channels', 2000);
const PUBLICATIONS = arg('publications', 5);
const WORKER_COUNTS = (argValue('workers') ?? '1,2,4').split(',').map(Number).filter((n) => n > 0);
const SQLITE_WORKERS = arg('sqlite-workers', 1);
const POOL = arg('pool', 10);
const CONCURRENCY = arg('concurrency', 64);
/** the fake Slack's answer time (ms): 0 measures the engine alone; a real Slack answers in 50–200 ms */
const LATENCY = arg('latency', 0);
const WORKSPACES = Math.max(1, Math.min(arg('workspaces', 20), CHANNELS));
const PER_WORKSPACE = Math.ceil(CHANNELS / WORKSPACES);
const ANALYZE = process.argv.includes('--analyze');
const GIVE_UP_MS = 15 * 60_000;

const mb = (bytes: number) => Math.round(bytes / 1048576);
const round1 = (x: number) => Math.round(x * 10) / 10;
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

// ───────────────────────────── messages between the processes ─────────────────────────────

interface WorkerInit {
  type: 'init';
  url: string;
  poolSize: number;
  concurrency: number;
  apiUrl: string;
  tokens: Record<string, string>;
  holder: string;
}

interface WorkerReport {
  holder: string;
  /** parts the fake Slack accepted from this worker */
  partsSent: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** Postgres: calls of pg's Client.query (one round trip each, BEGIN/COMMIT included) */
  roundTrips: number;
  /** statements by kind and table, counted by a kysely plugin (both dialects; BEGIN/COMMIT not included) */
  statements: Record<string, number>;
  /** Postgres round trips by statement kind: how many, and ms from sending to the answer */
  roundTripsByKind: Record<string, { n: number; ms: number }>;
  /** times opening the store was retried (a concurrent schema drop broke the migrator's check) */
  /** pids of the Postgres backends this worker's pool used */
  backendPids: number[];
  firstSendAt: number;
  lastSendAt: number;
  /** sends that failed, by message (e.g. a timeout: the part is then "in doubt") */
  sendFailures: Record<string, number>;
  /** in-doubt checks (findSent) and how many found the part already sent */
  inDoubtChecks: { calls: number; found: number };
  /** dedupe keys of the parts this worker sent (only asked for when the fake saw duplicates) */
  sentKeys?: string[];
}

interface FakeReport {
  messages: number;
  keys: string[];
  duplicates: number;
  /** up to 20 keys received more than once */
  duplicateKeys: string[];
  badThreads: number;
  rateLimited: number;
  errors: number;
  calls: Record<string, number>;
  /** the fake's event loop delay: how late it could answer */
  eventLoopDelayMs: { p99: number; max: number };
  cpuSeconds: number;
  peakRssMb: number;
}

function once<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type === type) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      child.off('message', onMessage);
      reject(new Error(`a child process ended while we waited for "${type}" (code ${code}, signal ${signal})`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** BENCH_CPU_PROF=DIR: each worker writes a V8 CPU profile there (diagnosis) */
function forkSelf(role: string): ChildProcess {
  const prof = role === '--worker-child' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  return fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), role], { execArgv: ['--import', 'tsx', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/**
 * A short hash of the code a run exercises (outbox, Slack sender, store): other work may change it
 * between runs of one bench, and two runs are comparable only with the same hash.
 */
function codeVersion(): string {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const files = ['src/delivery', 'src/store', 'adapters/slack']
    .flatMap((d) => readdirSync(join(root, d), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(d, f)))
    .sort();
  const h = createHash('sha256');
  for (const f of files) h.update(f).update(readFileSync(join(root, f)));
  return h.digest('hex').slice(0, 12);
}

// ───────────────────────────── the fake Slack, in its own process ─────────────────────────────

async function fakeChild(): Promise<void> {
  const workspaces = Array.from({ length: WORKSPACES }, (_, i) => ({ teamId: `T${String(i + 1).padStart(8, '0')}` }));
  const fake = await FakeSlack.start({ latencyMs: LATENCY, channelIntervalMs: 0, toleranceMs: 0, workspaces });
  let cpu0 = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
  process.on('message', (m: { type: string }) => {
    if (m.type === 'reset') {
      fake.messages.length = 0;
      fake.counters.rateLimited = 0;
      fake.counters.errors = 0;
      for (const k of Object.keys(fake.counters.calls)) delete fake.counters.calls[k];
      globalThis.gc?.();
      rssPeak = process.memoryUsage.rss();
      cpu0 = process.cpuUsage();
      loopDelay.reset();
      process.send!({ type: 'reset-done' });
    }
    if (m.type === 'report') {
      const audit = auditMessages(fake.messages);
      const report: FakeReport = {
        messages: fake.messages.length,
        keys: [...audit.timesByKey.keys()],
        duplicates: audit.duplicates,
        duplicateKeys: [...audit.timesByKey].filter(([, c]) => c > 1).slice(0, 20).map(([k]) => k),
        badThreads: audit.badThreads,
        rateLimited: fake.counters.rateLimited,
        errors: fake.counters.errors,
        calls: { ...fake.counters.calls },
        eventLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
        cpuSeconds: round1(cpuSeconds(process.cpuUsage(cpu0))),
        peakRssMb: mb(rssPeak),
      };
      process.send!({ type: 'report', report });
    }
    if (m.type === 'exit') {
      clearInterval(sampler);
      void fake.close().then(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', apiUrl: fake.apiUrl, workspaces: [...fake.workspaces.values()] });
}

// ───────────────────────────── opening the store ─────────────────────────────

// ───────────────────────────── a worker process ─────────────────────────────

/** kind and table of a kysely statement, e.g. "update deliveries" */
function describeNode(node: RootOperationNode): string {
  const n = node as unknown as Record<string, any>;
  const tableName = (t: any): string | undefined => t?.table?.identifier?.name ?? t?.node?.table?.identifier?.name ?? t?.identifier?.name;
  const kind = node.kind.replace(/QueryNode$/, '').replace(/Node$/, '').toLowerCase();
  const table = tableName(n.table) ?? tableName(n.into) ?? tableName(n.from?.froms?.[0]) ?? '';
  return `${kind}${table ? ` ${table}` : ''}${Array.isArray(n.joins) && n.joins.length ? '+join' : ''}`;
}

/** "update deliveries", "select deliveries+join" (the outbox's due-channels query), "begin" … from SQL text */
function sqlKind(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
  const table = /\b(?:from|update|into)\s+"?(\w+)"?/i.exec(text)?.[1] ?? '';
  return `${verb}${table ? ` ${table}` : ''}${/\bjoin\b/i.test(text) ? '+join' : ''}`;
}

async function workerChild(): Promise<void> {
  const init = await new Promise<WorkerInit>((resolve) => process.once('message', (m: WorkerInit) => resolve(m)));

  // round trips and backend pids, counted at pg's client (only in this process: the parent is not counted)
  let roundTrips = 0;
  const backendPids = new Set<number>();
  const clientProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; processID?: number };
  const originalQuery = clientProto.query;
  const timed: Record<string, { n: number; ms: number }> = {};
  clientProto.query = function (this: { processID?: number }, ...args: unknown[]) {
    roundTrips++;
    if (typeof this.processID === 'number') backendPids.add(this.processID);
    const result = originalQuery.apply(this, args);
    if (typeof args[0] === 'string' && result instanceof Promise) {
      // time from sending to the answer being read (the worker's event loop delay included)
      const kind = sqlKind(args[0]);
      const t = performance.now();
      void result.then(
        () => {
          const e = (timed[kind] ??= { n: 0, ms: 0 });
          e.n++;
          e.ms += performance.now() - t;
        },
        () => undefined,
      );
    }
    return result;
  };
  const statements: Record<string, number> = {};
  // counted as they run (transformResult), described when they are built (transformQuery): a prepared
  // query (src/store/prepared-query.ts) is built once and run many times under the same query id
  const described = new WeakMap<object, string>();
  const counting: KyselyPlugin = {
    transformQuery: (args) => {
      described.set(args.queryId, describeNode(args.node));
      return args.node;
    },
    transformResult: async (args) => {
      const k = described.get(args.queryId) ?? 'other';
      statements[k] = (statements[k] ?? 0) + 1;
      return args.result;
    },
  };

  const store = await openStore(init.url, { poolSize: init.poolSize });
  const base = createSlackSender({
    tokens: { botToken: async (team) => init.tokens[team] ?? null },
    logger: silentLogger,
    apiUrl: init.apiUrl,
    minGapMs: 0, // the sender's own per-channel spacing guard: off, like the outbox's pacing
  });
  let partsSent = 0;
  let firstSendAt = 0;
  let lastSendAt = 0;
  const sentKeys: string[] = [];
  const sendFailures: Record<string, number> = {};
  const inDoubtChecks = { calls: 0, found: 0 };
  const countedSendPart: ChatSender['sendPart'] = async (channel, part, opts) => {
    const r = await base.sendPart(channel, part, opts);
    if (!r.ok) {
      const what = `${r.kind}: ${r.message}`.slice(0, 80);
      sendFailures[what] = (sendFailures[what] ?? 0) + 1;
    }
    if (r.ok) {
      partsSent++;
      sentKeys.push(opts.dedupeKey);
      lastSendAt = Date.now();
      firstSendAt ||= lastSendAt;
    }
    return r;
  };
  const countedFindSent: ChatSender['findSent'] = base.findSent
    ? async (channel, key, since) => {
        inDoubtChecks.calls++;
        const r = await base.findSent!(channel, key, since);
        if (r.found) inDoubtChecks.found++;
        return r;
      }
    : undefined;
  // pacing off: channelIntervalMs 0. A Proxy, not a spread copy, so methods on a prototype (should the
  // sender become a class) are kept, and each is called on the real sender (private fields keep working).
  const sender = new Proxy(base, {
    get(target, prop) {
      if (prop === 'channelIntervalMs') return 0;
      if (prop === 'sendPart') return countedSendPart;
      if (prop === 'findSent') return countedFindSent;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as ChatSender;

  const worker = createOutboxWorker({
    db: store.db.withPlugin(counting),
    senders: new Map([['slack', sender]]),
    now: () => new Date(),
    logger: silentLogger,
    holder: init.holder,
    concurrency: init.concurrency,
    idleMs: 200,
  });
  // a warm connection, so the first pass does not pay for opening it (nor does the timing)
  await sql`SELECT 1`.execute(store.db);
  let cpu0 = process.cpuUsage();
  process.on('message', (m: { type: string; withKeys?: boolean }) => {
    if (m.type === 'go') {
      roundTrips = 0;
      for (const k of Object.keys(statements)) delete statements[k];
      for (const k of Object.keys(timed)) delete timed[k];
      cpu0 = process.cpuUsage();
      worker.start();
    }
    if (m.type === 'report') {
      const report: WorkerReport = {
        holder: init.holder,
        partsSent,
        cpuSeconds: round1(cpuSeconds(process.cpuUsage(cpu0))),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        roundTrips,
        roundTripsByKind: timed,
        sendFailures,
        inDoubtChecks,
        statements,
        backendPids: [...backendPids],
        firstSendAt,
        lastSendAt,
        ...(m.withKeys ? { sentKeys } : {}),
      };
      process.send!({ type: 'report', report });
    }
    if (m.type === 'stop') {
      void (async () => {
        await worker.stop({ graceMs: 5_000 });
        await store.close();
        process.send!({ type: 'stopped' });
        process.exit(0);
      })();
    }
  });
  process.send!({ type: 'ready' });
}

// ───────────────────────────── Postgres server CPU, from /proc ─────────────────────────────

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** seconds of CPU (user + system, and children that exited when withChildren) of one process; null if gone */
function procCpu(pid: number, withChildren = false): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the comm: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    const ticks = Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
    return ticks / CLK_TCK;
  } catch {
    return null;
  }
}

/** every process named postgres: pid → CPU seconds (with exited children, so backends that ended count) */
function postgresProcesses(): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const p of pids) {
    try {
      if (readFileSync(`/proc/${p}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const cpu = procCpu(Number(p), true);
    if (cpu !== null) out.set(Number(p), cpu);
  }
  return out;
}

/** CPU used by postgres processes between two snapshots (processes born since count from zero) */
function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

// ───────────────────────────── one run ─────────────────────────────

interface Fake {
  child: ChildProcess;
  apiUrl: string;
  workspaces: FakeWorkspace[];
}

interface RunSpec {
  store: 'postgres' | 'sqlite';
  workers: number;
}

interface Database {
  url: string;
  drop(): Promise<void>;
}

async function freshPostgres(baseUrl: string, name: string): Promise<Database> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await admin.query(`CREATE SCHEMA "${name}"`);
  } finally {
    await admin.end();
  }
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}options=-c%20search_path%3D${name}`;
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

function freshSqlite(): Database {
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  return { url: `sqlite:${join(dir, 'bench.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** per statement kind: count, and mean ms from sending to the answer */
function roundTripsByKind(reports: WorkerReport[]): Record<string, { n: number; meanMs: number; totalS: number }> {
  const sum: Record<string, { n: number; ms: number }> = {};
  for (const r of reports) {
    for (const [k, v] of Object.entries(r.roundTripsByKind)) {
      const e = (sum[k] ??= { n: 0, ms: 0 });
      e.n += v.n;
      e.ms += v.ms;
    }
  }
  return Object.fromEntries(
    Object.entries(sum)
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([k, v]) => [k, { n: v.n, meanMs: Math.round((v.ms / v.n) * 100) / 100, totalS: round1(v.ms / 1000) }]),
  );
}

function mergeCounts(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of all) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
}

async function countOpen(db: Db): Promise<number> {
  const row = await db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['pending', 'sending']).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function run(spec: RunSpec, fake: Fake, pgBase: string | null, index: number) {
  const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
  const code = codeVersion();
  const database = spec.store === 'postgres' ? await freshPostgres(pgBase!, `bench_scale_${process.pid}_${index}`) : freshSqlite();
  const store = await openStore(database.url, { poolSize: 2 });
  const workers: ChildProcess[] = [];
  try {
    // seed and fan out, in the parent
    const seedStart = performance.now();
    const now = new Date();
    const channels = await seedChannels(store.db, fake.workspaces.map((w) => ({ teamId: w.teamId })), PER_WORKSPACE, now);
    await seedPublications(store.db, PUBLICATIONS, now);
    const seedMs = performance.now() - seedStart;
    const directory = await loadAuthorityDirectory(store.db);
    const fanStart = performance.now();
    let queued = 0;
    for (;;) {
      const r = await fanOut({ db: store.db, directory, now: () => new Date(), logger: silentLogger }, { batch: 50 });
      queued += r.deliveries;
      if (r.events === 0) break;
    }
    const fanOutMs = performance.now() - fanStart;
    if (ANALYZE) await sql`ANALYZE`.execute(store.db);

    fake.child.send({ type: 'reset' });
    await once(fake.child, 'reset-done');

    // the workers: forked, connected and warm before the clock starts
    const tokens = Object.fromEntries(fake.workspaces.map((w) => [w.teamId, w.token]));
    for (let i = 0; i < spec.workers; i++) {
      const child = forkSelf('--worker-child');
      workers.push(child);
      const init: WorkerInit = { type: 'init', url: database.url, poolSize: POOL, concurrency: CONCURRENCY, apiUrl: fake.apiUrl, tokens, holder: `bench-${spec.store}-w${i + 1}-${index}` };
      child.send(init);
    }
    await Promise.all(workers.map((w) => once(w, 'ready')));

    const pgBefore = spec.store === 'postgres' ? postgresProcesses() : new Map<number, number>();
    const t0 = Date.now();
    for (const w of workers) w.send({ type: 'go' });
    let open = Number.POSITIVE_INFINITY;
    while (open > 0) {
      if (Date.now() - t0 > GIVE_UP_MS) throw new Error(`gave up: ${open} deliveries still open after ${GIVE_UP_MS / 60_000} minutes`);
      await new Promise((r) => setTimeout(r, 100));
      open = await countOpen(store.db);
    }
    const last = await store.db.selectFrom('deliveries').select((eb) => eb.fn.max('sent_at').as('last')).executeTakeFirstOrThrow();
    const lastSentAt = Date.parse(String(last.last));
    const wallMs = lastSentAt - t0;
    const observedMs = Date.now() - t0;

    const fakeReportP = once<{ report: FakeReport }>(fake.child, 'report');
    fake.child.send({ type: 'report' });
    const fakeReport = (await fakeReportP).report;
    const reports = await Promise.all(
      workers.map((w) => {
        const p = once<{ report: WorkerReport }>(w, 'report');
        w.send({ type: 'report', withKeys: fakeReport.duplicates > 0 });
        return p.then((m) => m.report);
      }),
    );
    // our backends are still connected (pooled): their CPU since they were born
    let backendsCpu = 0;
    let backendsSeen = 0;
    for (const r of reports) {
      for (const pid of r.backendPids) {
        const cpu = procCpu(pid);
        if (cpu !== null) {
          backendsCpu += cpu;
          backendsSeen++;
        }
      }
    }
    const pgAllCpu = spec.store === 'postgres' ? postgresCpuBetween(pgBefore, postgresProcesses()) : 0;
    await Promise.all(
      workers.map((w) => {
        // until it has exited (a CPU profile is written on the way out), at most 30 s
        const exited = new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 30_000);
          w.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        w.send({ type: 'stop' });
        return exited;
      }),
    );

    const expected = await store.db.selectFrom('deliveries').select(['dedupe_key', 'parts_total']).execute();
    const statuses = await store.db.selectFrom('deliveries').select(['status']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('status').execute();
    const got = new Set(fakeReport.keys);
    let losses = 0;
    let expectedParts = 0;
    for (const d of expected) {
      const parts = d.parts_total ?? 2;
      expectedParts += parts;
      for (let p = 0; p < parts; p++) if (!got.has(`${d.dedupe_key}#${p}`)) losses++;
    }
    const known = new Set(expected.flatMap((d) => Array.from({ length: d.parts_total ?? 2 }, (_, p) => `${d.dedupe_key}#${p}`)));
    const strays = fakeReport.keys.filter((k) => !known.has(k)).length;
    // for duplicates: which workers sent the part, and where the delivery ended up
    const duplicateSamples = [];
    for (const key of fakeReport.duplicateKeys.slice(0, 5)) {
      const senders = reports.flatMap((r) => (r.sentKeys ?? []).filter((k) => k === key).map(() => r.holder));
      const row = await store.db
        .selectFrom('deliveries')
        .select(['id', 'status', 'attempts', 'parts_sent', 'parts_total', 'last_error'])
        .where('dedupe_key', '=', key.replace(/#\d+$/, ''))
        .executeTakeFirst();
      duplicateSamples.push({ key, sentBy: senders, delivery: row ?? null });
    }

    const roundTrips = reports.reduce((n, r) => n + r.roundTrips, 0);
    const statementsTotal = mergeCounts(reports.map((r) => r.statements));
    const statementCount = Object.values(statementsTotal).reduce((a, b) => a + b, 0);
    const workersCpu = reports.reduce((n, r) => n + r.cpuSeconds, 0);
    const deliveries = expected.length;
    const seconds = wallMs / 1000;
    const perDelivery = (x: number) => (deliveries ? Math.round((x / deliveries) * 100) / 100 : null);

    return {
      store: spec.store,
      workers: spec.workers,
      codeVersion: code,
      loadAverageAtStart: loadAtStart,
      deliveries,
      queuedByFanOut: queued,
      byStatus: Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)])),
      messages: fakeReport.messages,
      expectedMessages: expectedParts,
      wallMs,
      deliveriesPerSecond: Math.round(deliveries / seconds),
      messagesPerSecond: Math.round(fakeReport.messages / seconds),
      duplicates: fakeReport.duplicates,
      losses,
      strayMessages: strays,
      ...(duplicateSamples.length ? { duplicateSamples } : {}),
      threadRepliesOutOfPlace: fakeReport.badThreads,
      fakeSlackErrors: fakeReport.errors,
      fakeSlackCalls: fakeReport.calls,
      fakeSlackEventLoopDelayMs: fakeReport.eventLoopDelayMs,
      sendFailures: mergeCounts(reports.map((r) => r.sendFailures)),
      inDoubtChecks: { calls: reports.reduce((n, r) => n + r.inDoubtChecks.calls, 0), found: reports.reduce((n, r) => n + r.inDoubtChecks.found, 0) },
      perWorker: reports.map((r) => ({
        holder: r.holder,
        deliveries: Math.round(r.partsSent / (expectedParts / Math.max(1, deliveries))),
        partsSent: r.partsSent,
        cpuSeconds: r.cpuSeconds,
        peakRssMb: r.peakRssMb,
        activeMs: r.firstSendAt ? r.lastSendAt - r.firstSendAt : 0,
        ...(spec.store === 'postgres' ? { postgresBackends: r.backendPids.length } : {}),
      })),
      cpuSeconds: {
        workers: round1(workersCpu),
        fakeSlack: fakeReport.cpuSeconds,
        ...(spec.store === 'postgres' ? { postgresWorkerBackends: round1(backendsCpu), postgresAllProcesses: round1(pgAllCpu) } : {}),
      },
      /** CPU seconds per wall second: 2 = both cores busy */
      coresBusy: {
        workers: round1(workersCpu / seconds),
        fakeSlack: round1(fakeReport.cpuSeconds / seconds),
        ...(spec.store === 'postgres' ? { postgres: round1(pgAllCpu / seconds) } : {}),
        total: round1((workersCpu + fakeReport.cpuSeconds + pgAllCpu) / seconds),
      },
      /** deliveries per CPU second of the workers and the Postgres backends serving them: throughput the CPU would allow, whatever else shares the machine */
      deliveriesPerCpuSecond: Math.round(deliveries / (workersCpu + backendsCpu)),
      workerCpuMsPerDelivery: perDelivery(workersCpu * 1000),
      ...(spec.store === 'postgres'
        ? { postgresCpuMsPerDelivery: perDelivery(backendsCpu * 1000), postgresRoundTripsPerDelivery: perDelivery(roundTrips), postgresBackendsMeasured: backendsSeen }
        : {}),
      statementsPerDelivery: perDelivery(statementCount),
      ...(spec.store === 'postgres' ? { postgresRoundTripsByKind: roundTripsByKind(reports) } : {}),
      statements: Object.fromEntries(Object.entries(statementsTotal).sort((a, b) => b[1] - a[1])),
      seedMs: Math.round(seedMs),
      fanOutMs: Math.round(fanOutMs),
      observedDoneMs: observedMs,
      channels: channels.length,
    };
  } finally {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await store.close();
    await database.drop().catch((e: unknown) => console.error(`could not drop the bench database: ${(e as Error).message}`));
  }
}

// ───────────────────────────── main ─────────────────────────────

function postgresUrl(): string {
  const fromEnv = process.env.DATABASE_URL_POSTGRES || process.env.TEST_DATABASE_URL;
  if (fromEnv) return fromEnv;
  const script = fileURLToPath(new URL('../scripts/test-postgres.sh', import.meta.url));
  const out = execFileSync(script, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const url = out.trim().split('\n').at(-1) ?? '';
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`scripts/test-postgres.sh start printed no URL (got ${JSON.stringify(out)})`);
  return url;
}

async function main(): Promise<void> {
  const withPostgres = !process.argv.includes('--no-postgres');
  const withSqlite = !process.argv.includes('--no-sqlite');
  const pgBase = withPostgres ? postgresUrl() : null;
  const fakeChildProcess = forkSelf('--fake-child');
  const ready = await once<{ apiUrl: string; workspaces: FakeWorkspace[] }>(fakeChildProcess, 'ready');
  const fake: Fake = { child: fakeChildProcess, apiUrl: ready.apiUrl, workspaces: ready.workspaces };

  const specs: RunSpec[] = [
    ...(withPostgres ? WORKER_COUNTS.map((w) => ({ store: 'postgres' as const, workers: w })) : []),
    ...(withSqlite ? [{ store: 'sqlite' as const, workers: SQLITE_WORKERS }] : []),
  ];
  const started = performance.now();
  const runs = [];
  try {
    for (const [i, spec] of specs.entries()) runs.push(await run(spec, fake, pgBase, i));
  } finally {
    fake.child.send({ type: 'exit' });
  }

  const pgRuns = runs.filter((r) => r.store === 'postgres');
  const rate = (w: number) => pgRuns.find((r) => r.workers === w)?.deliveriesPerSecond;
  const r1 = rate(1);
  const r2 = rate(2);
  const r4 = rate(4);
  const ratio = (a?: number, b?: number) => (a && b ? Math.round((a / b) * 100) / 100 : null);
  const cores = cpus().length;
  const result = {
    setup: {
      cores,
      channels: PER_WORKSPACE * WORKSPACES,
      workspaces: WORKSPACES,
      publications: PUBLICATIONS,
      postgresPoolSizePerWorker: POOL,
      outboxConcurrencyPerWorker: CONCURRENCY,
      fakeSlack: { latencyMs: LATENCY, channelIntervalMs: 0 },
      senderChannelIntervalMs: 0,
      analyzedBeforeRun: ANALYZE,
      postgres: pgBase ? pgBase.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@') : null,
    },
    runs,
    totalMs: Math.round(performance.now() - started),
    targets: {
      postgres2WorkersFasterThan1: r1 && r2 ? r2 > r1 : null,
      postgres2Over1: ratio(r2, r1),
      postgres4Over2: ratio(r4, r2),
      /** with 2 cores, 4 workers cannot beat 2 by much: within 15% counts as "about the same" */
      postgres4AboutEqual2: r2 && r4 ? Math.abs(r4 / r2 - 1) <= 0.15 : null,
      /** the machine was busy (≥ 1.7 of 2 cores) at the largest worker count */
      coresBusyAtMostWorkers: pgRuns.length ? pgRuns.at(-1)!.coresBusy.total : null,
      noDuplicates: runs.every((r) => r.duplicates === 0),
      noLosses: runs.every((r) => r.losses === 0),
      allSent: runs.every((r) => r.byStatus.sent === r.deliveries),
      /** false: the code changed between runs (see each run's codeVersion), so they do not compare */
      sameCodeEveryRun: new Set(runs.map((r) => r.codeVersion)).size === 1,
    },
  };
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv.includes('--fake-child')) await fakeChild();
else if (process.argv.includes('--worker-child')) await workerChild();
else await main();
