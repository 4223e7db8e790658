// What OfstedClient.get / getBytes answer: errors are values, each with a message written for people.

export type FetchErrorKind = 'http' | 'network' | 'timeout' | 'aborted' | 'too-large';

export interface FetchError {
  kind: FetchErrorKind;
  /** the HTTP status, for kind 'http' */
  status?: number;
  /** for people: what happened, to which address, and after how many attempts */
  message: string;
  /** requests made for this call (0 when it never reached the network) */
  attempts: number;
  /** how long the site asked us to wait (Retry-After), when it asked for longer than we are willing to wait */
  retryAfterMs?: number;
}

export interface FetchOk<B> {
  ok: true;
  status: 200;
  body: B;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** bytes received over the wire (compressed size when the site compressed the answer) */
  bytes: number;
}

/** The page has not changed since the etag / lastModified the caller sent. */
export interface FetchNotModified {
  ok: true;
  status: 304;
  bytes: number;
}

export type FetchFailure = { ok: false; error: FetchError };

export type FetchResult<B = string | Uint8Array> = FetchOk<B> | FetchNotModified | FetchFailure;

export interface FetchOptions {
  /** the ETag of the copy the caller holds: sent as If-None-Match */
  etag?: string | null;
  /** the Last-Modified of the copy the caller holds: sent as If-Modified-Since */
  lastModified?: string | null;
  /** aborts the request in flight and any wait before it */
  signal?: AbortSignal;
}

export interface FetchBytesOptions extends FetchOptions {
  /** the most bytes to accept for this file (default: the client's maxFileBytes) */
  maxBytes?: number;
}

export interface ClientStats {
  /** requests sent, retries included */
  requests: number;
  /** bytes received */
  bytes: number;
  /** requests that were retries of an earlier one */
  retries: number;
  /** answers of 304 Not Modified */
  notModified: number;
}
