// A local HTTP server whose answers each test scripts, recording what it was asked and when.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  at: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>;

export interface TestServer {
  url: string;
  seen: Seen[];
  /** the most requests in flight at once */
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startTestServer(handler: Handler): Promise<TestServer> {
  let inFlight = 0;
  const state: TestServer = { url: '', seen: [], maxInFlight: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const done = (): void => {
      inFlight--;
    };
    res.on('close', done);
    state.seen.push({ path: req.url ?? '', headers: req.headers, at: Date.now() });
    void Promise.resolve(handler(req, res, state.seen.length)).catch((error: Error) => res.destroy(error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

/** Answers with `status`, `body` and `headers`. */
export function reply(res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}
