import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDigestStore, publish, slack, digestChannel, authority, WAKEFIELD, LEEDS, type TestStore } from './helpers.ts';
import { runDigestSchedule } from '../../src/digests/digest-scheduler.ts';
import { fanOut } from '../../src/delivery/fan-out.ts';
import { handleCommand } from '../../src/commands/handle-command.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { testDatabases } from '../helpers/test-database.ts';

describe.each(testDatabases())('$name', (database) => {
  /** A channel that leaves digests mid-week must still hear of what was announced since its last digest. */
  describe('digest off: nothing falls between the last digest and immediate alerts', () => {
    let s: TestStore;
    beforeEach(async () => {
      s = await openDigestStore(database);
    });
    afterEach(async () => s.close());

    it('publications announced since the last digest are queued as alerts for that channel only, once', async () => {
      const weekly = slack('C-WEEKLY');
      const other = slack('C-OTHER');
      await digestChannel(s.db, weekly, { mode: 'weekly', day: 'monday', time: '08:00' }, [authority(WAKEFIELD)], {}, new Date('2026-03-01T00:00:00Z'));
      await digestChannel(s.db, other, { mode: 'weekly', day: 'monday', time: '08:00' }, [authority(WAKEFIELD), authority(LEEDS)], {}, new Date('2026-03-01T00:00:00Z'));
      await publish(s.db, WAKEFIELD, new Date('2026-03-04T10:00:00Z'));
      await runDigestSchedule(s.deps, new Date('2026-03-09T08:00:00Z')); // the week's digest goes out
      const p2 = await publish(s.db, WAKEFIELD, new Date('2026-03-10T10:00:00Z'));
      await publish(s.db, LEEDS, new Date('2026-03-10T11:00:00Z'));
      const deps = { db: s.db, directory: s.directory, now: () => new Date('2026-03-11T12:00:00Z'), logger: silentLogger };
      await fanOut(deps); // weekly channels get no immediate alerts
      expect(await s.db.selectFrom('deliveries').selectAll().where('kind', '=', 'alert').execute()).toEqual([]);

      const caller = { channel: weekly, userId: 'U1' };
      const reply = await handleCommand({ ...deps, baseUrl: 'https://reports.example.test' }, caller, 'digest off');
      expect(reply.kind).toBe('digest-set');
      if (reply.kind === 'digest-set') expect(reply.text).toMatch(/1 publication announced since its last digest will follow/);
      const alerts = await s.db.selectFrom('deliveries').selectAll().where('kind', '=', 'alert').execute();
      expect(alerts.map((a) => [a.channel, a.publication_id])).toEqual([['C-WEEKLY', p2.id]]);

      await handleCommand({ ...deps, baseUrl: 'https://reports.example.test' }, caller, 'digest off');
      expect(await s.db.selectFrom('deliveries').selectAll().where('kind', '=', 'alert').execute()).toHaveLength(1);
    });
  });
});
