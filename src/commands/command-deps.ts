// What command handling needs. The adapter (Slack, Teams, console) builds one and calls handleCommand.
import type { AuthorityDirectory } from '../app/authority-directory.ts';
import type { Logger } from '../log/logger.ts';
import type { LetterDeps } from '../pipeline/ensure-letter.ts';
import type { Db } from '../store/db.ts';

export interface CommandDeps {
  db: Db;
  directory: AuthorityDirectory;
  now: () => Date;
  logger: Logger;
  /** to read a letter not read yet, once (lookups); without it lookups show what is stored */
  letters?: LetterDeps;
  /** Ofsted's site, for council page links (config OFSTED_BASE_URL) */
  baseUrl: string;
}
