// Exit codes that scripts can rely on (also listed in `ofsted-alerts --help` and the README).
export const EXIT = {
  OK: 0,
  /** the command ran, but found faults (health), or a run recorded faults */
  FAULTS: 1,
  /** the command line was wrong */
  USAGE: 2,
  /** another watcher run held the lock, so this one did not run */
  BUSY: 3,
  /** what was asked for does not exist (unknown council, file not found, nothing matched) */
  NOT_FOUND: 4,
  /** internal error: a bug or an unexpected failure (see the log) */
  INTERNAL: 70,
  /** the configuration is invalid */
  CONFIG: 78,
} as const;
