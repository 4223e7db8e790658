// Builds what every command needs from a validated config: store, logger, Ofsted client, council registry.
// One place to wire things, so commands and the long-running process are assembled the same way.
import { hostname } from 'node:os';
import type { Config } from '../config/config.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { openStore, type Db } from '../store/db.ts';
import { OfstedClient, type OfstedClientOptions } from '../sources/ofsted-client.ts';
import type { WatcherDeps } from '../watcher/deps.ts';
import { loadAuthorityDirectory, type AuthorityDirectory } from './authority-directory.ts';

export interface AppContext {
  config: Config;
  logger: Logger;
  db: Db;
  client: OfstedClient;
  directory: AuthorityDirectory;
  now: () => Date;
  watcherDeps(): WatcherDeps;
  close(): Promise<void>;
}

export interface ContextOptions {
  logger?: Logger;
  now?: () => Date;
  /** for tests: client settings such as a recording sleep or a short backoff */
  client?: Partial<OfstedClientOptions>;
}

export async function createContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const now = opts.now ?? (() => new Date());
  const store = await openStore(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, onConnectionError: (message) => logger.warn(message) });
  const client = new OfstedClient({
    baseUrl: config.OFSTED_BASE_URL,
    userAgent: config.userAgent,
    delayMs: config.OFSTED_REQUEST_DELAY_MS,
    timeoutMs: config.OFSTED_TIMEOUT_MS,
    maxRetries: config.OFSTED_MAX_RETRIES,
    logger,
    ...opts.client,
  });
  if (!config.OFSTED_CONTACT && !config.OFSTED_USER_AGENT) {
    logger.warn('OFSTED_CONTACT is not set: Ofsted cannot reach the operator of this watcher. Set it to an email address or URL.');
  }
  const directory = await loadAuthorityDirectory(store.db);
  const holder = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  return {
    config,
    logger,
    db: store.db,
    client,
    directory,
    now,
    watcherDeps: () => ({
      db: store.db,
      client,
      logger,
      now,
      baseUrl: config.OFSTED_BASE_URL,
      authorities: directory,
      holder,
      faultAlertAfter: config.FAULT_ALERT_AFTER,
    }),
    close: async () => {
      await client.close?.();
      await store.close();
    },
  };
}
