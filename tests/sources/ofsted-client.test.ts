import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { OfstedClient, type OfstedClientOptions } from '../../src/sources/ofsted-client.ts';
import { reply, startTestServer, type Handler, type TestServer } from './test-server.ts';

const UA = 'ofsted-alerts-test/1.0 (+mailto:ops@example.org)';

let server: TestServer | null = null;
let client: OfstedClient | null = null;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = null;
  server = null;
});

/** A client whose waits are recorded on a fake clock: tests are fast and the waits exact. */
async function setup(handler: Handler, options: Partial<OfstedClientOptions> = {}) {
  server = await startTestServer(handler);
  const waits: number[] = [];
  let clock = 1_000_000;
  client = new OfstedClient({
    baseUrl: server.url,
    userAgent: UA,
    delayMs: 800,
    timeoutMs: 2000,
    maxRetries: 3,
    backoffBaseMs: 1000,
    backoffMaxMs: 8000,
    random: () => 0.5,
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    ...options,
  });
  return { server, client, waits };
}

describe('OfstedClient: a plain request', () => {
  it('resolves relative URLs against baseUrl and sends the User-Agent', async () => {
    const { client, server } = await setup((_req, res) => reply(res, 200, '<html>ok</html>', { etag: '"abc"', 'last-modified': 'Fri, 18 Jul 2025 10:00:00 GMT' }));
    const result = await client.get('/provider/44/80451');
    expect(result).toEqual({
      ok: true,
      status: 200,
      body: '<html>ok</html>',
      contentType: 'text/html; charset=utf-8',
      etag: '"abc"',
      lastModified: 'Fri, 18 Jul 2025 10:00:00 GMT',
      bytes: 15,
    });
    expect(server.seen[0]?.path).toBe('/provider/44/80451');
    expect(server.seen[0]?.headers['user-agent']).toBe(UA);
    expect(client.stats()).toEqual({ requests: 1, bytes: 15, retries: 0, notModified: 0 });
  });

  it('refuses to start without a User-Agent', () => {
    expect(() => new OfstedClient({ userAgent: ' ' })).toThrow(/userAgent/);
  });

  it('answers a bad URL as an error value without a request', async () => {
    const { client, server } = await setup((_req, res) => reply(res, 200));
    const result = await client.get('ftp://example.org/x');
    expect(result).toMatchObject({ ok: false, error: { kind: 'network', attempts: 0 } });
    expect(server.seen).toHaveLength(0);
  });

  it('decompresses gzip, counting the bytes on the wire', async () => {
    const html = '<html>' + 'Wakefield '.repeat(500) + '</html>';
    const gz = gzipSync(html);
    const { client, server } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(gz.length) });
      res.end(gz);
    });
    const result = await client.get('/');
    expect(result.ok && result.status === 200 && result.body).toBe(html);
    expect(result.ok && result.bytes).toBe(gz.length);
    expect(server.seen[0]?.headers['accept-encoding']).toMatch(/gzip/);
  });

  it('decodes text by the charset it is sent in', async () => {
    const { client } = await setup((_req, res) => {
      const body = Buffer.from('Caf\xe9', 'latin1');
      res.writeHead(200, { 'content-type': 'text/html; charset=ISO-8859-1', 'content-length': String(body.length) });
      res.end(body);
    });
    const result = await client.get('/');
    expect(result.ok && result.status === 200 && result.body).toBe('Café');
  });

  it('getBytes answers bytes', async () => {
    const pdf = Buffer.from('%PDF-1.4\n...%%EOF\n');
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(pdf.length) });
      res.end(pdf);
    });
    const result = await client.getBytes('/v1/file/1');
    expect(result.ok && result.status === 200 && result.body).toBeInstanceOf(Uint8Array);
    expect(result.ok && result.status === 200 && Buffer.from(result.body).toString()).toBe(pdf.toString());
    expect(result.ok && result.status === 200 && result.contentType).toBe('application/pdf');
  });
});

describe('OfstedClient: conditional requests', () => {
  it('sends If-None-Match and If-Modified-Since and answers 304 as not modified', async () => {
    const { client, server } = await setup((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return reply(res, 304);
      reply(res, 200, 'changed', { etag: '"v2"' });
    });
    const result = await client.get('/search', { etag: '"v1"', lastModified: 'Fri, 18 Jul 2025 10:00:00 GMT' });
    expect(result).toEqual({ ok: true, status: 304, bytes: 0 });
    expect(server.seen[0]?.headers['if-none-match']).toBe('"v1"');
    expect(server.seen[0]?.headers['if-modified-since']).toBe('Fri, 18 Jul 2025 10:00:00 GMT');
    expect(client.stats()).toMatchObject({ requests: 1, notModified: 1 });

    const fresh = await client.get('/search', { etag: '"old"' });
    expect(fresh).toMatchObject({ ok: true, status: 200, body: 'changed', etag: '"v2"' });
  });

  it('sends no conditional headers when it holds no copy', async () => {
    const { client, server } = await setup((_req, res) => reply(res, 200, 'x'));
    await client.get('/search');
    expect(server.seen[0]?.headers['if-none-match']).toBeUndefined();
    expect(server.seen[0]?.headers['if-modified-since']).toBeUndefined();
  });
});

describe('OfstedClient: retries', () => {
  it('retries 503 with exponential backoff and full jitter, then succeeds', async () => {
    const { client, waits } = await setup((_req, res, n) => (n <= 2 ? reply(res, 503) : reply(res, 200, 'ok')));
    const result = await client.get('/search');
    expect(result).toMatchObject({ ok: true, status: 200, body: 'ok' });
    // random() = 0.5: 0.5 × 1000, then 0.5 × 2000; never under the 800 ms pause between requests
    expect(waits).toEqual([800, 1000]);
    expect(client.stats()).toMatchObject({ requests: 3, retries: 2 });
  });

  it('caps the backoff at backoffMaxMs', async () => {
    const { client, waits } = await setup((_req, res) => reply(res, 503), { random: () => 0.999, maxRetries: 5, backoffMaxMs: 3000 });
    await client.get('/');
    expect(waits).toEqual([999, 1998, 2997, 2997, 2997].map((w) => Math.max(800, w)));
  });

  it('honours Retry-After in seconds on 429', async () => {
    const { client, waits } = await setup((_req, res, n) => (n === 1 ? reply(res, 429, '', { 'retry-after': '7' }) : reply(res, 200, 'ok')));
    const result = await client.get('/search');
    expect(result.ok).toBe(true);
    expect(waits).toEqual([7000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { client, waits } = await setup((_req, res, n) =>
      n === 1 ? reply(res, 503, '', { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }) : reply(res, 200, 'ok'),
    );
    await client.get('/search');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(28_000);
    expect(waits[0]).toBeLessThanOrEqual(30_000);
  });

  it('gives up, saying how long the site asked for, when Retry-After is longer than it will wait', async () => {
    const { client, waits, server } = await setup((_req, res) => reply(res, 429, '', { 'retry-after': '3600' }), { retryAfterMaxMs: 300_000 });
    const result = await client.get('/search');
    expect(result).toMatchObject({ ok: false, error: { kind: 'http', status: 429, attempts: 1, retryAfterMs: 3_600_000 } });
    expect(!result.ok && result.error.message).toMatch(/asked us to wait 3600 s/);
    expect(waits).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it('retries 403 (which the site is reported to use for rate limiting)', async () => {
    const { client } = await setup((_req, res, n) => (n === 1 ? reply(res, 403) : reply(res, 200, 'ok')));
    expect(await client.get('/')).toMatchObject({ ok: true, status: 200 });
    expect(client.stats().retries).toBe(1);
  });

  it('does not retry 404', async () => {
    const { client, server } = await setup((_req, res) => reply(res, 404));
    const result = await client.get('/provider/44/1');
    expect(result).toMatchObject({ ok: false, error: { kind: 'http', status: 404, attempts: 1 } });
    expect(server.seen).toHaveLength(1);
  });

  it('stops after maxRetries, with the last error and the attempts made', async () => {
    const { client, server } = await setup((_req, res) => reply(res, 503), { maxRetries: 2 });
    const result = await client.get('/search');
    expect(result).toMatchObject({ ok: false, error: { kind: 'http', status: 503, attempts: 3 } });
    expect(!result.ok && result.error.message).toMatch(/answered HTTP 503/);
    expect(server.seen).toHaveLength(3);
  });

  it('retries a connection reset', async () => {
    const { client } = await setup((req, res, n) => void (n === 1 ? req.socket.destroy() : reply(res, 200, 'ok')));
    expect(await client.get('/')).toMatchObject({ ok: true, status: 200, body: 'ok' });
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('reports a network error for people when every attempt fails', async () => {
    const { client } = await setup((req) => void req.socket.destroy(), { maxRetries: 1 });
    const result = await client.get('/');
    expect(result).toMatchObject({ ok: false, error: { kind: 'network', attempts: 2 } });
    expect(!result.ok && result.error.message).toMatch(/could not fetch http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('times out a slow answer, and retries it', async () => {
    const { client } = await setup(
      (_req, res, n) => {
        if (n === 1) setTimeout(() => reply(res, 200, 'late'), 1000);
        else reply(res, 200, 'ok');
      },
      { timeoutMs: 100 },
    );
    expect(await client.get('/')).toMatchObject({ ok: true, body: 'ok' });
    expect(client.stats().retries).toBe(1);
  });

  it('reports a timeout when every attempt is too slow', async () => {
    const { client } = await setup((_req, res) => void setTimeout(() => reply(res, 200, 'late'), 1000), { timeoutMs: 100, maxRetries: 0 });
    const result = await client.get('/');
    expect(result).toMatchObject({ ok: false, error: { kind: 'timeout', attempts: 1 } });
  });

  it('logs retries without credentials or headers', async () => {
    const lines: string[] = [];
    const logger = { debug: (o: object, m: string) => void lines.push(JSON.stringify(o) + m), warn: (o: object, m: string) => void lines.push(JSON.stringify(o) + m) };
    const { client, server } = await setup((_req, res, n) => (n === 1 ? reply(res, 503) : reply(res, 200, 'ok')), { logger });
    const withCredentials = server.url.replace('http://', 'http://user:hunter2@');
    await client.get(`${withCredentials}/search#frag`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/hunter2|ops@example\.org|frag/);
  });
});

describe('OfstedClient: size cap', () => {
  it('refuses a body over maxBodyBytes by its Content-Length, without retrying', async () => {
    const { client, server } = await setup((_req, res) => reply(res, 200, 'x'.repeat(1000)), { maxBodyBytes: 100 });
    const result = await client.get('/');
    expect(result).toMatchObject({ ok: false, error: { kind: 'too-large', attempts: 1 } });
    expect(server.seen).toHaveLength(1);
  });

  it('stops reading a body without Content-Length once it passes the cap', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(1000));
      res.end();
    });
    const result = await client.getBytes('/v1/file/1', { maxBytes: 5000 });
    expect(result).toMatchObject({ ok: false, error: { kind: 'too-large' } });
  });

  it('caps what a compressed body inflates to', async () => {
    const gz = gzipSync(Buffer.alloc(100_000));
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(gz.length) });
      res.end(gz);
    }, { maxBodyBytes: 10_000 });
    expect(await client.get('/')).toMatchObject({ ok: false, error: { kind: 'too-large' } });
  });
});

describe('OfstedClient: politeness', () => {
  it('makes one request at a time, in order, even with concurrent callers', async () => {
    const { client, server } = await setup((req, res) => void setTimeout(() => reply(res, 200, req.url ?? ''), 20), { delayMs: 0, sleep: undefined, now: undefined });
    const results = await Promise.all(['/a', '/b', '/c', '/d', '/e'].map((p) => client.get(p)));
    expect(server.maxInFlight).toBe(1);
    expect(server.seen.map((s) => s.path)).toEqual(['/a', '/b', '/c', '/d', '/e']);
    expect(results.map((r) => r.ok && r.status === 200 && r.body)).toEqual(['/a', '/b', '/c', '/d', '/e']);
  });

  it('waits delayMs between requests, from the end of one to the start of the next', async () => {
    const { client, waits } = await setup((_req, res) => reply(res, 200, 'ok'));
    await client.get('/1');
    await client.get('/2');
    await Promise.all([client.get('/3'), client.get('/4')]);
    expect(waits).toEqual([800, 800, 800]);
  });

  it('really pauses between requests (real clock)', async () => {
    const { client, server } = await setup((_req, res) => void setTimeout(() => reply(res, 200, 'ok'), 30), { delayMs: 60, sleep: undefined, now: undefined });
    await Promise.all([client.get('/1'), client.get('/2'), client.get('/3')]);
    const gaps = server.seen.slice(1).map((s, i) => s.at - server.seen[i]!.at);
    // each gap: ~30 ms answering the previous request + 60 ms pause
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(85);
  });
});

describe('OfstedClient: abort', () => {
  it('aborts the request in flight', async () => {
    const { client } = await setup((_req, res) => void setTimeout(() => reply(res, 200, 'late'), 5000), { sleep: undefined, now: undefined });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await client.get('/', { signal: controller.signal });
    expect(result).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('aborts the wait before a retry', async () => {
    const { client, server } = await setup((_req, res) => reply(res, 503, '', { 'retry-after': '120' }), { sleep: undefined, now: undefined });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const result = await client.get('/', { signal: controller.signal });
    expect(result).toMatchObject({ ok: false, error: { kind: 'aborted', attempts: 1 } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.seen).toHaveLength(1);
  });

  it('aborts a caller still waiting its turn, and lets the others through', async () => {
    const { client, server } = await setup((_req, res) => void setTimeout(() => reply(res, 200, 'ok'), 100), { delayMs: 0, sleep: undefined, now: undefined });
    const controller = new AbortController();
    const first = client.get('/first');
    const second = client.get('/second', { signal: controller.signal });
    const third = client.get('/third');
    controller.abort();
    expect(await second).toMatchObject({ ok: false, error: { kind: 'aborted', attempts: 0 } });
    expect(await first).toMatchObject({ ok: true });
    expect(await third).toMatchObject({ ok: true });
    expect(server.seen.map((s) => s.path)).toEqual(['/first', '/third']);
  });

  it('answers at once when the signal is already aborted', async () => {
    const { client, server } = await setup((_req, res) => reply(res, 200));
    const result = await client.get('/', { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ ok: false, error: { kind: 'aborted', attempts: 0 } });
    expect(server.seen).toHaveLength(0);
  });
});

describe('OfstedClient: stats', () => {
  it('counts requests, bytes, retries and 304s, and resets', async () => {
    const { client } = await setup((req, res, n) => {
      if (n === 1) return reply(res, 503);
      if (req.headers['if-none-match']) return reply(res, 304);
      reply(res, 200, 'hello');
    });
    await client.get('/a');
    await client.get('/b', { etag: '"x"' });
    expect(client.stats()).toEqual({ requests: 3, bytes: 5, retries: 1, notModified: 1 });
    client.resetStats();
    expect(client.stats()).toEqual({ requests: 0, bytes: 0, retries: 0, notModified: 0 });
  });
});
