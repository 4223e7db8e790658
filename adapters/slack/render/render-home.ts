// The App Home tab: the workspace's subscriptions grouped by channel, each with buttons to pause or resume
// and to unsubscribe. Every button's value is the subscription id; the handler checks that the id belongs
// to the workspace the click came from. Pure.
import type { Subscription } from '../../../src/chat/types.ts';
import { actions, context, divider, header, plain, section, type Block, type Button } from './blocks.ts';
import { filterWords, FREQUENCY_NAMES, STATUS_MARK, targetWords } from './labels.ts';
import { clampBlock, cutText, SLACK_LIMITS } from './limits.ts';
import { channelMention, escapeMrkdwn } from './mrkdwn.ts';
import { themeName } from './theme-names.ts';

export const HOME_ACTIONS = {
  pause: 'ofsted_home_pause',
  resume: 'ofsted_home_resume',
  unsubscribe: 'ofsted_home_unsubscribe',
} as const;
export type HomeAction = keyof typeof HOME_ACTIONS;

export interface HomeView {
  type: 'home';
  blocks: Block[];
}

export interface HomeInput {
  subscriptions: Subscription[];
  /** a line shown at the top after an action ("Paused Wakefield in #general.") */
  notice?: string;
}

export function renderHome(input: HomeInput): HomeView {
  const live = input.subscriptions.filter((s) => s.status !== 'ended');
  const head: Block[] = [header('Ofsted alerts')];
  if (input.notice) head.push(context(escapeMrkdwn(input.notice)));
  head.push(
    section(
      'Alerts when Ofsted publishes a letter about a council’s children’s services, summarised by theme. ' +
        'In any channel, type `/ofsted subscribe Wakefield` (or a region, or `all`); `/ofsted help` lists the rest. ' +
        'Invite me to private channels with `/invite @Ofsted Alerts`.',
    ),
  );
  if (live.length === 0) {
    return { type: 'home', blocks: [...head, divider(), section('_No channel in this workspace is subscribed yet._')] };
  }
  const byChannel = new Map<string, Subscription[]>();
  for (const s of live) {
    const list = byChannel.get(s.channel.channel) ?? [];
    list.push(s);
    byChannel.set(s.channel.channel, list);
  }
  const blocks: Block[] = [...head];
  const room = SLACK_LIMITS.homeBlocks - 1; // one for the "…and N more" note
  let shown = 0;
  outer: for (const [channel, subs] of byChannel) {
    if (blocks.length + 4 > room) break;
    blocks.push(divider(), section(`*${channelMention(channel)}* · ${subs.length} ${subs.length === 1 ? 'subscription' : 'subscriptions'}`));
    for (const s of subs) {
      if (blocks.length + 2 > room) break outer;
      blocks.push(section(subscriptionText(s)), actions(subscriptionButtons(s), `sub_${s.id}`));
      shown++;
    }
  }
  if (shown < live.length) {
    const n = live.length - shown;
    blocks.push(context(`_…and ${n} more ${n === 1 ? 'subscription' : 'subscriptions'}: \`/ofsted list\` in a channel shows its own._`));
  }
  return { type: 'home', blocks: blocks.map(clampBlock).filter((b): b is Block => b !== null) };
}

function subscriptionText(s: Subscription): string {
  const status = `${STATUS_MARK[s.status]}${s.status === 'paused' && s.statusReason ? `: ${escapeMrkdwn(s.statusReason)}` : ''}`;
  const text = `*${escapeMrkdwn(targetWords(s.target, s.targetName))}* · ${escapeMrkdwn(filterWords(s, themeName))} · ${FREQUENCY_NAMES[s.frequency]}\n${status}`;
  return cutText(text, SLACK_LIMITS.sectionText);
}

function subscriptionButtons(s: Subscription): Button[] {
  const value = String(s.id);
  const name = cutText(targetWords(s.target, s.targetName), 60);
  const toggle: Button =
    s.status === 'paused'
      ? { type: 'button', text: plain('Resume'), action_id: HOME_ACTIONS.resume, value, style: 'primary' }
      : { type: 'button', text: plain('Pause'), action_id: HOME_ACTIONS.pause, value };
  const end: Button = {
    type: 'button',
    text: plain('Unsubscribe'),
    action_id: HOME_ACTIONS.unsubscribe,
    value,
    style: 'danger',
    confirm: {
      title: plain('Unsubscribe?'),
      text: plain(cutText(`Stop alerts about ${name} in this channel? You can subscribe again with /ofsted subscribe.`, 300)),
      confirm: plain('Unsubscribe'),
      deny: plain('Keep it'),
      style: 'danger',
    },
  };
  return [toggle, end];
}
