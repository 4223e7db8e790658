// `list`: what this channel follows (active and paused, with why), and how it gets publications.
import type { Caller, Reply } from '../chat/types.ts';
import { listSubscriptions } from '../subscriptions/list-subscriptions.ts';
import type { CommandDeps } from './command-deps.ts';
import { describeDigest, describeSubscription } from './describe.ts';

export async function listCommand(deps: CommandDeps, caller: Caller): Promise<Reply> {
  const { subscriptions, digest } = await listSubscriptions(deps.db, caller.channel);
  const text =
    subscriptions.length === 0
      ? 'This channel follows nothing yet. Try `subscribe Wakefield`, `subscribe region:"London"` or `subscribe all`.'
      : [
          `This channel follows ${subscriptions.length === 1 ? '1 subscription' : `${subscriptions.length} subscriptions`}:`,
          ...subscriptions.map((s) => `• ${describeSubscription(s)}`),
          `It gets ${describeDigest(digest)}.`,
        ].join('\n');
  return { visibility: 'private', kind: 'subscriptions', subscriptions, digest, text };
}
