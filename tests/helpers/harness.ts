// Starts what a watcher test needs: the simulated Ofsted site on loopback and the product's context
// on an in-memory store, with no delay between requests and backoff waits recorded instead of slept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { startSimulatedOfsted, type SimulatedOfsted, type SimulatorOptions } from '../../src/simulator/ofsted-site.ts';
import { silentLogger } from '../../src/log/logger.ts';

export interface Harness {
  sim: SimulatedOfsted;
  ctx: AppContext;
  waits: number[];
  /** a new context on the same store file (a "restart") */
  restart(): Promise<AppContext>;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const r = parseConfig({ DATABASE_URL: 'sqlite::memory:', OFSTED_REQUEST_DELAY_MS: '0', LOG_LEVEL: 'silent', OFSTED_CONTACT: 'tests@example.org', ...overrides });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.config;
}

export async function startHarness(opts: { sim?: SimulatorOptions; env?: Record<string, string>; now?: () => Date } = {}): Promise<Harness> {
  const sim = await startSimulatedOfsted({ realPdfs: false, ...opts.sim });
  const waits: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ofsted-alerts-test-'));
  const databaseUrl = `sqlite:${join(dir, 'store.db')}`;
  const contexts: AppContext[] = [];
  const make = async () => {
    const ctx = await createContext(testConfig({ OFSTED_BASE_URL: sim.url, DATABASE_URL: databaseUrl, ...opts.env }), {
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
    restart: make,
    close: async () => {
      for (const c of contexts) await c.close().catch(() => {});
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
