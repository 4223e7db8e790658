// `digest daily|weekly …|off`: SetDigest for this channel. Replies privately. Leaving digests for
// immediate alerts first catches the channel up: what was announced since its last digest is queued
// as alerts, so nothing falls between the two.
import type { Caller, Command, Reply } from '../chat/types.ts';
import { setDigest } from '../subscriptions/set-digest.ts';
import { digestOf, getChannel } from '../subscriptions/channels.ts';
import { catchUpChannel } from '../delivery/fan-out.ts';
import { digestDb } from '../digests/digest-store.ts';
import { boundaryAtOrBefore, scheduleOf } from '../digests/windows.ts';
import type { CommandDeps } from './command-deps.ts';
import { describeDigest } from './describe.ts';

export async function digestCommand(deps: CommandDeps, caller: Caller, cmd: Extract<Command, { kind: 'digest' }>): Promise<Reply> {
  const previous = digestOf(await getChannel(deps.db, caller.channel));
  const result = await setDigest(deps.db, caller.channel, cmd.setting, deps.now());
  deps.logger.info({ channel: caller.channel, userId: caller.userId, digest: cmd.setting }, 'digest set');
  let caughtUp = 0;
  const previousSchedule = scheduleOf(previous);
  if (cmd.setting.mode === 'off' && previousSchedule) {
    const last = await digestDb(deps.db)
      .selectFrom('digest_windows')
      .select((eb) => eb.fn.max('window_end').as('end'))
      .where('platform', '=', caller.channel.platform)
      .where('workspace', '=', caller.channel.workspace)
      .where('channel', '=', caller.channel.channel)
      .executeTakeFirst();
    const since = last?.end ? new Date(String(last.end)) : new Date(boundaryAtOrBefore(previousSchedule, deps.now().getTime()));
    caughtUp = await catchUpChannel(deps, caller.channel, since);
  }
  const text =
    cmd.setting.mode === 'off'
      ? 'This channel now gets an alert as each publication appears.' +
        (caughtUp ? ` The ${caughtUp} publication${caughtUp === 1 ? '' : 's'} announced since its last digest will follow as alerts.` : '')
      : `This channel now gets ${describeDigest(cmd.setting)} instead of an alert per publication; nothing is sent when there is nothing new.`;
  const none = result.subscriptions === 0 ? ' It follows nothing yet: try `subscribe Wakefield`.' : '';
  return { visibility: 'private', kind: 'digest-set', setting: cmd.setting, text: text + none };
}
