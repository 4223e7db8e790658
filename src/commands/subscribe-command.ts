// `subscribe …`: resolves every name (all or nothing), then CreateSubscriptions. Replies privately.
import type { Caller, Command, Reply } from '../chat/types.ts';
import { createSubscriptions } from '../subscriptions/create-subscriptions.ts';
import { listSubscriptions } from '../subscriptions/list-subscriptions.ts';
import type { CommandDeps } from './command-deps.ts';
import { describeDigest, describeFilters, names } from './describe.ts';
import { resolveTargets } from './resolve-targets.ts';

export async function subscribeCommand(deps: CommandDeps, caller: Caller, cmd: Extract<Command, { kind: 'subscribe' }>): Promise<Reply> {
  const resolved = resolveTargets(deps.directory, cmd.targets, 'subscribe');
  if (!resolved.ok) return resolved.reply;
  const result = await createSubscriptions(deps.db, {
    channel: caller.channel,
    createdBy: caller.userId,
    targets: resolved.targets,
    types: cmd.types,
    themes: cmd.themes,
    now: deps.now(),
  });
  const filters = describeFilters({ types: cmd.types, themes: cmd.themes });
  const lines: string[] = [];
  if (result.created.length > 0) lines.push(`This channel now follows ${names(result.created)}: ${filters}.`);
  if (result.updated.length > 0) lines.push(`Updated ${names(result.updated)}: now ${filters}.`);
  if (result.alreadyHad.length > 0) lines.push(`Already following ${names(result.alreadyHad)} (${filters}); nothing changed there.`);
  if (result.created.length + result.updated.length > 0) {
    const { digest } = await listSubscriptions(deps.db, caller.channel);
    lines.push(
      digest.mode === 'off'
        ? 'New publications will be posted here as they appear.'
        : `They come as ${describeDigest(digest)}; \`digest off\` for an alert as each appears.`,
    );
    deps.logger.info({ channel: caller.channel, userId: caller.userId, created: result.created.map((s) => s.id), updated: result.updated.map((s) => s.id) }, 'subscribed');
  }
  return { visibility: 'private', kind: 'subscribed', created: result.created, alreadyHad: result.alreadyHad, updated: result.updated, text: lines.join(' ') };
}
