// What a failed post to the Bot Connector means for the outbox. The connector's errors (a RestError from
// the Azure pipeline, or a plain Error) are read by duck typing: status, Retry-After, and the service's
// error code from the body ({"error":{"code":"ConversationNotFound","message":…}}).
//   429 → rate-limited, after Retry-After (or our own backoff when Teams gives none);
//   412, 502, 503, 504 → rate-limited when Teams says how long to wait, else transient (outbox backoff);
//   403 (bot removed, blocked), 404 (conversation gone) → permanent: the subscriptions are paused with the reason;
//   401 → transient and loud: our credentials are wrong, which no conversation can fix;
//   400 and 413 → the sender first retries the part as plain text (see teams-sender.ts), then transient;
//   anything else, and network failures → transient.
import type { SendResult } from '../../src/chat/types.ts';

export interface ConnectorFailure {
  status: number | null;
  /** the service's error code ("BotNotInConversationRoster"), or a network error code ("ECONNREFUSED") */
  code: string | null;
  message: string;
  retryAfterMs: number | null;
}

export function describeFailure(error: unknown, now: number = Date.now()): ConnectorFailure {
  const e = (error ?? {}) as {
    statusCode?: unknown;
    status?: unknown;
    code?: unknown;
    message?: unknown;
    response?: { status?: unknown; headers?: unknown; bodyAsText?: unknown; parsedBody?: unknown };
    details?: unknown;
  };
  const statusRaw = e.statusCode ?? e.response?.status ?? e.status;
  const status = typeof statusRaw === 'number' && Number.isFinite(statusRaw) ? statusRaw : null;
  const body = parseBody(e.response?.parsedBody ?? e.response?.bodyAsText ?? e.details);
  const serviceCode = body?.code ?? null;
  const code = serviceCode ?? (typeof e.code === 'string' && e.code !== '' && !/^\d+$/.test(e.code) ? e.code : null);
  const message = (body?.message ?? (typeof e.message === 'string' ? e.message : String(error))).replace(/\s+/g, ' ').slice(0, 300);
  return { status, code, message, retryAfterMs: retryAfterOf(e.response?.headers, now) };
}

function parseBody(body: unknown): { code?: string; message?: string } | null {
  let b: unknown = body;
  if (typeof b === 'string') {
    try {
      b = JSON.parse(b);
    } catch {
      return null;
    }
  }
  if (!b || typeof b !== 'object') return null;
  const err = (b as { error?: { code?: unknown; message?: unknown } }).error;
  if (!err || typeof err !== 'object') return null;
  return {
    ...(typeof err.code === 'string' ? { code: err.code } : {}),
    ...(typeof err.message === 'string' ? { message: err.message } : {}),
  };
}

/** Retry-After in ms: seconds, or an HTTP date; also retry-after-ms. Null when absent or unreadable. */
export function retryAfterOf(headers: unknown, now: number = Date.now()): number | null {
  const get = (name: string): string | null => {
    if (!headers || typeof headers !== 'object') return null;
    const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
    const v = typeof h.get === 'function' ? h.get(name) : (h[name] ?? h[name.toLowerCase()]);
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
  };
  const ms = get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const ra = get('retry-after');
  if (!ra) return null;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.ceil(Number(ra) * 1000);
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

export const RETRYABLE = new Set([412, 502, 503, 504]);

export type FailureKind = 'rate-limited' | 'retry-later' | 'transient' | 'permanent' | 'refused-payload' | 'credentials';

export function classify(f: ConnectorFailure): FailureKind {
  if (f.status === 429) return 'rate-limited';
  if (f.status !== null && RETRYABLE.has(f.status)) return f.retryAfterMs !== null ? 'retry-later' : 'transient';
  if (f.status === 403 || f.status === 404) return 'permanent';
  if (f.status === 401) return 'credentials';
  if (f.status === 400 || f.status === 413) return 'refused-payload';
  return 'transient';
}

/** The reason stored on the paused subscriptions: a short code and what it means. */
export function permanentOf(f: ConnectorFailure): Extract<SendResult, { kind: 'permanent' }> {
  const c = (f.code ?? '').toLowerCase();
  let code: string;
  let meaning: string;
  if (c === 'botnotinconversationroster' || c === 'botremovedfromconversation') {
    code = 'bot_removed';
    meaning = 'the app is no longer in this conversation (it was removed, or the person left the chat)';
  } else if (c === 'botdisabledbyadmin' || c === 'botblockedbyuser' || c === 'userblocked') {
    code = 'bot_blocked';
    meaning = 'an administrator or the person blocked the app';
  } else if (f.status === 404 || c === 'conversationnotfound' || c === 'notfound') {
    code = 'conversation_not_found';
    meaning = 'the conversation no longer exists (the channel or chat was deleted)';
  } else {
    code = 'forbidden';
    meaning = 'Teams refused the app access to this conversation';
  }
  const detail = [f.status ? `HTTP ${f.status}` : null, f.code].filter(Boolean).join(' ');
  return { ok: false, kind: 'permanent', code, message: `${meaning}${detail ? ` (Teams answered ${detail})` : ''}` };
}
