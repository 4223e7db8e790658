// DigestInitiator: makes the digests that are due, each (channel, window) exactly once, and queues them
// into the outbox as 'digest' deliveries (dedupe key digest:{channelKey}:{windowEnd}); the outbox worker
// sends them like alerts (paced, resumable, part by part).
//
// One run: take the digests lease (one process at a time), plan the due slots (recover-missed.ts), read
// what the windows need ONCE (publications with their letters precomputed, subscriptions, earlier
// alerts: digest-inputs.ts), then for each channel of each slot select its publications and build its
// digest (channels that see the same publications with the same theme focus share one build), and
// write in batches: ONE transaction per batch inserts each channel's digest_windows row (unique per
// channel and window end: a row means "done") and, for a digest that is not empty, its delivery. So a
// run stopped anywhere (crash, SIGTERM, database error) has committed whole batches only; the next run
// skips the channels whose row exists and does the rest: no duplicate, no gap. A channel whose window
// holds a letter still being read waits (up to letterWaitMs after the window ended) so that its theme
// filters see the letter's themes; its slot stays unfinished until then.
import type { Insertable } from 'kysely';
import type { AuthorityDirectory } from '../app/authority-directory.ts';
import type { Logger } from '../log/logger.ts';
import type { Db } from '../store/db.ts';
import type { DeliveryTable } from '../store/schema.ts';
import { acquireLease, releaseLease } from '../store/leases.ts';
import { buildDigest, lateness, selectPublications, type DigestSubscription, type PublicationData } from './build-digest.ts';
import {
  loadAlerted,
  loadDigestChannels,
  loadDigestSubscriptions,
  loadWindowPublications,
  digestSchedules,
  type DigestChannel,
} from './digest-inputs.ts';
import { channelCursors, checkedUntil, digestDb, digestKey, finishedSlots, pruneWindows, recordSlot, setCheckedUntil } from './digest-store.ts';
import { channelWindow, checkFrom, DEFAULT_PLAN, planSlots, type PlannedSlot, type PlanOptions } from './recover-missed.ts';
import { scheduleKey, wallDaysBefore } from './windows.ts';

export interface DigestDeps {
  db: Db;
  directory: Pick<AuthorityDirectory, 'registry'>;
  logger: Logger;
  /** Ofsted's site, for the councils' page links */
  baseUrl: string;
  /** names this process in the digests lease; unique per process */
  holder: string;
}

export interface DigestRunOptions extends Partial<PlanOptions> {
  /** after its window ends, a digest waits at most this long for a letter still being read (default 30 min) */
  letterWaitMs?: number;
  /** channels per transaction (default 250) */
  batchSize?: number;
  /** digests lease duration (default 10 min; renewed between batches) */
  leaseTtlMs?: number;
  /** digest_windows rows are kept this many days (default 60) */
  keepWindowsDays?: number;
  /** stops between batches (what is committed stays; the next run does the rest) */
  signal?: AbortSignal;
  /** tests: called after each batch is committed */
  afterBatch?: (info: { slot: string; batch: number; channels: number }) => void | Promise<void>;
}

export interface SlotReport {
  schedule: string;
  windowEnd: string;
  late: boolean;
  /** missed boundaries folded into this slot */
  superseded: number;
  channels: number;
  queued: number;
  empty: number;
  deferred: number;
  /** channels whose digest for this window was made already (a resumed run) */
  alreadyDone: number;
}

export interface DigestRunReport {
  at: string;
  /** another process holds the digests lease: nothing done */
  busy: boolean;
  /** stopped by the signal before the end */
  interrupted: boolean;
  slots: SlotReport[];
  queued: number;
  empty: number;
  deferred: number;
  late: number;
  /** the schedule is checked up to here (the next run looks at later boundaries, and unfinished slots) */
  checkedUntil: string | null;
}

export const DIGEST_LEASE = 'digests';

/** digest deliveries written per INSERT: few enough that their payloads are garbage young */
const DELIVERY_ROWS = 25;

export async function initiateDigests(deps: DigestDeps, now: Date, opts: DigestRunOptions = {}): Promise<DigestRunReport> {
  const plan: PlanOptions = {
    lateAfterMs: opts.lateAfterMs ?? DEFAULT_PLAN.lateAfterMs,
    lookbackDays: opts.lookbackDays ?? DEFAULT_PLAN.lookbackDays,
    firstRunLookbackMs: opts.firstRunLookbackMs ?? DEFAULT_PLAN.firstRunLookbackMs,
  };
  const t = now.getTime();
  const report: DigestRunReport = { at: now.toISOString(), busy: false, interrupted: false, slots: [], queued: 0, empty: 0, deferred: 0, late: 0, checkedUntil: null };
  const leaseTtl = opts.leaseTtlMs ?? 600_000;
  if (!(await acquireLease(deps.db, DIGEST_LEASE, deps.holder, leaseTtl, now))) {
    report.busy = true;
    return report;
  }
  try {
    const schedules = await digestSchedules(deps.db);
    const mark = await checkedUntil(deps.db);
    const from = checkFrom(t, mark, plan);
    const slots = planSlots(schedules, t, from, await finishedSlots(deps.db, wallDaysBefore(from, 1)), plan);
    if (slots.length === 0) {
      if (mark === null || mark < t) await setCheckedUntil(deps.db, t);
      report.checkedUntil = new Date(Math.max(t, mark ?? t)).toISOString();
      return report;
    }

    // every channel of every due slot, with its window
    const channels = await loadDigestChannels(deps.db);
    const bySchedule = new Map<string, DigestChannel[]>(slots.map((s) => [s.key, []]));
    for (const c of channels) bySchedule.get(scheduleKey(c.schedule))?.push(c);
    const oldest = Math.min(...slots.map((s) => wallDaysBefore(Math.min(s.earliestDue, s.windowEnd), plan.lookbackDays + 1)));
    const cursors = await channelCursors(deps.db, oldest);
    interface Job {
      channel: DigestChannel;
      window: NonNullable<ReturnType<typeof channelWindow>>;
    }
    const jobsBySlot = new Map<string, { jobs: Job[]; alreadyDone: number }>();
    let rangeStart = Number.POSITIVE_INFINITY;
    let rangeEnd = Number.NEGATIVE_INFINITY;
    for (const slot of slots) {
      const entry = { jobs: [] as Job[], alreadyDone: 0 };
      // most channels of a slot share their cursor (the previous boundary): one computation each
      const windows = new Map<number | undefined, ReturnType<typeof channelWindow>>();
      for (const channel of bySchedule.get(slot.key) ?? []) {
        const cursor = cursors.get(channel.key);
        let window = windows.get(cursor);
        if (window === undefined && !windows.has(cursor)) windows.set(cursor, (window = channelWindow(slot, cursor, t, plan)));
        if (!window) {
          entry.alreadyDone++;
          continue;
        }
        entry.jobs.push({ channel, window });
        rangeStart = Math.min(rangeStart, window.start);
        rangeEnd = Math.max(rangeEnd, window.end);
      }
      jobsBySlot.set(slot.key, entry);
    }

    // what the windows need, read once
    const regionOf = (urn: string) => deps.directory.registry().byUrn(urn)?.regionCode ?? null;
    const pubs: PublicationData[] = rangeStart < rangeEnd ? await loadWindowPublications(deps.db, { start: rangeStart, end: rangeEnd }, { baseUrl: deps.baseUrl, regionOf }) : [];
    const subs = await loadDigestSubscriptions(deps.db, pubs);
    const alerted = await loadAlerted(deps.db, pubs.map((p) => p.id));

    const unfinished: number[] = [];
    for (const slot of slots) {
      const { jobs, alreadyDone } = jobsBySlot.get(slot.key)!;
      const slotReport: SlotReport = {
        schedule: slot.key, windowEnd: new Date(slot.windowEnd).toISOString(), late: slot.late, superseded: slot.superseded.length,
        channels: jobs.length + alreadyDone, queued: 0, empty: 0, deferred: 0, alreadyDone,
      };
      report.slots.push(slotReport);
      const waitForLetters = t < slot.windowEnd + (opts.letterWaitMs ?? 30 * 60_000);
      // selection first (cheap): which channels will share a digest, so only those builds are kept
      const chosen = jobs.map((job) => choose(job.channel, job.window, pubs, subs.get(job.channel.key) ?? [], alerted.get(job.channel.key), waitForLetters));
      const cache = new SharedBuilds(chosen);
      const batchSize = Math.max(1, opts.batchSize ?? 250);
      let batchNo = 0;
      for (let i = 0; i < jobs.length; i += batchSize) {
        if (opts.signal?.aborted) {
          report.interrupted = true;
          break;
        }
        const batch: BatchItem[] = [];
        for (const c of chosen.slice(i, i + batchSize)) {
          if (c === 'deferred') slotReport.deferred++;
          else batch.push(c);
        }
        const written = await writeBatch(deps.db, batch, slot, now, cache);
        slotReport.queued += written.queued;
        slotReport.empty += written.empty;
        slotReport.alreadyDone += written.alreadyDone;
        if (written.late) report.late += written.late;
        batchNo++;
        await opts.afterBatch?.({ slot: slot.key, batch: batchNo, channels: batch.length });
        await acquireLease(deps.db, DIGEST_LEASE, deps.holder, leaseTtl, new Date());
      }
      report.queued += slotReport.queued;
      report.empty += slotReport.empty;
      report.deferred += slotReport.deferred;
      if (report.interrupted) break;
      const done = slotReport.deferred === 0;
      if (!done) unfinished.push(slot.windowEnd);
      await recordSlot(
        deps.db,
        { schedule: slot.key, windowEnd: slotReport.windowEnd, status: done ? 'done' : 'running', late: slot.late },
        { channels: slotReport.channels - slotReport.alreadyDone, queued: slotReport.queued, empty: slotReport.empty, deferred: slotReport.deferred },
        now,
      );
      // the missed slots folded into this one are finished with it (not before: an interrupted recovery
      // plans them again, so the late digest still says how many it stands for)
      if (done) {
        for (const b of slot.superseded) {
          await recordSlot(deps.db, { schedule: slot.key, windowEnd: new Date(b).toISOString(), status: 'superseded', late: true }, { channels: 0, queued: 0, empty: 0, deferred: 0 }, now);
        }
      }
      deps.logger.info({ ...slotReport }, `digests for ${slot.key} up to ${slotReport.windowEnd}: ${slotReport.queued} queued, ${slotReport.empty} empty${slotReport.deferred ? `, ${slotReport.deferred} waiting for letters` : ''}${slot.late ? ' (late)' : ''}`);
    }

    if (!report.interrupted) {
      // an unfinished slot must come up again: check only up to just before it
      const until = unfinished.length ? Math.min(...unfinished) - 1 : t;
      if (mark === null || until > mark) await setCheckedUntil(deps.db, until);
      report.checkedUntil = new Date(Math.max(until, mark ?? until)).toISOString();
      await pruneWindows(deps.db, wallDaysBefore(t, opts.keepWindowsDays ?? 60));
    } else {
      report.checkedUntil = mark === null ? null : new Date(mark).toISOString();
    }
    return report;
  } finally {
    await releaseLease(deps.db, DIGEST_LEASE, deps.holder).catch(() => undefined);
  }
}

interface BatchItem {
  channel: DigestChannel;
  start: number;
  end: number;
  late: { dueAt: number; missedWindows: number } | null;
  subscriptionIds: number[];
  publications: PublicationData[];
  themeFocus: string[] | null;
  /** what the digest depends on: channels with the same key get the same digest */
  key: string;
}

/** One channel's publications in its window (cheap; the digest itself is built when it is written). */
function choose(
  channel: DigestChannel,
  window: { start: number; end: number; late: { dueAt: number; missedWindows: number } | null },
  pubs: readonly PublicationData[],
  subs: readonly DigestSubscription[],
  alerted: ReadonlySet<number> | undefined,
  waitForLetters: boolean,
): BatchItem | 'deferred' {
  const selection = subs.length === 0 ? null : selectPublications(subs, pubs, window, { alerted, waitForLetters });
  if (selection?.status === 'deferred') return 'deferred';
  const publications = selection?.publications ?? [];
  const themeFocus = selection?.themeFocus ?? null;
  const ids = publications.map((p) => p.id).sort((a, b) => a - b);
  const late = window.late ? `${window.late.dueAt}/${window.late.missedWindows}` : '';
  return {
    channel, start: window.start, end: window.end, late: window.late, subscriptionIds: selection?.subscriptionIds ?? [], publications, themeFocus,
    key: ids.length ? `${window.start}|${window.end}|${late}|${themeFocus?.join(',') ?? '*'}|${ids.join(',')}` : '',
  };
}

/**
 * Digests as JSON, built when written. Channels that see the same publications in the same window with
 * the same theme focus (a region, a popular council) share one build, kept only until the last of them
 * is written; a digest no other channel shares is never kept: with 10,000 channels each following its
 * own mix of councils almost every digest differs, and holding them would only cost memory.
 */
class SharedBuilds {
  private remaining = new Map<string, number>();
  private built = new Map<string, string | null>();
  constructor(items: readonly (BatchItem | 'deferred')[]) {
    for (const i of items) if (i !== 'deferred' && i.key) this.remaining.set(i.key, (this.remaining.get(i.key) ?? 0) + 1);
  }
  payload(item: BatchItem, mode: PlannedSlot['schedule']['mode']): string | null {
    if (!item.key) return null;
    const left = (this.remaining.get(item.key) ?? 1) - 1;
    let json = this.built.get(item.key);
    if (json === undefined) {
      const digest = buildDigest({
        mode,
        window: item,
        late: item.late ? lateness(item.late.dueAt, item.late.missedWindows, mode) : null,
        publications: item.publications,
        themeFocus: item.themeFocus,
      });
      json = digest ? JSON.stringify(digest) : null;
      if (left > 0) this.built.set(item.key, json);
    }
    this.release(item);
    return json;
  }
  /** one channel with this digest is done (written, or found done already) */
  release(item: BatchItem): void {
    if (!item.key) return;
    const left = (this.remaining.get(item.key) ?? 1) - 1;
    if (left > 0) this.remaining.set(item.key, left);
    else {
      this.remaining.delete(item.key);
      this.built.delete(item.key);
    }
  }
}

async function writeBatch(db: Db, batch: readonly BatchItem[], slot: PlannedSlot, now: Date, builds: SharedBuilds): Promise<{ queued: number; empty: number; alreadyDone: number; late: number }> {
  const out = { queued: 0, empty: 0, alreadyDone: 0, late: 0 };
  if (batch.length === 0) return out;
  const iso = now.toISOString();
  await db.transaction().execute(async (tx) => {
    const windows = batch.map((b) => {
      const end = new Date(b.end).toISOString();
      return {
        platform: b.channel.ref.platform,
        workspace: b.channel.ref.workspace,
        channel: b.channel.ref.channel,
        window_end: end,
        window_start: new Date(b.start).toISOString(),
        schedule: slot.key,
        outcome: b.publications.length ? 'queued' : 'empty',
        publications: b.publications.length,
        dedupe_key: b.publications.length ? digestKey(b.channel.ref, end) : null,
        late: b.late ? 1 : 0,
        created_at: iso,
      };
    });
    const inserted = await digestDb(tx)
      .insertInto('digest_windows')
      .values(windows)
      .onConflict((oc) => oc.columns(['platform', 'workspace', 'channel', 'window_end']).doNothing())
      .returning(['platform', 'workspace', 'channel'])
      .execute();
    const fresh = new Set(inserted.map((r) => `${r.platform}:${r.workspace}:${r.channel}`));
    out.alreadyDone = batch.length - fresh.size;
    // digests are built as they are written, a few rows at a time, and dropped after: the batch never
    // holds them all (10,000 digests of ~20 KB held at once would be garbage the size of the heap)
    const rows: Insertable<DeliveryTable>[] = [];
    const flush = async () => {
      if (rows.length === 0) return;
      const r = await tx.insertInto('deliveries').values(rows).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
      out.queued += Number(r.numInsertedOrUpdatedRows ?? 0n);
      rows.length = 0;
    };
    for (const b of batch) {
      if (!fresh.has(b.channel.key)) {
        builds.release(b);
        continue;
      }
      const payload = builds.payload(b, slot.schedule.mode);
      if (!payload) {
        out.empty++;
        continue;
      }
      if (b.late) out.late++;
      rows.push({
        dedupe_key: digestKey(b.channel.ref, new Date(b.end).toISOString()),
        kind: 'digest',
        publication_id: null,
        platform: b.channel.ref.platform,
        workspace: b.channel.ref.workspace,
        channel: b.channel.ref.channel,
        subscription_ids: JSON.stringify(b.subscriptionIds),
        payload,
        status: 'pending',
        attempts: 0,
        next_attempt_at: iso,
        parts_sent: 0,
        created_at: iso,
        updated_at: iso,
      });
      if (rows.length >= DELIVERY_ROWS) await flush();
    }
    await flush();
  });
  return out;
}
