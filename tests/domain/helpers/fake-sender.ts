// A chat platform in memory: a "world" that records what each channel received (the platform's side,
// shared by several senders the way Slack is shared by several workers), and a ChatSender over it
// whose behaviour per call can be scripted: rate limits, transient and permanent errors, a throw
// before or after the message got through, a message the platform shows only later, or a hang (a
// worker killed mid-send).
import type { ChannelRef, ChatSender, OutboundMessage, SendResult } from '../../../src/chat/types.ts';
import { channelKey } from '../../../src/chat/types.ts';

export interface Posted {
  channel: string;
  dedupeKey: string;
  part: unknown;
  threadRef: string | null;
  ref: string;
  at: number;
}

export class World {
  posted: Posted[] = [];
  private n = 0;
  post(channel: ChannelRef, part: unknown, opts: { threadRef: string | null; dedupeKey: string }, at: number): string {
    const ref = `ts-${++this.n}`;
    this.posted.push({ channel: channelKey(channel), dedupeKey: opts.dedupeKey, part, threadRef: opts.threadRef, ref, at });
    return ref;
  }
  to(channel: ChannelRef): Posted[] {
    const k = channelKey(channel);
    return this.posted.filter((p) => p.channel === k);
  }
}

export type Behaviour =
  | SendResult
  | { do: 'throw-before' }
  | { do: 'throw-after' }
  | { do: 'hang' }
  | { do: 'hang-after' }
  /** the platform takes the message but shows it only `afterMs` later; the call times out */
  | { do: 'land-late'; afterMs: number }
  | undefined;

export interface SendCall {
  n: number;
  channel: ChannelRef;
  part: unknown;
  dedupeKey: string;
}

export class FakeSender implements ChatSender {
  readonly platform: ChatSender['platform'];
  readonly channelIntervalMs: number;
  calls: SendCall[] = [];
  findSentCalls = 0;
  findSent?: ChatSender['findSent'];

  constructor(
    private world: World,
    private clock: { now(): Date },
    private opts: { script?: (call: SendCall) => Behaviour; findSent?: boolean; intervalMs?: number; platform?: ChatSender['platform']; parts?: number } = {},
  ) {
    this.platform = opts.platform ?? 'slack';
    this.channelIntervalMs = opts.intervalMs ?? 1000;
    if (opts.findSent !== false) {
      this.findSent = async (channel, dedupeKey, since) => {
        this.findSentCalls++;
        const now = this.clock.now().getTime();
        const hit = this.world.posted.find((p) => p.channel === channelKey(channel) && p.dedupeKey === dedupeKey && p.at >= since.getTime() && p.at <= now);
        return hit ? { found: true, ref: hit.ref } : { found: false };
      };
    }
  }

  prepare(message: OutboundMessage): unknown[] {
    if (message.kind === 'alert') {
      const parts: unknown[] = [{ kind: 'alert', publicationId: message.alert.publication.id, letter: message.alert.letter.status }];
      for (let i = 1; i < (this.opts.parts ?? 2); i++) parts.push({ kind: 'details', publicationId: message.alert.publication.id, i });
      return parts;
    }
    if (message.kind === 'notice') return [{ kind: 'notice', text: message.text, about: message.about ?? null }];
    return [{ kind: 'digest' }];
  }

  async sendPart(channel: ChannelRef, part: unknown, opts: { threadRef: string | null; dedupeKey: string }): Promise<SendResult> {
    const call: SendCall = { n: this.calls.length + 1, channel, part, dedupeKey: opts.dedupeKey };
    this.calls.push(call);
    const b = this.opts.script?.(call);
    const at = this.clock.now().getTime();
    if (b && 'do' in b) {
      if (b.do === 'throw-before') throw new Error('socket hang up');
      if (b.do === 'hang') return new Promise<SendResult>(() => {});
      if (b.do === 'land-late') {
        this.world.post(channel, part, opts, at + b.afterMs);
        throw Object.assign(new Error('no answer within 10000 ms (the message may have arrived)'), { code: 'ETIMEDOUT' });
      }
      this.world.post(channel, part, opts, at);
      if (b.do === 'throw-after') throw new Error('socket hang up after the request was written');
      return new Promise<SendResult>(() => {});
    }
    if (b) return b;
    return { ok: true, ref: this.world.post(channel, part, opts, at) };
  }
}
