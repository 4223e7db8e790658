// `digest daily|weekly …|off`: SetDigest for this channel. Replies privately.
import type { Caller, Command, Reply } from '../chat/types.ts';
import { setDigest } from '../subscriptions/set-digest.ts';
import type { CommandDeps } from './command-deps.ts';
import { describeDigest } from './describe.ts';

export async function digestCommand(deps: CommandDeps, caller: Caller, cmd: Extract<Command, { kind: 'digest' }>): Promise<Reply> {
  const result = await setDigest(deps.db, caller.channel, cmd.setting, deps.now());
  deps.logger.info({ channel: caller.channel, userId: caller.userId, digest: cmd.setting }, 'digest set');
  const text =
    cmd.setting.mode === 'off'
      ? 'This channel now gets an alert as each publication appears.'
      : `This channel now gets ${describeDigest(cmd.setting)} instead of an alert per publication; nothing is sent when there is nothing new.`;
  const none = result.subscriptions === 0 ? ' It follows nothing yet: try `subscribe Wakefield`.' : '';
  return { visibility: 'private', kind: 'digest-set', setting: cmd.setting, text: text + none };
}
