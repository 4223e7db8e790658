// Structured logs (pino) to stderr, so stdout stays free for command output such as --json lines.
// Secrets are redacted by key wherever they appear in a logged object.
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_KEYS = [
  'token', 'botToken', 'userToken', 'appToken', 'secret', 'signingSecret', 'clientSecret', 'password',
  'authorization', 'Authorization', 'cookie', 'encryptionKey',
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination = 2): Logger {
  return pino(
    {
      level,
      base: { app: 'ofsted-alerts' },
      redact: { paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`), ...REDACTED_KEYS.map((k) => `*.*.${k}`)], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ fd: destination, sync: true }),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
