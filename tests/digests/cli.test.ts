// `ofsted-alerts digest run [--now]` and `digest preview CHANNEL|AUTHORITY [--since]`, through main().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { main } from '../../src/cli/main.ts';
import { bufferOutput } from '../../src/cli/output.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { parseConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { at, authority, digestChannel, grades, LEEDS, letter, publish, queuedDigests, slack, WAKEFIELD } from './helpers.ts';
import { testDatabases } from '../helpers/test-database.ts';

describe.each(testDatabases())('$name', (database) => {
  describe('ofsted-alerts digest', () => {
    let url: string;
    let ctx: AppContext;
    beforeAll(async () => {
      url = await database.freshUrl();
      const parsed = parseConfig({ DATABASE_URL: url, OFSTED_BASE_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent', OFSTED_CONTACT: 'tests@example.org' });
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      ctx = await createContext(parsed.config, { logger: silentLogger, now: () => at('2026-03-11T12:00:00Z') });
      await digestChannel(ctx.db, slack('CCLI'), { mode: 'weekly', day: 'monday', time: '08:00' }, [authority(WAKEFIELD), authority(LEEDS)]);
      await publish(ctx.db, WAKEFIELD, at('2026-03-04T10:00:00Z'), { letter: letter({ judgements: grades('good'), sentences: [{ themes: ['workforce'], polarity: 'concern', text: 'Caseloads are too high.' }], overview: ['Children in Wakefield are safer.'] }) });
      await publish(ctx.db, LEEDS, at('2026-03-10T10:00:00Z'), { type: 'monitoring-visit', letter: letter({ overview: ['Leeds is improving.'] }, 'monitoring-visit') });
    });
    afterAll(async () => {
      await ctx.close();
      await database.drop(url);
    });

    const cli = async (...args: string[]) => {
      const io = bufferOutput();
      const code = await main(args, { io, context: ctx });
      return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
    };

    it('preview AUTHORITY: a weekly digest of the last seven days as if a channel followed the council', async () => {
      const r = await cli('digest', 'preview', 'Wakefeild', '--now', '2026-03-09T08:00:00Z');
      expect(r.code).toBe(EXIT.OK);
      expect(r.out).toContain('WEEKLY DIGEST: 08:00 Monday 2 March to 08:00 Monday 9 March 2026 (UK time)');
      expect(r.out).toContain('Children in Wakefield are safer.');
      expect(r.out).toContain('Workforce: 1 / 0 of 1 letter');
      expect(r.err).toContain('a channel following Wakefield');
      const json = await cli('digest', 'preview', 'Leeds', '--since', '2026-03-01', '--json');
      expect(JSON.parse(json.out)).toMatchObject({ totals: { publications: 1, councils: 1 }, councils: [{ authority: 'Leeds' }] });
    });

    it('preview CHANNEL: its next digest so far, with its subscriptions', async () => {
      const r = await cli('digest', 'preview', 'slack:T1:CCLI', '--since', '2026-03-01', '--json');
      expect(r.code).toBe(EXIT.OK);
      const d = JSON.parse(r.out);
      expect(d.councils.map((c: { authority: string }) => c.authority)).toEqual(['Leeds', 'Wakefield']);
      const none = await cli('digest', 'preview', 'slack:T1:CCLI', '--now', '2026-03-02T09:00:00Z');
      expect(none.out).toContain('no digest would be sent');
      expect((await cli('digest', 'preview', 'slack:T1:CNOPE')).code).toBe(EXIT.NOT_FOUND);
      expect((await cli('digest', 'preview', 'Nowhereshire')).code).toBe(EXIT.NOT_FOUND);
    });

    it('run --now: queues what is due, once', async () => {
      const r = await cli('digest', 'run', '--now', '2026-03-09T08:00:30Z');
      expect(r.code).toBe(EXIT.OK);
      expect(r.out).toContain('1 digest(s) queued');
      expect(r.out).toContain('weekly:monday:08:00 up to 2026-03-09T08:00:00.000Z');
      const again = await cli('digest', 'run', '--now', '2026-03-09T08:01:30Z', '--json');
      expect(JSON.parse(again.out)).toMatchObject({ queued: 0, slots: [] });
      const queued = await queuedDigests(ctx.db, slack('CCLI'));
      expect(queued).toHaveLength(1);
      expect(queued[0]!.digest.councils.map((c) => c.authority)).toEqual(['Wakefield']);
    });

    it('says what is wrong with the command line', async () => {
      expect((await cli('digest')).code).toBe(EXIT.USAGE);
      expect((await cli('digest', 'frobnicate')).code).toBe(EXIT.USAGE);
      expect((await cli('digest', 'run', '--now', 'yesterday')).code).toBe(EXIT.USAGE);
      expect((await cli('digest', 'preview', 'Leeds', '--since', '1 March')).code).toBe(EXIT.USAGE);
      expect((await cli('--help')).out).toContain('digest preview CHANNEL|AUTHORITY');
    });
  });
});
