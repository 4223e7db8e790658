// Starts what a watcher test needs: the simulated Ofsted site on loopback and the product's context on a
// real store (a SQLite file in a temp folder by default; any DATABASE_URL, e.g. a fresh Postgres schema from
// tests/helpers/test-database.ts), with no delay between requests and backoff waits recorded instead of slept.
import { parseConfig, type Config } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { startSimulatedOfsted, type SimulatedOfsted, type SimulatorOptions } from '../../src/simulator/ofsted-site.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { sqliteTestDatabase, type TestDatabase } from './test-database.ts';

export interface Harness {
  sim: SimulatedOfsted;
  ctx: AppContext;
  waits: number[];
  /** the store's DATABASE_URL */
  databaseUrl: string;
  /** a new context on the same store file (a "restart") */
  restart(): Promise<AppContext>;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const r = parseConfig({ DATABASE_URL: 'sqlite::memory:', OFSTED_REQUEST_DELAY_MS: '0', LOG_LEVEL: 'silent', OFSTED_CONTACT: 'tests@example.org', ...overrides });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.config;
}

export interface HarnessOptions {
  sim?: SimulatorOptions;
  env?: Record<string, string>;
  now?: () => Date;
  /** the store: a fresh database of this kind, removed on close (default: a SQLite file) */
  database?: TestDatabase;
  /** or this DATABASE_URL, used as it is and left in place */
  databaseUrl?: string;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const database = opts.database ?? sqliteTestDatabase;
  const databaseUrl = opts.databaseUrl ?? (await database.freshUrl());
  const sim = await startSimulatedOfsted({ realPdfs: false, ...opts.sim });
  const waits: number[] = [];
  const contexts: AppContext[] = [];
  const make = async () => {
    const ctx = await createContext(testConfig({ OFSTED_BASE_URL: sim.url, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '5', ...opts.env }), {
      logger: silentLogger,
      now: opts.now,
      client: {
        backoffBaseMs: 10,
        sleep: async (ms: number) => {
          waits.push(ms);
        },
      },
    });
    contexts.push(ctx);
    return ctx;
  };
  const ctx = await make();
  return {
    sim,
    ctx,
    waits,
    databaseUrl,
    restart: make,
    close: async () => {
      for (const c of contexts) await c.close().catch(() => {});
      await sim.close();
      if (!opts.databaseUrl) await database.drop(databaseUrl);
    },
  };
}
