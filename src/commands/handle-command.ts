// The one entry point for chat commands on every platform: text from a caller → a Reply. Never throws:
// a parse problem is an `error` reply saying what is wrong; anything unexpected is logged and answered
// with an `error` reply for people. Replies about the channel's own settings are private; lookups are
// private unless the person added `public`.
import type { Caller, Command, Reply } from '../chat/types.ts';
import type { CommandDeps } from './command-deps.ts';
import { digestCommand } from './digest-command.ts';
import { helpText } from './help-text.ts';
import { listCommand } from './list-command.ts';
import { lookupCommand } from './lookup-commands.ts';
import { parseCommand } from './parse-command.ts';
import { pauseCommand } from './pause-command.ts';
import { searchCommand } from './search-command.ts';
import { subscribeCommand } from './subscribe-command.ts';
import { unsubscribeCommand } from './unsubscribe-command.ts';

export type { CommandDeps } from './command-deps.ts';

export const SORRY = 'Sorry, something went wrong on our side while handling that command. It has been logged; please try again in a minute.';

const PLATFORMS = new Set(['slack', 'teams', 'console']);

function validCaller(caller: Caller): boolean {
  const c = caller?.channel;
  const id = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 500;
  return !!c && PLATFORMS.has(c.platform) && id(c.workspace) && id(c.channel) && id(caller.userId);
}

export async function handleCommand(deps: CommandDeps, caller: Caller, text: string): Promise<Reply> {
  try {
    if (!validCaller(caller)) {
      deps.logger.warn({ caller }, 'command without a usable channel or user');
      return { visibility: 'private', kind: 'error', text: 'I could not tell which channel or person this came from, so nothing was done.' };
    }
    const parsed = parseCommand(text);
    if (!parsed.ok) return { visibility: 'private', kind: 'error', text: parsed.message };
    return await run(deps, caller, parsed.command, parsed.public ? 'public' : 'private');
  } catch (error) {
    try {
      deps.logger.error({ err: error, channel: caller?.channel, userId: caller?.userId, text: String(text).slice(0, 200) }, 'command failed');
    } catch {
      /* a broken logger must not break the reply */
    }
    return { visibility: 'private', kind: 'error', text: SORRY };
  }
}

async function run(deps: CommandDeps, caller: Caller, command: Command, visibility: Reply['visibility']): Promise<Reply> {
  switch (command.kind) {
    case 'subscribe':
      return subscribeCommand(deps, caller, command);
    case 'unsubscribe':
      return unsubscribeCommand(deps, caller, command);
    case 'pause':
    case 'resume':
      return pauseCommand(deps, caller, command);
    case 'list':
      return listCommand(deps, caller);
    case 'digest':
      return digestCommand(deps, caller, command);
    case 'latest':
    case 'history':
    case 'themes':
      return lookupCommand(deps, command, visibility);
    case 'search':
      return searchCommand(deps, command, visibility);
    case 'help':
      return { visibility, kind: 'help', text: helpText(command.topic) };
  }
}
