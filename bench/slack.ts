// npm run bench:slack — a busy morning for the Slack adapter. 20 publications fan out to 500 channels in
// 50 workspaces (OAuth installs, tokens encrypted in the store) and the real outbox worker delivers them
// through the Slack sender to a fake Slack (in a child process, so its memory is not ours) that answers
// each call after 50 ms and allows one message a second per channel (429 + Retry-After beyond). Meanwhile
// rounds of 50 signed /ofsted commands are sent at once over HTTP and their acknowledgements timed.
// Prints one JSON object: wall time against the lower bound (the busiest channel's messages, thread
// replies included, one second apart), duplicates, losses, thread order, 429s, peak RSS, ack p50/p99.
//
// Options: --workspaces 50 --channels-per-workspace 10 --publications 20 --latency 50 --concurrency 500
//          --command-rounds 10 --commands 50 [--analyze] [--yield]
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql, type KyselyPlugin } from 'kysely';
import { parseConfig } from '../src/config/config.ts';
import { createContext } from '../src/app/context.ts';
import { silentLogger } from '../src/log/logger.ts';
import { fanOut } from '../src/delivery/fan-out.ts';
import { createOutboxWorker } from '../src/delivery/outbox-worker.ts';
import { startSlackAdapter } from '../adapters/slack/start-slack-adapter.ts';
import { auditMessages, FakeSlack, postSigned, slashCommandBody, type FakeWorkspace } from '../tests/fakes/fake-slack.ts';
import { seedChannels, seedPublications } from '../tests/slack/seed-morning.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

const WORKSPACES = arg('workspaces', 50);
const PER_WORKSPACE = arg('channels-per-workspace', 10);
const PUBLICATIONS = arg('publications', 20);
const LATENCY = arg('latency', 50);
const CONCURRENCY = arg('concurrency', 500);
const ROUNDS = arg('command-rounds', 10);
const COMMANDS = arg('commands', 50);
const SIGNING_SECRET = randomBytes(16).toString('hex');
/** diagnosis only: give SQLite's planner statistics first (see the report: the outbox's queries pick a poor index without them) */
const ANALYZE = process.argv.includes('--analyze');
/** diagnosis only: the outbox's store yields to the event loop after each query (see the report) */
const YIELD = process.argv.includes('--yield');
const yieldPlugin: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    await new Promise((r) => setImmediate(r));
    return args.result;
  },
};

// ───────────────────────────── the fake Slack, in a child process ─────────────────────────────

interface ChildReport {
  messages: number;
  keys: string[];
  duplicates: number;
  maxPerChannel: number;
  badThreads: number;
  rateLimited: number;
  calls: Record<string, number>;
  responses: { id: string; at: number }[];
  /** per command: ms from sending it to its HTTP answer (the ack), and when it was sent */
  acks: { id: string; ms: number; sentAt: number }[];
  non200: number;
  firstAt: number;
  lastAt: number;
  rssPeakMb: number;
}

async function fakeChild(): Promise<void> {
  const workspaces = Array.from({ length: WORKSPACES }, (_, i) => ({ teamId: `T${String(i + 1).padStart(8, '0')}` }));
  const fake = await FakeSlack.start({ latencyMs: LATENCY, channelIntervalMs: 1000, workspaces });
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
  process.on('message', (m: { type: string } & Partial<CommandPlan>) => {
    if (m.type === 'commands') void fireCommands(fake, m as CommandPlan);
    if (m.type === 'report') {
      const audit = auditMessages(fake.messages);
      const report: ChildReport = {
        messages: fake.messages.length,
        keys: [...audit.timesByKey.keys()],
        duplicates: audit.duplicates,
        maxPerChannel: Math.max(0, ...audit.perChannel.values()),
        badThreads: audit.badThreads,
        rateLimited: fake.counters.rateLimited,
        calls: fake.counters.calls,
        responses: fake.responses.map((r) => ({ id: r.id, at: r.at })),
        firstAt: fake.messages[0]?.at ?? 0,
        lastAt: fake.messages.at(-1)?.at ?? 0,
        rssPeakMb: Math.round(rssPeak / 1048576),
        acks: commandAcks,
        non200: commandFailures,
      };
      process.send!({ type: 'report', report });
    }
    if (m.type === 'exit') {
      clearInterval(sampler);
      void fake.close().then(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', url: fake.url, apiUrl: fake.apiUrl, workspaces: [...fake.workspaces.values()] });
}

interface CommandPlan {
  eventsUrl: string;
  secret: string;
  targets: { team: string; channel: string }[];
  rounds: number;
  perRound: number;
  gapMs: number;
}

const commandAcks: { id: string; ms: number; sentAt: number }[] = [];
let commandFailures = 0;

/** In the child: rounds of commands sent at once, like Slack does, timing each acknowledgement. */
async function fireCommands(fake: FakeSlack, plan: CommandPlan): Promise<void> {
  // This process's own HTTP client starts cold: Node loads fetch (undici) on first use, and its code runs
  // unoptimised at first. Warmed here with one round of as many requests, to the fake itself (answered 404,
  // nothing recorded), so that the first measured round times the app's acknowledgements rather than this
  // client's start (without it, round 0's median was 40–70 ms above the others while the app sat mostly idle).
  await Promise.all(
    Array.from({ length: plan.perRound }, () => fetch(`${fake.url}__warm-up`, { method: 'POST', body: 'warm=1' }).then((r) => r.arrayBuffer()).catch(() => undefined)),
  );
  for (let round = 0; round < plan.rounds; round++) {
    await Promise.all(
      Array.from({ length: plan.perRound }, async (_, i) => {
        const t = plan.targets[(round * plan.perRound + i) % plan.targets.length]!;
        const id = `cmd-${round}-${i}`;
        const body = slashCommandBody({ teamId: t.team, channelId: t.channel, text: i % 2 ? 'list' : 'help', responseUrl: fake.responseUrl(id) });
        const sentAt = Date.now();
        const res = await postSigned(plan.eventsUrl, plan.secret, body).catch(() => ({ status: 0, ms: Date.now() - sentAt }));
        if (res.status !== 200) commandFailures++;
        commandAcks.push({ id, ms: res.ms, sentAt });
      }),
    );
    await new Promise((r) => setTimeout(r, plan.gapMs));
  }
  process.send!({ type: 'commands-done' });
}

function startChild(): Promise<{ child: ChildProcess; url: string; apiUrl: string; workspaces: FakeWorkspace[] }> {
  const child = fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), '--fake-child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m: { type: string; url: string; apiUrl: string; workspaces: FakeWorkspace[] }) => resolve({ child, url: m.url, apiUrl: m.apiUrl, workspaces: m.workspaces }));
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

// ───────────────────────────── the morning ─────────────────────────────

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10 : null;
};

let finished = false;

async function main(): Promise<void> {
  const { child, url, apiUrl, workspaces } = await startChild();
  child.on('exit', (code, signal) => {
    if (!finished) {
      console.error(`the fake Slack process ended early (code ${code}, signal ${signal})`);
      process.exit(1);
    }
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-slack-'));
  const parsed = parseConfig({
    DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    LOG_LEVEL: 'silent',
    OFSTED_CONTACT: 'bench@example.org',
    SLACK_CLIENT_ID: '1234.5678',
    SLACK_CLIENT_SECRET: 'bench-client-secret-0000',
    SLACK_STATE_SECRET: 'bench-state-secret-000000000',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SLACK_API_URL: apiUrl,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const ctx = await createContext(parsed.config, { logger: silentLogger });
  const adapter = await startSlackAdapter({ config: parsed.config, ctx, logger: silentLogger, port: 0 });
  for (const w of workspaces) {
    await adapter.installationStore!.storeInstallation({
      team: { id: w.teamId, name: w.teamName }, enterprise: undefined, user: { token: undefined, scopes: undefined, id: 'UINSTALLER' },
      bot: { token: w.token, scopes: ['commands', 'chat:write'], id: w.botId, userId: w.botUserId }, tokenType: 'bot', isEnterpriseInstall: false, authVersion: 'v2', appId: 'AFAKEAPP',
    });
  }
  const now = new Date();
  const channels = await seedChannels(ctx.db, workspaces, PER_WORKSPACE, now);
  await seedPublications(ctx.db, PUBLICATIONS, now);

  if (ANALYZE) await sql`ANALYZE`.execute(ctx.db);
  globalThis.gc?.();
  const baselineRss = process.memoryUsage.rss();
  let rssPeak = 0;
  let heapPeak = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 50);
  // with --expose-gc (diagnosis): what is retained, as against garbage not yet collected
  let retainedPeak = 0;
  const gcSampler = globalThis.gc
    ? setInterval(() => {
        globalThis.gc!();
        retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed);
      }, 2000)
    : null;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  const worker = createOutboxWorker({
    db: YIELD ? ctx.db.withPlugin(yieldPlugin) : ctx.db, senders: new Map([['slack', adapter.sender]]), now: () => new Date(), logger: silentLogger,
    holder: 'bench', concurrency: CONCURRENCY, idleMs: 200,
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  worker.start();
  let fanned = 0;
  for (;;) {
    const r = await fanOut({ db: ctx.db, directory: ctx.directory, now: () => new Date(), logger: silentLogger }, { batch: 50 });
    fanned += r.deliveries;
    worker.notify();
    if (r.events === 0) break;
  }
  const fanOutMs = performance.now() - t0;

  // commands in flight while the outbox is busy, sent from the child (its clock, its event loop)
  const eventsUrl = `http://127.0.0.1:${adapter.port}/slack/events`;
  const commandsDone = new Promise<void>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === 'commands-done') {
        child.off('message', on);
        resolve();
      }
    };
    child.on('message', on);
  });
  setTimeout(() => {
    const plan: CommandPlan = { eventsUrl, secret: SIGNING_SECRET, targets: channels.map((c) => ({ team: c.workspace, channel: c.channel })), rounds: ROUNDS, perRound: COMMANDS, gapMs: 1500 };
    child.send({ type: 'commands', ...plan });
  }, 3000);

  // until every delivery is settled
  let open = Number.POSITIVE_INFINITY;
  const giveUpAt = Date.now() + 15 * 60_000;
  while (open > 0) {
    if (Date.now() > giveUpAt) throw new Error(`gave up: ${open} deliveries still open after 15 minutes`);
    await new Promise((r) => setTimeout(r, 250));
    const row = await ctx.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['pending', 'sending']).executeTakeFirstOrThrow();
    open = Number(row.n);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await commandsDone;
  await worker.stop();
  clearInterval(sampler);
  if (gcSampler) clearInterval(gcSampler);

  const statuses = await ctx.db.selectFrom('deliveries').select(['status']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('status').execute();
  const expected = await ctx.db.selectFrom('deliveries').select(['dedupe_key', 'parts_total']).execute();
  await new Promise((r) => setTimeout(r, 500)); // the last replies to commands
  const report = await ask(child);
  const got = new Set(report.keys);
  let losses = 0;
  for (const d of expected) for (let p = 0; p < (d.parts_total ?? 2); p++) if (!got.has(`${d.dedupe_key}#${p}`)) losses++;
  const sentAt = new Map(report.acks.map((a) => [a.id, a.sentAt]));
  const acks = report.acks.map((a) => a.ms);
  const replyMs = report.responses.filter((r) => sentAt.has(r.id)).map((r) => r.at - sentAt.get(r.id)!);
  const lowerBoundMs = (report.maxPerChannel - 1) * 1000 + LATENCY;

  const result = {
    setup: { analyzed: ANALYZE, outboxYields: YIELD, workspaces: WORKSPACES, channels: channels.length, publications: PUBLICATIONS, fakeLatencyMs: LATENCY, channelIntervalMs: 1000, outboxConcurrency: CONCURRENCY },
    deliveries: { queued: fanned, byStatus: Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)])), messages: report.messages },
    wallMs: Math.round(wallMs),
    fanOutMs: Math.round(fanOutMs),
    lowerBoundMs,
    overLowerBound: `${(((wallMs - lowerBoundMs) / lowerBoundMs) * 100).toFixed(1)}%`,
    busiestChannelMessages: report.maxPerChannel,
    duplicates: report.duplicates,
    losses,
    threadRepliesOutOfPlace: report.badThreads,
    rateLimited429: report.rateLimited,
    slackCalls: report.calls,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
    peakRssMb: Math.round(rssPeak / 1048576),
    rssBeforeMorningMb: Math.round(baselineRss / 1048576),
    peakHeapMb: Math.round(heapPeak / 1048576),
    ...(gcSampler ? { retainedHeapPeakMb: Math.round(retainedPeak / 1048576) } : {}),
    eventLoopDelayMs: { p50: Math.round(loopDelay.percentile(50) / 1e6), p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
    fakeSlackPeakRssMb: report.rssPeakMb,
    slashCommands: {
      inFlight: COMMANDS, rounds: ROUNDS, acked: acks.length, non200: report.non200,
      ackMs: { p50: percentile(acks, 50), p99: percentile(acks, 99), max: percentile(acks, 100) },
      replyAtResponseUrlMs: { count: replyMs.length, p50: percentile(replyMs, 50), p99: percentile(replyMs, 99) },
    },
    targets: { withinTenPercent: wallMs <= lowerBoundMs * 1.1, noDuplicates: report.duplicates === 0, noLosses: losses === 0, rssUnder250Mb: rssPeak < 250 * 1048576, ackP99Under100ms: (percentile(acks, 99) ?? 1e9) < 100 },
  };
  console.log(JSON.stringify(result, null, 2));

  finished = true;
  child.send({ type: 'exit' });
  await adapter.stop();
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv.includes('--fake-child')) await fakeChild();
else await main();
