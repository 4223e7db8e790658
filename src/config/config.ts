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

// ───────────────────────────── Slack adapter settings (owned by adapters/slack) ─────────────────────────────
// Names are fixed by the README. Cross-field rules (which mode needs what) are in checkSlackSettings below.
const slackSecret = (what: string) => z.string().min(8, `must be the ${what} from the Slack app's settings (too short)`);
const encryptionKey = z.string().refine((v) => decodeKey32(v) !== null, {
  message: 'must be 32 random bytes as base64 (44 characters) or hex (64 characters); generate one with `openssl rand -base64 32`',
});
const slackFields = {
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-[A-Za-z0-9-]+$/, 'must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)').optional(),
  SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the hexadecimal Signing Secret from Basic Information → App Credentials').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-[A-Za-z0-9-]+$/, 'must be an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)').optional(),
  SLACK_CLIENT_ID: z.string().regex(/^\d+\.\d+$/, 'must be the Client ID from Basic Information → App Credentials (digits.digits)').optional(),
  SLACK_CLIENT_SECRET: slackSecret('Client Secret').optional(),
  SLACK_STATE_SECRET: z.string().min(16, 'must be at least 16 random characters (it signs the OAuth state; e.g. `openssl rand -hex 16`)').optional(),
  SLACK_TOKEN_ENCRYPTION_KEY: encryptionKey.optional(),
  SLACK_API_URL: httpUrl.transform((v) => `${v}/`).optional(),
  PORT: intFrom(1, 65_535).default(3000),
};

/** The 32-byte key in base64 or hex, or null if it is not one. */
export function decodeKey32(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-f]{64}$/i.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(v)) {
    const b = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) return b;
  }
  return null;
}

/** Secrets whose value is never echoed in a configuration error. */
export const SECRET_SETTINGS = new Set(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_ENCRYPTION_KEY', 'MICROSOFT_APP_PASSWORD']);

type SlackFields = z.infer<z.ZodObject<typeof slackFields>>;

function checkSlackSettings(c: SlackFields, ctx: { addIssue(issue: { code: 'custom'; path: string[]; message: string }): void }): void {
  const issue = (name: keyof SlackFields, message: string) => ctx.addIssue({ code: 'custom', path: [name], message });
  const oauthParts = [c.SLACK_CLIENT_ID, c.SLACK_CLIENT_SECRET, c.SLACK_STATE_SECRET].filter(Boolean).length;
  const oauth = oauthParts > 0;
  if (!c.SLACK_BOT_TOKEN && !oauth) {
    if (c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN) issue('SLACK_BOT_TOKEN', 'is needed (or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for installs in many workspaces) when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
    return; // Slack not configured
  }
  if (c.SLACK_BOT_TOKEN && oauth) issue('SLACK_BOT_TOKEN', 'must not be set together with SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET: choose one workspace (bot token) or OAuth installs');
  if (oauth) {
    if (!c.SLACK_CLIENT_ID) issue('SLACK_CLIENT_ID', 'is required for OAuth installs (SLACK_CLIENT_SECRET or SLACK_STATE_SECRET is set)');
    if (!c.SLACK_CLIENT_SECRET) issue('SLACK_CLIENT_SECRET', 'is required for OAuth installs (SLACK_CLIENT_ID or SLACK_STATE_SECRET is set)');
    if (!c.SLACK_STATE_SECRET) issue('SLACK_STATE_SECRET', 'is required for OAuth installs (SLACK_CLIENT_ID or SLACK_CLIENT_SECRET is set)');
    if (!c.SLACK_TOKEN_ENCRYPTION_KEY) issue('SLACK_TOKEN_ENCRYPTION_KEY', 'is required for OAuth installs: workspace tokens are stored encrypted with it. Generate one with `openssl rand -base64 32` and keep it safe (losing it means every workspace must reinstall)');
    if (!c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN) issue('SLACK_SIGNING_SECRET', 'is required for OAuth installs over HTTP: Slack signs the requests to /slack/events with it (Basic Information → App Credentials); or set SLACK_APP_TOKEN for Socket Mode');
  } else if (!c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET) {
    issue('SLACK_SIGNING_SECRET', 'is required in HTTP mode (Basic Information → App Credentials → Signing Secret); or set SLACK_APP_TOKEN (xapp-…) to use Socket Mode instead');
  }
}
// ───────────────────────────── end of Slack adapter settings ─────────────────────────────

// ───────────────────────────── Microsoft Teams adapter settings (owned by adapters/teams) ─────────────────────────────
// With MICROSOFT_APP_ID the adapter checks every request's Bot Framework token (401 without one); without it
// the adapter runs only when TEAMS_ALLOW_UNAUTHENTICATED=true says this is a local test. TEAMS_PORT, not PORT:
// Bolt's HTTP receiver owns PORT (it runs its own server), so Teams listens on its own port (default 3978,
// the Bot Framework's usual one). Cross-field rules are in checkTeamsSettings below.
export const TEAMS_APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
export type TeamsAppType = (typeof TEAMS_APP_TYPES)[number];
export const TEAMS_DEFAULT_PORT = 3978;
const guid = (what: string) =>
  z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, `must be ${what}, a GUID such as 00000000-0000-0000-0000-000000000000`);
const teamsAppType = z.string().transform((v, ctx) => {
  const found = TEAMS_APP_TYPES.find((t) => t.toLowerCase() === v.toLowerCase());
  if (!found) {
    ctx.addIssue({ code: 'custom', message: `must be one of ${TEAMS_APP_TYPES.join(', ')} (the Azure Bot's "Type of App")` });
    return z.NEVER;
  }
  return found;
});
const teamsFields = {
  MICROSOFT_APP_ID: guid("the bot's Microsoft App ID (Azure Bot → Configuration)").optional(),
  MICROSOFT_APP_PASSWORD: z.string().min(8, 'must be the client secret of the bot\'s app registration (Certificates & secrets → Value; too short)').optional(),
  MICROSOFT_APP_TENANT_ID: guid('the Microsoft Entra tenant id of the app registration (Directory (tenant) ID)').optional(),
  MICROSOFT_APP_TYPE: teamsAppType.optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: boolean.default(false),
  TEAMS_PORT: intFrom(1, 65_535).optional(),
};
SECRET_SETTINGS.add('MICROSOFT_APP_PASSWORD');

type TeamsFields = z.infer<z.ZodObject<typeof teamsFields>> & Partial<Pick<SlackFields, 'PORT' | 'SLACK_BOT_TOKEN' | 'SLACK_CLIENT_ID' | 'SLACK_APP_TOKEN'>>;

function checkTeamsSettings(c: TeamsFields, ctx: { addIssue(issue: { code: 'custom'; path: string[]; message: string }): void }): void {
  const issue = (name: keyof TeamsFields, message: string) => ctx.addIssue({ code: 'custom', path: [name], message });
  if (!c.MICROSOFT_APP_ID) {
    for (const name of ['MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'MICROSOFT_APP_TYPE'] as const) {
      if (c[name]) issue('MICROSOFT_APP_ID', `is required when ${name} is set (the Azure Bot's Microsoft App ID)`);
    }
    if (!c.TEAMS_ALLOW_UNAUTHENTICATED) {
      if (c.TEAMS_PORT !== undefined) issue('TEAMS_PORT', 'is set but Teams is not configured: set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID, or TEAMS_ALLOW_UNAUTHENTICATED=true for local tests only');
      return; // Teams not configured
    }
  } else {
    if (c.TEAMS_ALLOW_UNAUTHENTICATED) issue('TEAMS_ALLOW_UNAUTHENTICATED', 'must not be true when MICROSOFT_APP_ID is set: with an app id every request must carry a valid Bot Framework token');
    const type = c.MICROSOFT_APP_TYPE ?? (c.MICROSOFT_APP_TENANT_ID ? 'SingleTenant' : 'MultiTenant');
    if (type === 'UserAssignedMSI') {
      if (c.MICROSOFT_APP_PASSWORD) issue('MICROSOFT_APP_PASSWORD', 'must not be set for MICROSOFT_APP_TYPE=UserAssignedMSI (the managed identity has no secret)');
      if (!c.MICROSOFT_APP_TENANT_ID) issue('MICROSOFT_APP_TENANT_ID', 'is required for MICROSOFT_APP_TYPE=UserAssignedMSI');
    } else {
      if (!c.MICROSOFT_APP_PASSWORD) issue('MICROSOFT_APP_PASSWORD', `is required with MICROSOFT_APP_ID (${type}): the client secret of the bot's app registration`);
      if (type === 'SingleTenant' && !c.MICROSOFT_APP_TENANT_ID) issue('MICROSOFT_APP_TENANT_ID', 'is required for MICROSOFT_APP_TYPE=SingleTenant (the Directory (tenant) ID of the app registration)');
    }
  }
  const slackHttp = Boolean((c.SLACK_BOT_TOKEN || c.SLACK_CLIENT_ID) && !c.SLACK_APP_TOKEN);
  if (slackHttp && (c.TEAMS_PORT ?? TEAMS_DEFAULT_PORT) === c.PORT) {
    issue('TEAMS_PORT', `must differ from PORT (${c.PORT}), where the Slack adapter listens`);
  }
}
// ───────────────────────────── end of Microsoft Teams adapter settings ─────────────────────────────

export const configSchema = z.object({
  DATABASE_URL: databaseUrl.default('sqlite:./data/ofsted-alerts.db'),
  DATABASE_POOL_SIZE: intFrom(1, 100).default(10),
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
  OUTBOX_CLAIM_TTL_SECONDS: intFrom(5, 3600).default(120),
  JOB_CRON_CHECK_SECONDS: intFrom(1, 45).default(30),
  ...slackFields,
  ...teamsFields,
})
  .superRefine(checkSlackSettings)
  .superRefine(checkTeamsSettings);

export type Config = z.infer<typeof configSchema> & { userAgent: string };

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const VERSION = '0.1.0';

/** A URL's password replaced by *** (DATABASE_URL=postgres://user:password@host/db is echoed in errors without it). */
export function withoutPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@');
}

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
      const shown = input[name] === undefined || SECRET_SETTINGS.has(name) ? '' : ` (got ${JSON.stringify(withoutPassword(input[name]))})`;
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
