// What a digest would say, without making or sending one (`ofsted-alerts digest preview`).
// For a channel: its next digest so far: from the end of its last digest window (else the last boundary
// of its schedule) to now, with its subscriptions and filters (a channel on immediate alerts is shown as
// if on a weekly digest). For councils: a weekly digest as if a channel followed them, over the last
// seven days. `since` moves the start.
import type { ChannelRef } from '../chat/types.ts';
import { channelKey } from '../chat/types.ts';
import { digestOf, getChannel } from '../subscriptions/channels.ts';
import { liveSubscriptionRows } from '../subscriptions/live-subscriptions.ts';
import { toSubscription } from '../subscriptions/subscription-rows.ts';
import { buildDigest, selectPublications, type DigestSubscription } from './build-digest.ts';
import { loadAlerted, loadWindowPublications } from './digest-inputs.ts';
import { digestDb } from './digest-store.ts';
import type { DigestDeps } from './initiate-digests.ts';
import type { Digest, DigestMode } from './types.ts';
import { boundaryAtOrBefore, scheduleOf, wallDaysBefore, type DigestSchedule } from './windows.ts';

export type PreviewTarget = { kind: 'channel'; channel: ChannelRef } | { kind: 'authorities'; authorities: readonly { urn: string; name: string }[] };

export type PreviewResult =
  | { ok: true; digest: Digest | null; mode: DigestMode; window: { start: string; end: string }; about: string }
  | { ok: false; message: string };

const WEEKLY_DEFAULT: DigestSchedule = { mode: 'weekly', day: 'monday', time: '08:00' };

export async function previewDigest(deps: Omit<DigestDeps, 'holder'>, target: PreviewTarget, opts: { now: Date; since?: Date }): Promise<PreviewResult> {
  const end = opts.now.getTime();
  const regionOf = (urn: string) => deps.directory.registry().byUrn(urn)?.regionCode ?? null;
  let subs: DigestSubscription[];
  let start: number;
  let mode: DigestMode;
  let about: string;
  /** a channel on digests: what was alerted to it before it chose them is not repeated */
  let onDigests = false;

  if (target.kind === 'channel') {
    const row = await getChannel(deps.db, target.channel);
    if (!row) return { ok: false, message: `no channel ${channelKey(target.channel)} is known (it has never subscribed or set a digest)` };
    const setting = digestOf(row);
    const schedule = scheduleOf(setting) ?? WEEKLY_DEFAULT;
    mode = schedule.mode;
    subs = (await liveSubscriptionRows(deps.db, target.channel))
      .map(toSubscription)
      .filter((s) => s.status === 'active')
      .map((s) => ({ id: s.id, target: s.target, types: s.types, themes: s.themes }));
    const last = await digestDb(deps.db)
      .selectFrom('digest_windows')
      .select('window_end')
      .where('platform', '=', target.channel.platform)
      .where('workspace', '=', target.channel.workspace)
      .where('channel', '=', target.channel.channel)
      .orderBy('window_end', 'desc')
      .limit(1)
      .executeTakeFirst();
    start = opts.since?.getTime() ?? (last ? Date.parse(last.window_end) : boundaryAtOrBefore(schedule, end));
    about =
      setting.mode === 'off'
        ? `channel ${channelKey(target.channel)} (on immediate alerts: shown as a weekly digest)`
        : `channel ${channelKey(target.channel)} (${setting.mode === 'daily' ? `daily at ${setting.time}` : `weekly on ${setting.day} at ${setting.time}`}, UK time)`;
    onDigests = setting.mode !== 'off';
  } else {
    if (target.authorities.length === 0) return { ok: false, message: 'no council to preview' };
    mode = 'weekly';
    subs = target.authorities.map((a, i) => ({ id: -(i + 1), target: { kind: 'authority', urn: a.urn }, types: [], themes: [] }));
    start = opts.since?.getTime() ?? wallDaysBefore(end, 7);
    about = `a channel following ${target.authorities.map((a) => a.name).join(', ')} (a weekly digest, no filters)`;
  }

  const window = { start: Math.min(start, end), end };
  const pubs = await loadWindowPublications(deps.db, window, { baseUrl: deps.baseUrl, regionOf });
  const alerted = onDigests && target.kind === 'channel' ? (await loadAlerted(deps.db, pubs.map((p) => p.id))).get(channelKey(target.channel)) : undefined;
  const selection = selectPublications(subs, pubs, window, { alerted, waitForLetters: false });
  const chosen = selection.status === 'ok' ? selection.publications : [];
  const digest = buildDigest({ mode, window, late: null, publications: chosen, themeFocus: selection.status === 'ok' ? selection.themeFocus : null });
  return { ok: true, digest, mode, window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() }, about };
}
