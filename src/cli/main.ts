// The command line: `ofsted-alerts COMMAND [options]`. Returns an exit code (see exit-codes.ts); never throws.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from '../config/config.ts';
import { createContext, type AppContext } from '../app/context.ts';
import { EXIT } from './exit-codes.ts';
import { processOutput, type Output } from './output.ts';
import { watchCommand } from './commands/watch-commands.ts';
import { healthCommand } from './commands/health-command.ts';
import { authoritiesCommand, publicationsCommand } from './commands/lookup-commands.ts';
import { startCommand } from './commands/start-command.ts';
import { simulateCommand } from './commands/simulate-command.ts';
import { summariseCommand, searchCommand } from './commands/letter-commands.ts';
import { deliveriesCommand } from './commands/deliveries-command.ts';
import { digestCommand } from './commands/digest-command.ts';

export const HELP = `ofsted-alerts: alerts for Ofsted's publications about English councils' children's services

Usage: ofsted-alerts COMMAND [options]

Commands:
  start                          the long-running process: scheduled poll and sweep, letter reading,
                                 and the configured chat adapters (the console adapter when none is)
  poll [--once] [--json] [--announce-since DATE]
                                 one poll of Ofsted's listing; reads a council's page only where its
                                 latest-report date moved or the council is new. --json prints each new
                                 publication as one JSON line: {"authority","urn","gss","type","publicationDate","url"}
  sweep [--once] [--json] [--announce-since DATE]
                                 one reconciliation sweep: reads every council's page
  authorities [QUERY] [--json]   lists councils, or resolves QUERY (name, typo, GSS/DfE code, URN, region)
  publications AUTHORITY [--json]
                                 the publications recorded for a council, newest first
  summarise FILE_OR_URL [--json] [--budget CHARS] [--explain]
                                 reads an Ofsted letter (PDF file or URL) and prints its summary by theme
  search WORDS [--json]          searches the letters already read ("quoted phrases" allowed)
  health [--json]                open faults, last runs, unreadable letters, deliveries, work waiting
  deliveries [--json] | deliveries retry ID|all
                                 the outbox: counts, failed and undeliverable deliveries; queue failed ones again
  digest preview CHANNEL|AUTHORITY [--since DATE] [--now ISO_TIME] [--json]
                                 what a digest would say: for a channel (slack:T123:C456,
                                 teams:TENANT:CONVERSATION) its next digest so far; for a council, a
                                 weekly digest of the last 7 days as if a channel followed it
  digest run [--now ISO_TIME] [--json]
                                 checks the digest schedule as if at that time: queues the daily and
                                 weekly digests that are due (and late ones missed while not running)
  simulate [--port N] [--no-real-pdfs] [--listing-moves-for all|inspections]
                                 runs the simulated Ofsted site on 127.0.0.1 for trying the product offline

Options:
  --announce-since DATE   announce publications on or after DATE (yyyy-mm-dd) even during the first,
                          silent baseline: a deliberate backfill
  --since DATE            digest preview: start the window at DATE (yyyy-mm-dd, UK time, or an ISO time)
  --now ISO_TIME          digest: act as if it were that time (e.g. 2026-03-09T08:00:00Z)
  -h, --help              this help;  -v, --version  the version

Configuration comes from the environment and ./.env (see .env.example). Logs go to stderr.

Exit codes: 0 ok · 1 ran but found faults (or health has open faults) · 2 bad command line ·
3 another watcher run holds the lock · 4 not found · 70 internal error · 78 invalid configuration`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  once: { type: 'boolean' },
  json: { type: 'boolean' },
  explain: { type: 'boolean' },
  'announce-since': { type: 'string' },
  budget: { type: 'string' },
  port: { type: 'string' },
  'no-real-pdfs': { type: 'boolean' },
  'listing-moves-for': { type: 'string' },
  since: { type: 'string' },
  now: { type: 'string' },
} satisfies ParseArgsConfig['options'];

class UsageError extends Error {}

export interface MainOptions {
  env?: NodeJS.ProcessEnv;
  io?: Output;
  /** for tests: a ready context instead of one built from the environment */
  context?: AppContext;
  signal?: AbortSignal;
}

export async function main(argv: string[], opts: MainOptions = {}): Promise<number> {
  const io = opts.io ?? processOutput;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${(error as Error).message}\nRun 'ofsted-alerts --help' for the commands and options.`);
    return EXIT.USAGE;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.version) {
    io.out('ofsted-alerts 0.1.0');
    return EXIT.OK;
  }
  if (values.help || !command || command === 'help') {
    io.out(HELP);
    return command || values.help ? EXIT.OK : EXIT.USAGE;
  }

  try {
    const announceSince = values['announce-since'] ?? null;
    if (announceSince !== null && !isIsoDate(announceSince)) throw new UsageError(`--announce-since must be a date as yyyy-mm-dd (got "${announceSince}")`);
    const budget = values.budget === undefined ? undefined : Number(values.budget);
    if (budget !== undefined && (!Number.isInteger(budget) || budget < 100 || budget > 100_000)) throw new UsageError(`--budget must be a whole number of characters from 100 to 100000 (got "${values.budget}")`);

    // Commands that need no configuration or store.
    if (command === 'simulate') {
      const port = values.port === undefined ? 8089 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (got "${values.port}")`);
      const moves = values['listing-moves-for'] ?? 'inspections';
      if (moves !== 'all' && moves !== 'inspections') throw new UsageError(`--listing-moves-for must be "all" or "inspections" (got "${moves}")`);
      return await simulateCommand({ port, realPdfs: !values['no-real-pdfs'], latestReportMovesFor: moves, signal: opts.signal }, io);
    }

    const known = ['start', 'poll', 'sweep', 'authorities', 'publications', 'health', 'summarise', 'summarize', 'search', 'digest', 'deliveries'];
    if (!known.includes(command)) throw new UsageError(`unknown command "${command}". Commands: ${known.filter((c) => c !== 'summarize').join(', ')}, simulate, help`);
    if (command === 'publications' && args.length === 0) throw new UsageError('publications needs a council: ofsted-alerts publications Wakefield');
    if ((command === 'summarise' || command === 'summarize') && args.length !== 1) throw new UsageError('summarise needs one PDF file or URL: ofsted-alerts summarise letter.pdf');
    if (command === 'search' && args.join(' ').trim() === '') throw new UsageError('search needs words: ofsted-alerts search care leavers accommodation');
    if (['poll', 'sweep', 'health', 'start'].includes(command) && args.length > 0) throw new UsageError(`${command} takes no arguments (got "${args.join(' ')}")`);

    const ctx = opts.context ?? (await contextFromEnv(opts.env ?? process.env, io));
    if (typeof ctx === 'number') return ctx;
    try {
      switch (command) {
        case 'poll':
        case 'sweep':
          return await watchCommand(command, ctx, { json: Boolean(values.json), announceSince, signal: opts.signal }, io);
        case 'health':
          return await healthCommand(ctx, { json: Boolean(values.json) }, io);
        case 'authorities':
          return await authoritiesCommand(ctx, args.join(' '), { json: Boolean(values.json) }, io);
        case 'publications':
          return await publicationsCommand(ctx, args.join(' '), { json: Boolean(values.json) }, io);
        case 'summarise':
        case 'summarize':
          return await summariseCommand(ctx, args[0]!, { json: Boolean(values.json), budget, explain: Boolean(values.explain) }, io);
        case 'deliveries':
          return await deliveriesCommand(ctx, args, { json: Boolean(values.json) }, io);
        case 'search':
          return await searchCommand(ctx, args.join(' '), { json: Boolean(values.json) }, io);
        case 'start':
          return await startCommand(ctx, { signal: opts.signal }, io);
        case 'digest':
          return await digestCommand(ctx, args, { json: Boolean(values.json), since: values.since ?? null, now: values.now ?? null }, io);
      }
    } finally {
      if (!opts.context) await ctx.close();
    }
    return EXIT.USAGE;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nRun 'ofsted-alerts --help' for the commands and options.`);
      return EXIT.USAGE;
    }
    io.err(`ofsted-alerts: internal error: ${(error as Error).message}`);
    if (process.env.LOG_LEVEL === 'debug') io.err((error as Error).stack ?? '');
    return EXIT.INTERNAL;
  }
}

async function contextFromEnv(env: NodeJS.ProcessEnv, io: Output): Promise<AppContext | number> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    io.err('ofsted-alerts: the configuration is invalid:');
    for (const p of loaded.problems) io.err(`  ${p}`);
    io.err('See .env.example for every setting and its meaning.');
    return EXIT.CONFIG;
  }
  try {
    return await createContext(loaded.config as Config);
  } catch (error) {
    io.err(`ofsted-alerts: cannot start: ${(error as Error).message}`);
    return EXIT.CONFIG;
  }
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
