// Conditional requests on the simulated site: ETag (a hash of the body) and Last-Modified, either, both or
// neither, and whether a request's If-None-Match / If-Modified-Since means 304 Not Modified.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type ConditionalMode = 'etag' | 'last-modified' | 'both' | 'none';

export function etagOf(body: string | Uint8Array): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

export function validatorHeaders(mode: ConditionalMode, etag: string, lastModifiedMs: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (mode === 'etag' || mode === 'both') headers['etag'] = etag;
  if (mode === 'last-modified' || mode === 'both') headers['last-modified'] = new Date(lastModifiedMs).toUTCString();
  return headers;
}

/** RFC 9110: If-None-Match (weak comparison) decides when sent; If-Modified-Since only without it. */
export function isNotModified(request: IncomingHttpHeaders, mode: ConditionalMode, etag: string, lastModifiedMs: number): boolean {
  const useEtag = mode === 'etag' || mode === 'both';
  const useDate = mode === 'last-modified' || mode === 'both';
  const ifNoneMatch = request['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (!useEtag) return false;
    const strip = (tag: string): string => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => strip(tag) === strip(etag));
  }
  const ifModifiedSince = request['if-modified-since'];
  if (ifModifiedSince !== undefined && useDate) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(lastModifiedMs / 1000) * 1000 <= since;
  }
  return false;
}
