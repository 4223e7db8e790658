// /ofsted: acknowledged at once (Slack wants an answer within 3 s, whatever the domain does); then, once
// the requests already received are acknowledged too (behind-acks.ts), the domain computes the reply,
// which goes back through response_url: ephemeral for private replies, in_channel for public ones. A
// failing or hanging domain still gets an answer to the person.
import type { App, RespondArguments, SlashCommand } from '@slack/bolt';
import type { Caller, Reply } from '../../../src/chat/types.ts';
import type { Logger } from '../../../src/log/logger.ts';
import { context } from '../render/blocks.ts';
import { SLACK_LIMITS } from '../render/limits.ts';
import { renderReply } from '../render/render-reply.ts';
import type { SlackDomain } from '../slack-domain.ts';
import { ensureMember } from '../membership.ts';
import { acknowledged, behindPendingAcks } from '../behind-acks.ts';

export const COMMAND = /^\/ofsted/;

export interface SlashCommandDeps {
  domain: SlackDomain;
  logger: Logger;
  /** how long the domain may take before the person is told it took too long (ms) */
  commandTimeoutMs?: number;
}

export function callerOf(command: SlashCommand): Caller {
  return {
    channel: { platform: 'slack', workspace: command.team_id, channel: command.channel_id },
    userId: command.user_id,
    ...(command.user_name ? { userName: command.user_name } : {}),
  };
}

export function registerSlashCommand(app: App, deps: SlashCommandDeps): void {
  const timeoutMs = deps.commandTimeoutMs ?? 25_000;
  app.command(COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    acknowledged();
    await behindPendingAcks();
    const caller = callerOf(command);
    const started = Date.now();
    const reply = await replyFor(deps, caller, command.text ?? '', timeoutMs);
    const rendered = renderReply(reply);
    if (reply.kind === 'subscribed' && reply.created.length + (reply.updated?.length ?? 0) > 0) {
      const membership = await ensureMember(client, caller.channel.channel);
      if (membership === 'cannot-join' && rendered.blocks.length < SLACK_LIMITS.blocks) {
        rendered.blocks.push(context("⚠️ I'm not in this channel, so alerts cannot arrive here yet: invite me with `/invite @Ofsted Alerts`."));
      }
    }
    try {
      await respond({ ...rendered, replace_original: false } as RespondArguments);
    } catch (error) {
      deps.logger.warn({ workspace: caller.channel.workspace, channel: caller.channel.channel, err: message(error) }, 'could not send the reply to a slash command');
    }
    deps.logger.debug({ workspace: caller.channel.workspace, kind: reply.kind, ms: Date.now() - started }, '/ofsted answered');
  });
}

async function replyFor(deps: SlashCommandDeps, caller: Caller, text: string, timeoutMs: number): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Reply>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          kind: 'error',
          visibility: 'private',
          text: 'That took too long to answer. It may still have worked: `/ofsted list` shows this channel’s subscriptions. Please try again in a minute.',
        }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([deps.domain.handleCommand(caller, text), timeout]);
  } catch (error) {
    deps.logger.error({ workspace: caller.channel.workspace, channel: caller.channel.channel, err: message(error) }, '/ofsted failed');
    return { kind: 'error', visibility: 'private', text: 'Something went wrong on our side and the command was not carried out. Please try again; if it keeps failing, tell whoever runs Ofsted Alerts.' };
  } finally {
    clearTimeout(timer);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
