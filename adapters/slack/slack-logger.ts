// Bolt's and the Web API client's Logger over our pino logger. Everything they log passes through
// scrubTokens first, so a token in a debug dump (request bodies, errors) never reaches the log.
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../src/log/logger.ts';

const TOKEN = /\b(xox[abposr]|xapp|xoxe(?:\.xox[bp])?)-[A-Za-z0-9-]{6,}/g;

/** Replaces anything shaped like a Slack token with its prefix and "[redacted]". */
export function scrubTokens(text: string): string {
  return text.replace(TOKEN, (_m, prefix: string) => `${prefix}-[redacted]`);
}

function describe(parts: unknown[]): string {
  return scrubTokens(
    parts
      .map((p) => {
        if (typeof p === 'string') return p;
        if (p instanceof Error) return `${p.name}: ${p.message}`;
        try {
          return JSON.stringify(p);
        } catch {
          return String(p);
        }
      })
      .join(' '),
  );
}

const PINO_TO_SLACK: Record<string, LogLevel> = { trace: LogLevel.DEBUG, debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN };

export function slackLogger(logger: Logger, name = 'slack'): SlackLogger {
  const child = logger.child({ component: name });
  let level: LogLevel = PINO_TO_SLACK[logger.level] ?? LogLevel.ERROR;
  return {
    debug: (...msg) => child.debug(describe(msg)),
    info: (...msg) => child.info(describe(msg)),
    warn: (...msg) => child.warn(describe(msg)),
    error: (...msg) => child.error(describe(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
