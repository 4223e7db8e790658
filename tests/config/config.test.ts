import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema, parseConfig } from '../../src/config/config.ts';

describe('configuration', () => {
  it('every setting is documented in .env.example with a comment, and .env.example itself is valid', () => {
    const example = readFileSync('.env.example', 'utf8');
    const lines = example.split('\n');
    for (const key of Object.keys(configSchema.shape)) {
      const at = lines.findIndex((l) => l.startsWith(`${key}=`));
      expect(at, `${key} missing from .env.example`).toBeGreaterThan(0);
      expect(lines.slice(0, at).reverse().find((l) => l.trim() !== '' && !/^[A-Z_]+=/.test(l))?.startsWith('#'), `${key} has no comment`).toBe(true);
    }
    const env = Object.fromEntries(lines.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(parseConfig(env).ok).toBe(true);
  });

  it('defaults: SQLite under ./data, Ofsted, 10-minute polls, Europe/London, at least 1 s between requests', () => {
    const r = parseConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.DATABASE_URL).toBe('sqlite:./data/ofsted-alerts.db');
    expect(r.config.OFSTED_BASE_URL).toBe('https://reports.ofsted.gov.uk');
    expect(r.config.POLL_CRON).toBe('*/10 * * * *');
    expect(r.config.TZ).toBe('Europe/London');
    expect(r.config.OFSTED_REQUEST_DELAY_MS).toBeGreaterThanOrEqual(1000);
    expect(r.config.userAgent).toMatch(/ofsted-alerts\/.*contact/);
  });

  it('DATABASE_POOL_SIZE: 10 by default, a whole number from 1 to 100; a bad DATABASE_URL is echoed without its password', () => {
    const r = parseConfig({ DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/alerts' });
    expect(r.ok && r.config.DATABASE_POOL_SIZE).toBe(10);
    expect(r.ok && r.config.DATABASE_URL).toBe('postgres://app:s3cret@db.internal:5432/alerts');
    const ok = parseConfig({ DATABASE_POOL_SIZE: '25' });
    expect(ok.ok && ok.config.DATABASE_POOL_SIZE).toBe(25);
    for (const bad of ['0', '101', '2.5', 'many']) {
      const b = parseConfig({ DATABASE_POOL_SIZE: bad });
      expect(b.ok).toBe(false);
      if (!b.ok) expect(b.problems.join('\n')).toMatch(/DATABASE_POOL_SIZE must be/);
    }
    const url = parseConfig({ DATABASE_URL: 'postgress://app:s3cret@db.internal:5432/alerts' });
    expect(url.ok).toBe(false);
    if (!url.ok) {
      expect(url.problems.join('\n')).toContain('postgress://app:***@db.internal:5432/alerts');
      expect(url.problems.join('\n')).not.toContain('s3cret');
    }
  });

  it('a bad value names the variable and what is wrong, and a secret is never echoed', () => {
    const r = parseConfig({ TZ: 'Mars/Olympus', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', OFSTED_BASE_URL: 'ftp://x', SLACK_BOT_TOKEN: 'xoxp-user-token-secret' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.join('\n');
    expect(text).toMatch(/TZ is not a time zone/);
    expect(text).toMatch(/LOG_LEVEL must be one of/);
    expect(text).toMatch(/DATABASE_URL must be sqlite:PATH/);
    expect(text).toMatch(/OFSTED_BASE_URL/);
    expect(text).toMatch(/SLACK_BOT_TOKEN/);
    expect(text).not.toContain('xoxp-user-token-secret');
  });
});
