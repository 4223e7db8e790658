// Picks the coordinator for the store in use: Postgres (several instances) or in-process (SQLite).
import type { Logger } from '../log/logger.ts';
import type { Db } from '../store/db.ts';
import { isPostgres } from '../store/dialect.ts';
import type { Coordinator } from './coordinator.ts';
import { createInProcessCoordinator } from './in-process-coordinator.ts';
import { createPostgresCoordinator, type PostgresCoordinatorOptions } from './postgres-coordinator.ts';

export function createCoordinator(opts: { db: Db; databaseUrl: string; logger: Logger } & Partial<PostgresCoordinatorOptions>): Coordinator {
  return isPostgres(opts.db) ? createPostgresCoordinator(opts) : createInProcessCoordinator({ logger: opts.logger });
}
