// `pause [NAMES|all]` and `resume [NAMES|all]`: PauseSubscriptions / ResumeSubscriptions. Replies
// privately with the channel's subscriptions as they now are.
import type { Caller, Command, Reply } from '../chat/types.ts';
import { listSubscriptions } from '../subscriptions/list-subscriptions.ts';
import { pauseSubscriptions, resumeSubscriptions } from '../subscriptions/pause-subscriptions.ts';
import type { ResolvedTarget } from '../subscriptions/subscription-rows.ts';
import type { CommandDeps } from './command-deps.ts';
import { listWords, names } from './describe.ts';
import { resolveTargets } from './resolve-targets.ts';

export async function pauseCommand(deps: CommandDeps, caller: Caller, cmd: Extract<Command, { kind: 'pause' | 'resume' }>): Promise<Reply> {
  let targets: readonly ResolvedTarget[] | 'all' = 'all';
  if (cmd.targets !== 'all') {
    const resolved = resolveTargets(deps.directory, cmd.targets, cmd.kind);
    if (!resolved.ok) return resolved.reply;
    targets = resolved.targets;
  }
  const input = { channel: caller.channel, targets, now: deps.now() };
  const result = cmd.kind === 'pause' ? await pauseSubscriptions(deps.db, { ...input, reason: `paused by ${caller.userId}` }) : await resumeSubscriptions(deps.db, input);
  const lines: string[] = [];
  if (result.changed.length > 0) {
    lines.push(
      cmd.kind === 'pause'
        ? `Paused ${names(result.changed)}: nothing is posted for ${result.changed.length === 1 ? 'it' : 'them'} until \`resume\`.`
        : `Resumed ${names(result.changed)}: new publications will be posted again.`,
    );
    deps.logger.info({ channel: caller.channel, userId: caller.userId, ids: result.changed.map((s) => s.id) }, cmd.kind === 'pause' ? 'paused' : 'resumed');
  }
  if (result.unchanged.length > 0) lines.push(`${names(result.unchanged)} ${result.unchanged.length === 1 ? 'was' : 'were'} already ${cmd.kind === 'pause' ? 'paused' : 'active'}.`);
  if (result.notFound.length > 0) lines.push(`This channel does not follow ${listWords(result.notFound.map((t) => t.name))}.`);
  if (result.changed.length + result.unchanged.length + result.notFound.length === 0) lines.push('This channel follows nothing yet. Try `subscribe Wakefield`.');
  const { subscriptions, digest } = await listSubscriptions(deps.db, caller.channel);
  return { visibility: 'private', kind: 'subscriptions', subscriptions, digest, text: lines.join(' ') };
}
