// A SlackDomain in memory for the adapter's own tests: `subscribe NAME` creates a subscription, `slow`
// never answers in time, `boom` throws, anything else is echoed. Isolation is by (platform, workspace).
import type { Caller, Platform, Reply, Subscription } from '../../src/chat/types.ts';
import type { ActionOutcome, SlackDomain, SubscriptionAction } from '../../adapters/slack/slack-domain.ts';
import { subscription } from './fixtures.ts';

export interface MemoryDomain extends SlackDomain {
  subscriptions: Subscription[];
  calls: { caller: Caller; text: string }[];
  ended: { platform: Platform; workspace: string; reason: string }[];
  /** ms the handler takes (for the ack tests) */
  delayMs: number;
}

export function memoryDomain(): MemoryDomain {
  let nextId = 1;
  const d: MemoryDomain = {
    subscriptions: [],
    calls: [],
    ended: [],
    delayMs: 0,
    async handleCommand(caller, text) {
      d.calls.push({ caller, text });
      if (d.delayMs) await new Promise((r) => setTimeout(r, d.delayMs));
      if (text === 'boom') throw new Error('the domain failed');
      if (text === 'slow') return new Promise<Reply>(() => {});
      const m = /^subscribe (.+)$/.exec(text);
      if (m) {
        const s = subscription(nextId++, { channel: caller.channel, targetName: m[1]!, createdBy: caller.userId });
        d.subscriptions.push(s);
        return { kind: 'subscribed', visibility: 'public', created: [s], alreadyHad: [], text: `This channel now gets alerts about ${m[1]}.` };
      }
      return { kind: 'text', visibility: 'private', text: `You said: ${text}` };
    },
    async workspaceSubscriptions(platform, workspace) {
      return d.subscriptions.filter((s) => s.channel.platform === platform && s.channel.workspace === workspace && s.status !== 'ended');
    },
    async actOnSubscription(action: SubscriptionAction, id, scope, by): Promise<ActionOutcome> {
      const s = d.subscriptions.find((x) => x.id === id && x.channel.platform === scope.platform && x.channel.workspace === scope.workspace && x.status !== 'ended');
      if (!s) return { ok: false, reason: 'not-found' };
      const to = action === 'pause' ? 'paused' : action === 'resume' ? 'active' : 'ended';
      const changed = s.status !== to;
      s.status = to;
      s.statusReason = to === 'active' ? null : `${action} by ${by}`;
      return { ok: true, subscription: s, changed };
    },
    async endWorkspace(platform, workspace, reason) {
      d.ended.push({ platform, workspace, reason });
      let n = 0;
      for (const s of d.subscriptions) {
        if (s.channel.platform === platform && s.channel.workspace === workspace && s.status !== 'ended') {
          s.status = 'ended';
          s.statusReason = reason;
          n++;
        }
      }
      return { endedSubscriptions: n };
    },
  };
  return d;
}
