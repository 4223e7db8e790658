// chat.postMessage for the outbox, without the Web API client. A busy morning posts tens of thousands of
// messages, most of them the same few rendered alerts; the WebClient serialised each one from scratch
// (blocks to JSON, the whole form URL-encoded, a redacted copy of the arguments for its debug log, a
// fetch with web streams): about half of all the memory the process allocated, and much of its CPU.
// Here a part's text and blocks are serialised ONCE (cached with the part, which the sender shares
// between every channel that gets the same alert) and each post only adds its channel, thread and
// dedupe key around them, as a JSON body (which Slack accepts for chat.postMessage with a bearer token),
// sent with undici's request() over a bounded pool of keep-alive connections.
//
// Like the WebClient configured for the outbox: no retries and no queueing on 429 (the outbox owns
// pacing and retries), a time limit per call, and nothing about the token in any error or log.
import { Agent, request } from 'undici';
import type { SlackMessage } from './render/blocks.ts';

export type PostOutcome =
  | { ok: true; ts: string | null }
  /** HTTP 429, or ok:false with "ratelimited" */
  | { ok: false; kind: 'rate-limited'; retryAfterS: number; code: string }
  /** Slack answered ok:false with this error code */
  | { ok: false; kind: 'slack-error'; code: string }
  /** an HTTP status other than 200 (and 429) */
  | { ok: false; kind: 'http'; status: number }
  /** no answer: connection refused or dropped, time limit, unreadable answer */
  | { ok: false; kind: 'request'; message: string };

export interface MessagePoster {
  post(a: { token: string; channel: string; part: SlackMessage; threadTs: string | null; dedupeKey: string; metadataEventType: string; textOnly?: boolean }): Promise<PostOutcome>;
  close(): Promise<void>;
}

export interface MessagePosterOptions {
  /** Web API base URL ending in /api/ */
  apiUrl: string;
  /** per-call time limit (ms) */
  timeoutMs: number;
  /** most connections kept open to Slack at once (default 128; calls beyond wait for a free one) */
  connections?: number;
}

export function createMessagePoster(opts: MessagePosterOptions): MessagePoster {
  const url = new URL('chat.postMessage', opts.apiUrl.endsWith('/') ? opts.apiUrl : `${opts.apiUrl}/`).toString();
  const dispatcher = new Agent({
    connections: opts.connections ?? 128,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    keepAliveTimeout: 30_000,
  });
  /** per part: its text and blocks as UTF-8 JSON members (`,"text":…,"blocks":[…]`), made once */
  const serialised = new WeakMap<SlackMessage, Buffer>();
  const membersOf = (part: SlackMessage, textOnly: boolean): Buffer => {
    if (textOnly) return Buffer.from(`,"text":${JSON.stringify(part.text)}`);
    let m = serialised.get(part);
    if (m === undefined) {
      m = Buffer.from(`,"text":${JSON.stringify(part.text)}${part.blocks ? `,"blocks":${JSON.stringify(part.blocks)}` : ''}`);
      serialised.set(part, m);
    }
    return m;
  };

  return {
    async post(a) {
      // the body: a few short members of this post around the part's own (one copy of the cached bytes)
      const head = `{"channel":${JSON.stringify(a.channel)}${a.threadTs ? `,"thread_ts":${JSON.stringify(a.threadTs)}` : ''}`;
      const tail =
        ',"unfurl_links":false,"unfurl_media":false' +
        `,"metadata":{"event_type":${JSON.stringify(a.metadataEventType)},"event_payload":{"dedupe_key":${JSON.stringify(a.dedupeKey)}}}}`;
      const members = membersOf(a.part, a.textOnly === true);
      const headLength = Buffer.byteLength(head);
      const body = Buffer.allocUnsafe(headLength + members.length + Buffer.byteLength(tail));
      body.write(head, 0);
      members.copy(body, headLength);
      body.write(tail, headLength + members.length);
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(url, {
          method: 'POST',
          dispatcher,
          headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json; charset=utf-8' },
          body,
        });
      } catch (error) {
        return { ok: false, kind: 'request', message: describe(error) };
      }
      if (res.statusCode === 429) {
        await res.body.dump().catch(() => undefined);
        return { ok: false, kind: 'rate-limited', retryAfterS: retryAfterSeconds(res.headers['retry-after']), code: 'ratelimited' };
      }
      let answer: { ok?: unknown; ts?: unknown; error?: unknown; response_metadata?: { retryAfter?: unknown } };
      try {
        if (res.statusCode !== 200) {
          await res.body.dump();
          return { ok: false, kind: 'http', status: res.statusCode };
        }
        answer = (await res.body.json()) as typeof answer;
      } catch (error) {
        return { ok: false, kind: 'request', message: `the answer could not be read: ${describe(error)}` };
      }
      if (answer && answer.ok === true) return { ok: true, ts: typeof answer.ts === 'string' ? answer.ts : null };
      const code = typeof answer?.error === 'string' ? answer.error : 'unknown_error';
      if (code === 'ratelimited' || code === 'rate_limited') {
        return { ok: false, kind: 'rate-limited', retryAfterS: retryAfterSeconds(answer.response_metadata?.retryAfter), code };
      }
      return { ok: false, kind: 'slack-error', code };
    },
    close: () => dispatcher.close(),
  };
}

function retryAfterSeconds(value: unknown): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? String(error);
  return e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}
