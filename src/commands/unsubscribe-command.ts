// `unsubscribe NAMES` / `unsubscribe all`: EndSubscriptions with the reason "unsubscribed by USER".
// The rows are kept, ended. Replies privately.
import type { Caller, Command, Reply } from '../chat/types.ts';
import { endSubscriptions } from '../subscriptions/end-subscriptions.ts';
import { listSubscriptions } from '../subscriptions/list-subscriptions.ts';
import type { CommandDeps } from './command-deps.ts';
import { coverageNotes } from './covered-by.ts';
import { listWords, names } from './describe.ts';
import { resolveTargets } from './resolve-targets.ts';

export async function unsubscribeCommand(deps: CommandDeps, caller: Caller, cmd: Extract<Command, { kind: 'unsubscribe' }>): Promise<Reply> {
  let targets: Parameters<typeof endSubscriptions>[1]['targets'] = 'all';
  if (cmd.targets !== 'all') {
    const resolved = resolveTargets(deps.directory, cmd.targets, 'unsubscribe');
    if (!resolved.ok) return resolved.reply;
    targets = resolved.targets;
  }
  const result = await endSubscriptions(deps.db, { channel: caller.channel, targets, reason: `unsubscribed by ${caller.userId}`, now: deps.now() });
  const lines: string[] = [];
  if (result.ended.length > 0) {
    lines.push(`This channel no longer follows ${names(result.ended)}.`);
    deps.logger.info({ channel: caller.channel, userId: caller.userId, ended: result.ended.map((s) => s.id) }, 'unsubscribed');
  }
  if (result.notFound.length > 0) lines.push(`It did not follow ${listWords(result.notFound.map((t) => t.name))}${result.ended.length ? '' : '; nothing was changed'}.`);
  if (targets === 'all' && result.ended.length === 0) lines.push('This channel follows nothing, so there was nothing to end.');
  if (targets !== 'all') {
    const remaining = (await listSubscriptions(deps.db, caller.channel)).subscriptions;
    lines.push(...coverageNotes(deps.directory, targets, remaining));
  }
  if (result.ended.length === 0) lines.push('`list` shows what this channel follows.');
  return { visibility: 'private', kind: 'unsubscribed', ended: result.ended, text: lines.join(' ') };
}
