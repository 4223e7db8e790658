// The polite HTTP client for Ofsted's reports site: one request at a time, a pause between requests, retries with
// backoff on the answers that ask for it, Retry-After honoured, conditional requests, a size cap, and errors as values.
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { isRetryableStatus, backoffDelay, parseRetryAfter } from './retry-policy.ts';
import { decodeText, discardBody, readBody } from './read-body.ts';
import { SerialQueue } from './serial-queue.ts';
import { sleep as realSleep, type Sleep } from './sleep.ts';
import type {
  ClientStats,
  FetchBytesOptions,
  FetchError,
  FetchFailure,
  FetchOptions,
  FetchResult,
} from './fetch-result.ts';

export type * from './fetch-result.ts';

/** What the client logs through (pino's Logger fits). URLs only: no headers, so nothing secret. */
export interface ClientLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface OfstedClientOptions {
  /** relative URLs resolve against it (default https://reports.ofsted.gov.uk) */
  baseUrl?: string;
  /** a descriptive User-Agent with a contact address, e.g. "ofsted-alerts/0.1 (+mailto:ops@example.org)" */
  userAgent: string;
  /** pause between requests, from the end of one to the start of the next (default 1000) */
  delayMs?: number;
  /** the longest one attempt may take, headers and body (default 30 000) */
  timeoutMs?: number;
  /** retries after the first attempt (default 4) */
  maxRetries?: number;
  /** backoff: the first retry waits up to this (default 2 000), doubling each time */
  backoffBaseMs?: number;
  /** backoff never waits longer than this (default 60 000) */
  backoffMaxMs?: number;
  /** the longest Retry-After we wait; a longer one ends the call with an error that carries it (default 300 000) */
  retryAfterMaxMs?: number;
  /** cap on a page's body (default 5 MB) */
  maxBodyBytes?: number;
  /** cap on a file's body in getBytes (default 30 MB) */
  maxFileBytes?: number;
  /** for tests: 0 ≤ random() < 1, for the jitter */
  random?: () => number;
  /** for tests: how the client waits; it may resolve early when the signal aborts */
  sleep?: Sleep;
  /** for tests: the clock used to measure the pause between requests */
  now?: () => number;
  logger?: ClientLogger;
  /** an undici dispatcher to use instead of the client's own */
  dispatcher?: Dispatcher;
}

type Mode = 'text' | 'bytes';

/** One attempt's outcome: final (return it) or worth retrying. */
type Attempt =
  | { final: FetchResult }
  | { retry: Omit<FetchError, 'attempts'>; retryAfterMs: number | null };

const DEFAULTS = {
  baseUrl: 'https://reports.ofsted.gov.uk',
  delayMs: 1000,
  timeoutMs: 30_000,
  maxRetries: 4,
  backoffBaseMs: 2000,
  backoffMaxMs: 60_000,
  retryAfterMaxMs: 300_000,
  maxBodyBytes: 5 * 1024 * 1024,
  maxFileBytes: 30 * 1024 * 1024,
};

const ACCEPT: Record<Mode, string> = {
  text: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
  bytes: 'application/pdf,*/*;q=0.5',
};

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** The URL as it may be logged and shown: no user name, password or fragment. */
function printable(url: URL): string {
  return `${url.origin}${url.pathname}${url.search}`;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

type Settings = typeof DEFAULTS & Pick<OfstedClientOptions, 'userAgent' | 'logger'>;

export class OfstedClient {
  readonly #o: Settings;
  readonly #random: () => number;
  readonly #sleep: Sleep;
  readonly #now: () => number;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #queue = new SerialQueue();
  #lastEnd: number | null = null;
  #stats: ClientStats = { requests: 0, bytes: 0, retries: 0, notModified: 0 };

  constructor(options: OfstedClientOptions) {
    if (!options.userAgent?.trim()) throw new Error('OfstedClient needs a userAgent that says who is asking and how to reach them');
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.#o = { ...DEFAULTS, ...defined } as Settings;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? realSleep;
    this.#now = options.now ?? Date.now;
    this.#ownsDispatcher = !options.dispatcher;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 10_000 }).compose(interceptors.redirect({ maxRedirections: 5 }));
  }

  /** A page, as text. */
  get(url: string, options: FetchOptions = {}): Promise<FetchResult<string>> {
    return this.#fetch(url, options, 'text', this.#o.maxBodyBytes) as Promise<FetchResult<string>>;
  }

  /** A file (a PDF), as bytes, refused past `maxBytes` (default maxFileBytes). Check what came back before parsing it. */
  getBytes(url: string, options: FetchBytesOptions = {}): Promise<FetchResult<Uint8Array>> {
    return this.#fetch(url, options, 'bytes', options.maxBytes ?? this.#o.maxFileBytes) as Promise<FetchResult<Uint8Array>>;
  }

  stats(): ClientStats {
    return { ...this.#stats };
  }

  resetStats(): void {
    this.#stats = { requests: 0, bytes: 0, retries: 0, notModified: 0 };
  }

  /** Closes the client's connections (not a dispatcher that was passed in). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #fetch(url: string, options: FetchOptions, mode: Mode, maxBytes: number): Promise<FetchResult> {
    let target: URL;
    try {
      target = new URL(url, this.#o.baseUrl);
    } catch {
      return failure({ kind: 'network', message: `"${url}" is not a URL, even against ${this.#o.baseUrl}`, attempts: 0 });
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      return failure({ kind: 'network', message: `${target.protocol} addresses cannot be fetched (${printable(target)})`, attempts: 0 });
    }
    const { signal } = options;
    const release = await this.#queue.acquire(signal);
    if (!release) return aborted(target, 0);
    try {
      return await this.#attempts(target, options, mode, maxBytes);
    } finally {
      release();
    }
  }

  async #attempts(target: URL, options: FetchOptions, mode: Mode, maxBytes: number): Promise<FetchResult> {
    const { signal } = options;
    let retryWait = 0;
    for (let attempt = 1; ; attempt++) {
      await this.#waitTurn(retryWait, signal);
      if (signal?.aborted) return aborted(target, attempt - 1);

      const outcome = await this.#once(target, options, mode, maxBytes, attempt > 1);
      this.#lastEnd = this.#now();
      if ('final' in outcome) {
        if (!outcome.final.ok) outcome.final.error.attempts = attempt;
        return outcome.final;
      }

      const { retry, retryAfterMs } = outcome;
      if (retryAfterMs !== null && retryAfterMs > this.#o.retryAfterMaxMs) {
        return failure({
          ...retry,
          attempts: attempt,
          retryAfterMs,
          message: `${retry.message}; the site asked us to wait ${seconds(retryAfterMs)} (Retry-After), longer than the ${seconds(this.#o.retryAfterMaxMs)} we wait, so this call gives up`,
        });
      }
      if (attempt > this.#o.maxRetries) return failure({ ...retry, attempts: attempt });

      retryWait = retryAfterMs ?? backoffDelay(attempt, this.#o.backoffBaseMs, this.#o.backoffMaxMs, this.#random);
      this.#stats.retries++;
      this.#o.logger?.warn(
        { url: printable(target), status: retry.status, kind: retry.kind, attempt, waitMs: Math.max(retryWait, this.#o.delayMs) },
        `Ofsted request failed (${retry.message}); retrying`,
      );
    }
  }

  /** Waits until `delayMs` (or `retryWaitMs`, if longer) has passed since the previous request ended. */
  async #waitTurn(retryWaitMs: number, signal?: AbortSignal): Promise<void> {
    const wait = this.#lastEnd === null ? retryWaitMs : Math.max(this.#o.delayMs, retryWaitMs) - (this.#now() - this.#lastEnd);
    if (wait > 0) {
      try {
        await this.#sleep(wait, signal);
      } catch {
        // An injected sleep may reject on abort; the caller checks the signal.
      }
    }
  }

  async #once(target: URL, options: FetchOptions, mode: Mode, maxBytes: number, isRetry: boolean): Promise<Attempt> {
    const where = printable(target);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#o.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = {
      'user-agent': this.#o.userAgent,
      accept: ACCEPT[mode],
      'accept-encoding': 'gzip, deflate, br',
    };
    if (options.etag) headers['if-none-match'] = options.etag;
    if (options.lastModified) headers['if-modified-since'] = options.lastModified;

    this.#stats.requests++;
    this.#o.logger?.debug({ url: where, retry: isRetry }, 'GET');
    try {
      const response = await request(target, { method: 'GET', headers, signal, dispatcher: this.#dispatcher });
      const status = response.statusCode;
      const h = response.headers;

      if (status === 304) {
        await response.body.dump().catch(() => undefined);
        this.#stats.notModified++;
        return { final: { ok: true, status: 304, bytes: 0 } };
      }
      if (status !== 200) {
        await response.body.dump().catch(() => undefined);
        const error = { kind: 'http' as const, status, message: `${where} answered HTTP ${status}${statusHint(status)}` };
        if (!isRetryableStatus(status)) return { final: failure({ ...error, attempts: 0 }) };
        return { retry: error, retryAfterMs: parseRetryAfter(header(h, 'retry-after'), Date.now()) };
      }

      const declared = Number(header(h, 'content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        discardBody(response.body);
        return { final: failure({ kind: 'too-large', message: `${where} is ${declared} bytes, more than the ${maxBytes}-byte limit`, attempts: 0 }) };
      }
      const contentType = header(h, 'content-type');
      const read = await readBody(response.body, header(h, 'content-encoding'), maxBytes);
      this.#stats.bytes += read.wireBytes;
      if (!read.ok) {
        if (read.reason === 'too-large') {
          return { final: failure({ kind: 'too-large', message: `${where} is ${read.detail}, over the ${maxBytes}-byte limit`, attempts: 0 }) };
        }
        return { retry: { kind: 'network', message: `${where}: ${read.detail}` }, retryAfterMs: null };
      }
      return {
        final: {
          ok: true,
          status: 200,
          body: mode === 'text' ? decodeText(read.data, contentType) : read.data,
          contentType,
          etag: header(h, 'etag'),
          lastModified: header(h, 'last-modified'),
          bytes: read.wireBytes,
        },
      };
    } catch (error) {
      if (options.signal?.aborted) return { final: aborted(target, 0) };
      if (timeout.signal.aborted || isUndiciTimeout(error)) {
        return { retry: { kind: 'timeout', message: `${where} gave no complete answer within ${seconds(this.#o.timeoutMs)}` }, retryAfterMs: null };
      }
      return { retry: { kind: 'network', message: `could not fetch ${where}: ${describeNetworkError(error)}` }, retryAfterMs: null };
    } finally {
      clearTimeout(timer);
    }
  }
}

function failure(error: FetchError): FetchFailure {
  return { ok: false, error };
}

function aborted(target: URL, attempts: number): FetchFailure {
  return failure({ kind: 'aborted', message: `the request for ${printable(target)} was cancelled`, attempts });
}

function statusHint(status: number): string {
  if (status === 403) return ' (Forbidden: the site may be rate limiting us)';
  if (status === 404) return ' (Not Found)';
  if (status === 429) return ' (Too Many Requests)';
  if (status === 503) return ' (Service Unavailable)';
  if (status >= 500) return ' (a server error)';
  return '';
}

function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function describeNetworkError(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } } | null;
  const code = e?.code ?? e?.cause?.code;
  const message = e?.cause?.message ?? e?.message ?? String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
