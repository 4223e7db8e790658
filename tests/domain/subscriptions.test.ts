import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand, SORRY } from '../../src/commands/handle-command.ts';
import type { Reply } from '../../src/chat/types.ts';
import { findWorkspaceSubscription, listSubscriptions, listWorkspaceSubscriptions } from '../../src/subscriptions/list-subscriptions.ts';
import { createSubscriptions } from '../../src/subscriptions/create-subscriptions.ts';
import { endWorkspace } from '../../src/subscriptions/end-workspace.ts';
import { pauseChannel } from '../../src/subscriptions/pause-subscriptions.ts';
import { caller, channel, commandDeps, openTestStore, WAKEFIELD, LEEDS, YORKSHIRE, type TestStore } from './helpers/store.ts';
import type { CommandDeps } from '../../src/commands/command-deps.ts';
import { testDatabases } from '../helpers/test-database.ts';

describe.each(testDatabases())('$name', (database) => {
  let s: TestStore;
  let deps: CommandDeps;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const now = () => new Date(clock);

  beforeEach(async () => {
    s = await openTestStore(database);
    deps = commandDeps(s, now);
  });
  afterEach(async () => s.close());

  const run = (text: string, who = caller('C1')) => handleCommand(deps, who, text);
  const of = <K extends Reply['kind']>(r: Reply, kind: K): Extract<Reply, { kind: K }> => {
    expect(r.kind, 'text' in r ? r.text : '').toBe(kind);
    return r as Extract<Reply, { kind: K }>;
  };
  const rows = () => s.db.selectFrom('subscriptions').selectAll().orderBy('id').execute();

  describe('subscribe', () => {
    it('subscribes a channel to several councils with filters, privately', async () => {
      const r = of(await run('subscribe Wakefield, Leeds types:inspection,focused-visit themes:front-door,care-leavers'), 'subscribed');
      expect(r.visibility).toBe('private');
      expect(r.created.map((x) => x.targetName)).toEqual(['Wakefield', 'Leeds']);
      expect(r.created[0]).toMatchObject({
        channel: channel('C1'), target: { kind: 'authority', urn: WAKEFIELD.urn }, types: ['focused-visit', 'inspection'], themes: ['care-leavers', 'front-door'],
        frequency: 'immediate', status: 'active', createdBy: 'U1',
      });
      expect(r.text).toMatch(/now follows Wakefield and Leeds: inspections and focused visits about Front door, contacts and referrals or Care leavers\./);
    });

    it('regions by region: and by name, all councils, typos', async () => {
      of(await run('subscribe region:"Yorkshire and the Humber"'), 'subscribed');
      of(await run('subscribe London'), 'subscribed');
      of(await run('subscribe all'), 'subscribed');
      of(await run('subscribe Wakefeild'), 'subscribed');
      const { subscriptions } = await listSubscriptions(s.db, channel('C1'));
      expect(subscriptions.map((x) => [x.target, x.targetName])).toEqual([
        [{ kind: 'all' }, 'all councils'],
        [{ kind: 'authority', urn: WAKEFIELD.urn }, 'Wakefield'],
        [{ kind: 'region', regionCode: 'E12000007' }, 'London'],
        [{ kind: 'region', regionCode: YORKSHIRE }, 'Yorkshire and the Humber'],
      ]);
    });

    it('is idempotent, and subscribing again replaces filters or resumes', async () => {
      of(await run('subscribe Wakefield'), 'subscribed');
      const again = of(await run('subscribe wakefield'), 'subscribed');
      expect(again.created).toEqual([]);
      expect(again.alreadyHad.map((x) => x.targetName)).toEqual(['Wakefield']);
      expect(again.text).toMatch(/Already following Wakefield/);
      const changed = of(await run('subscribe Wakefield types:inspection'), 'subscribed');
      expect(changed.updated?.[0]?.types).toEqual(['inspection']);
      await run('pause Wakefield');
      const resumed = of(await run('subscribe Wakefield types:inspection'), 'subscribed');
      expect(resumed.updated?.[0]?.status).toBe('active');
      expect(await rows()).toHaveLength(1);
    });

    it('changes nothing when any one of several names is unknown or ambiguous', async () => {
      const r = of(await run('subscribe Wakefield, Narnia, Leeds'), 'did-you-mean');
      expect(r.visibility).toBe('private');
      expect(r.input).toBe('Narnia');
      expect(r.text).toMatch(/No council matches “Narnia”/);
      expect(r.text).toMatch(/Nothing was changed/);
      const amb = of(await run('subscribe Sussex'), 'did-you-mean');
      expect(amb.suggestions).toEqual(expect.arrayContaining(['East Sussex', 'West Sussex']));
      expect(amb.text).toMatch(/could mean several councils/);
      const typo = of(await run('subscribe Wakefield region:"Yorkshre and Humbr"'), 'did-you-mean');
      expect(typo.text).toMatch(/No region matches/);
      expect(await rows()).toEqual([]);
      expect(await s.db.selectFrom('channels').selectAll().execute()).toEqual([]);
    });

    it('a live duplicate is impossible: the partial unique index refuses it', async () => {
      await createSubscriptions(s.db, { channel: channel('C1'), createdBy: 'U1', targets: [{ target: { kind: 'all' }, name: 'all councils' }], types: [], themes: [], now: now() });
      const dup = s.db.insertInto('subscriptions').values({
        platform: 'slack', workspace: 'T1', channel: 'C1', target_kind: 'all', target_value: '*', target_name: 'all councils', types: '[]', themes: '[]',
        frequency: 'immediate', status: 'active', status_reason: null, created_by: 'U9', created_at: now().toISOString(), updated_at: now().toISOString(), ended_at: null,
      });
      await expect(dup.execute()).rejects.toThrow(/UNIQUE|duplicate key/);
    });

    it('concurrent identical subscribes make one subscription', async () => {
      const replies = await Promise.all([run('subscribe Leeds'), run('subscribe Leeds'), run('subscribe Leeds')]);
      for (const r of replies) expect(r.kind).toBe('subscribed');
      expect(await rows()).toHaveLength(1);
    });
  });

  describe('unsubscribe, pause, resume, list', () => {
    it('unsubscribing ends the subscription with a reason and keeps the row', async () => {
      await run('subscribe Wakefield, Leeds');
      clock += 60_000;
      const r = of(await run('unsubscribe Wakefield', caller('C1', 'T1', 'U7')), 'unsubscribed');
      expect(r.ended.map((x) => x.targetName)).toEqual(['Wakefield']);
      expect(r.ended[0]).toMatchObject({ status: 'ended', statusReason: 'unsubscribed by U7' });
      const all = await rows();
      expect(all).toHaveLength(2);
      expect(all[0]).toMatchObject({ status: 'ended', status_reason: 'unsubscribed by U7', ended_at: now().toISOString() });
      expect((await listSubscriptions(s.db, channel('C1'))).subscriptions.map((x) => x.targetName)).toEqual(['Leeds']);
      expect((await listSubscriptions(s.db, channel('C1'), { includeEnded: true })).subscriptions).toHaveLength(2);
      // subscribing again makes a new row; the ended one stays
      of(await run('subscribe Wakefield'), 'subscribed');
      expect(await rows()).toHaveLength(3);
    });

    it('unsubscribe all, unknown targets, and a council still covered by its region', async () => {
      await run('subscribe Wakefield, region:"Yorkshire and the Humber"');
      const r = of(await run('unsubscribe Wakefield, Barnet'), 'unsubscribed');
      expect(r.text).toMatch(/no longer follows Wakefield/);
      expect(r.text).toMatch(/did not follow Barnet/);
      expect(r.text).toMatch(/Wakefield still arrives through Yorkshire and the Humber/);
      const everything = of(await run('unsubscribe all'), 'unsubscribed');
      expect(everything.ended.map((x) => x.targetName)).toEqual(['Yorkshire and the Humber']);
      expect(of(await run('unsubscribe all'), 'unsubscribed').text).toMatch(/follows nothing/);
      expect(of(await run('unsubscribe Narnia'), 'did-you-mean').text).toMatch(/Nothing was changed/);
    });

    it('pause and resume, all or some; list shows paused ones with the reason', async () => {
      await run('subscribe Wakefield, Leeds');
      const p = of(await run('pause Leeds'), 'subscriptions');
      expect(p.text).toMatch(/Paused Leeds/);
      expect(p.subscriptions.find((x) => x.targetName === 'Leeds')).toMatchObject({ status: 'paused', statusReason: 'paused by U1' });
      const list = of(await run('list'), 'subscriptions');
      expect(list.visibility).toBe('private');
      expect(list.text).toMatch(/Leeds: every publication \(paused: paused by U1\)/);
      expect(list.text).toMatch(/Wakefield: every publication\n/);
      expect(list.digest).toEqual({ mode: 'off' });
      of(await run('pause'), 'subscriptions');
      expect((await rows()).map((r) => r.status)).toEqual(['paused', 'paused']);
      const r = of(await run('resume all'), 'subscriptions');
      expect(r.text).toMatch(/Resumed Leeds and Wakefield/);
      expect((await rows()).map((r) => r.status)).toEqual(['active', 'active']);
      expect(of(await run('resume'), 'subscriptions').text).toMatch(/already active/);
    });

    it('list on an empty channel suggests how to start', async () => {
      expect(of(await run('list'), 'subscriptions').text).toMatch(/follows nothing yet/);
    });
  });

  describe('digest', () => {
    it('sets the channel digest and the frequency of its subscriptions, including new ones', async () => {
      await run('subscribe Wakefield');
      const r = of(await run('digest weekly friday 16:30'), 'digest-set');
      expect(r.setting).toEqual({ mode: 'weekly', day: 'friday', time: '16:30' });
      expect(r.text).toMatch(/weekly digest on Fridays at 16:30/);
      await run('subscribe Leeds');
      expect((await rows()).map((x) => x.frequency)).toEqual(['weekly', 'weekly']);
      expect(of(await run('list'), 'subscriptions').digest).toEqual({ mode: 'weekly', day: 'friday', time: '16:30' });
      of(await run('digest off'), 'digest-set');
      expect((await rows()).map((x) => x.frequency)).toEqual(['immediate', 'immediate']);
    });
  });

  describe('workspace isolation', () => {
    it("a caller in workspace A can never list, end or change workspace B's subscriptions, even with B's channel id", async () => {
      const b = caller('CB', 'TB', 'UB');
      await run('subscribe Wakefield, Leeds', b);
      await run('digest daily', b);
      const before = await rows();
      const channelsBefore = await s.db.selectFrom('channels').selectAll().where('workspace', '=', 'TB').execute();
      // same channel id, other workspace
      const intruder = caller('CB', 'TA', 'UA');
      expect(of(await run('list', intruder), 'subscriptions').subscriptions).toEqual([]);
      expect(of(await run('unsubscribe all', intruder), 'unsubscribed').ended).toEqual([]);
      expect(of(await run('unsubscribe Wakefield', intruder), 'unsubscribed').ended).toEqual([]);
      expect(of(await run('pause', intruder), 'subscriptions').subscriptions).toEqual([]);
      of(await run('resume all', intruder), 'subscriptions');
      of(await run('digest off', intruder), 'digest-set');
      // other platform, same workspace and channel ids
      const teams = { channel: { platform: 'teams' as const, workspace: 'TB', channel: 'CB' }, userId: 'UB' };
      expect(of(await run('unsubscribe all', teams), 'unsubscribed').ended).toEqual([]);
      expect(await rows()).toEqual(before);
      expect(await s.db.selectFrom('channels').selectAll().where('workspace', '=', 'TB').execute()).toEqual(channelsBefore);
      expect(of(await run('list', b), 'subscriptions').subscriptions).toHaveLength(2);
    });

    it('endWorkspace ends every subscription of that workspace with the reason, and cancels its waiting deliveries; others untouched', async () => {
      await run('subscribe Wakefield', caller('C1', 'T1'));
      await run('subscribe Leeds', caller('C2', 'T1'));
      await run('subscribe Leeds', caller('C1', 'T2'));
      const iso = now().toISOString();
      await s.db.insertInto('deliveries').values({
        dedupe_key: 'notice:test', kind: 'notice', publication_id: null, platform: 'slack', workspace: 'T1', channel: 'C1', subscription_ids: '[]',
        payload: JSON.stringify({ text: 'hello' }), status: 'pending', attempts: 0, next_attempt_at: iso, parts_sent: 0, created_at: iso, updated_at: iso,
      }).execute();
      const r = await endWorkspace(s.db, 'slack', 'T1', 'app_uninstalled: the app was removed from the workspace', now());
      expect(r).toEqual({ endedSubscriptions: 2, cancelledDeliveries: 1 });
      const all = await rows();
      expect(all.filter((x) => x.workspace === 'T1').map((x) => [x.status, x.status_reason])).toEqual([
        ['ended', 'app_uninstalled: the app was removed from the workspace'],
        ['ended', 'app_uninstalled: the app was removed from the workspace'],
      ]);
      expect(all.filter((x) => x.workspace === 'T2').map((x) => x.status)).toEqual(['active']);
      const d = await s.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow();
      expect(d).toMatchObject({ status: 'cancelled', last_error: 'cancelled: app_uninstalled: the app was removed from the workspace' });
    });

    it('workspace listings and lookups by id never cross the workspace boundary', async () => {
      await run('subscribe Wakefield, Leeds', caller('C1', 'TA'));
      await run('subscribe Leeds', caller('C2', 'TB'));
      const a = await listWorkspaceSubscriptions(s.db, 'slack', 'TA');
      expect(a.map((x) => x.targetName)).toEqual(['Leeds', 'Wakefield']);
      const bId = (await listWorkspaceSubscriptions(s.db, 'slack', 'TB'))[0]!.id;
      expect(await findWorkspaceSubscription(s.db, bId, 'slack', 'TA')).toBeNull();
      expect(await findWorkspaceSubscription(s.db, bId, 'teams', 'TB')).toBeNull();
      expect((await findWorkspaceSubscription(s.db, bId, 'slack', 'TB'))?.targetName).toBe('Leeds');
      expect(await findWorkspaceSubscription(s.db, Number.NaN, 'slack', 'TB')).toBeNull();
    });

    it('pauseChannel (the outbox on a permanent error) pauses only that channel', async () => {
      await run('subscribe Wakefield, Leeds', caller('C1'));
      await run('subscribe Leeds', caller('C2'));
      const paused = await pauseChannel(s.db, channel('C1'), 'channel_not_found: the channel was deleted', now());
      expect(paused).toHaveLength(2);
      const list = of(await run('list', caller('C1')), 'subscriptions');
      expect(list.text).toMatch(/paused: channel_not_found: the channel was deleted/);
      expect(of(await run('list', caller('C2')), 'subscriptions').subscriptions[0]?.status).toBe('active');
    });
  });

  describe('handleCommand never throws', () => {
    it('a store that fails gives an error reply for people, logged', async () => {
      const logged: unknown[] = [];
      const broken = commandDeps(s, now, {
        logger: { error: (...a: unknown[]) => logged.push(a), warn: () => {}, info: () => {} } as unknown as CommandDeps['logger'],
      });
      await s.close();
      const r = await handleCommand(broken, caller('C1'), 'subscribe Wakefield');
      expect(r).toEqual({ visibility: 'private', kind: 'error', text: SORRY });
      expect(logged).toHaveLength(1);
      s = await openTestStore(database); // for afterEach
    });

    it('a logger that throws too', async () => {
      const broken = commandDeps(s, now, { logger: new Proxy({}, { get: () => () => { throw new Error('logger down'); } }) as CommandDeps['logger'] });
      const db = broken.db;
      broken.db = new Proxy(db, { get: () => { throw new Error('db down'); } });
      expect((await handleCommand(broken, caller('C1'), 'list')).kind).toBe('error');
    });

    it('help is private unless public', async () => {
      const r = of(await run('help'), 'help');
      expect(r.visibility).toBe('private');
      expect(r.text).toMatch(/subscribe Wakefield, Leeds/);
      expect(of(await run('help themes'), 'help').text).toMatch(/`care-leavers`: Care leavers/);
      expect(of(await run('help public'), 'help').visibility).toBe('public');
    });
  });
});

void LEEDS;
