// Configuration from the environment (and a .env file), validated once at start.
// A bad value is reported with the variable's name and what is wrong; nothing starts half-configured.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { z } from 'zod';
import cron from 'node-cron';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const intFrom = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const cronExpr = z.string().refine((v) => cron.validate(v), {
  message: 'is not a valid cron expression (five or six fields, e.g. "*/10 * * * *")',
});

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a time zone known to this system (e.g. "Europe/London")' },
);

const httpUrl = z
  .string()
  .url('must be a URL such as https://reports.ofsted.gov.uk')
  .refine((v) => /^https?:\/\//.test(v), { message: 'must start with http:// or https://' })
  .transform((v) => v.replace(/\/+$/, ''));

const databaseUrl = z
  .string()
  .min(1, 'must not be empty')
  .refine((v) => v === 'sqlite::memory:' || v.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(v), {
    message: 'must be sqlite:PATH, sqlite::memory: or postgres://USER:PASSWORD@HOST:PORT/DB',
  });

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  DATABASE_URL: databaseUrl.default('sqlite:./data/ofsted-alerts.db'),
  OFSTED_BASE_URL: httpUrl.default('https://reports.ofsted.gov.uk'),
  OFSTED_REQUEST_DELAY_MS: intFrom(0, 600_000).default(1500),
  OFSTED_TIMEOUT_MS: intFrom(1000, 600_000).default(30_000),
  OFSTED_MAX_RETRIES: intFrom(0, 20).default(5),
  OFSTED_CONTACT: z.string().max(200, 'must be at most 200 characters').default(''),
  OFSTED_USER_AGENT: z.string().max(300, 'must be at most 300 characters').default(''),
  POLL_CRON: cronExpr.default('*/10 * * * *'),
  SWEEP_CRON: cronExpr.default('17 2 * * *'),
  TZ: timeZone.default('Europe/London'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LETTER_MAX_BYTES: intFrom(1024, 500 * 1024 * 1024).default(25 * 1024 * 1024),
  LETTER_MAX_PAGES: intFrom(1, 2000).default(300),
  LETTER_TIMEOUT_MS: intFrom(1000, 600_000).default(60_000),
  LETTER_WORKERS: intFrom(1, 64).default(Math.max(1, Math.min(cpus().length, 8))),
  SUMMARY_BUDGET_CHARS: intFrom(200, 40_000).default(3000),
  FAULT_ALERT_AFTER: intFrom(1, 100).default(3),
  CONSOLE_ADAPTER: boolean.default(true),
});

export type Config = z.infer<typeof configSchema> & { userAgent: string };

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const VERSION = '0.1.0';

/** Validates an environment. Unknown variables are ignored; empty strings count as unset. */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'configuration');
      const shown = input[name] === undefined ? '' : ` (got ${JSON.stringify(input[name])})`;
      return `${name} ${issue.message}${shown}`;
    });
    return { ok: false, problems };
  }
  const c = parsed.data;
  const contact = c.OFSTED_CONTACT || 'contact not configured: set OFSTED_CONTACT';
  const userAgent = c.OFSTED_USER_AGENT || `ofsted-alerts/${VERSION} (children's services publication alerts; ${contact})`;
  return { ok: true, config: { ...c, userAgent } };
}

/** Reads ./.env (if present) without overriding variables already set, then validates. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): ConfigResult {
  if (env === process.env && existsSync(envFile)) {
    try {
      process.loadEnvFile(envFile);
    } catch (error) {
      return { ok: false, problems: [`${envFile} could not be read: ${(error as Error).message}`] };
    }
  }
  return parseConfig(env);
}
