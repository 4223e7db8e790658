// The HTTP side: a node:http server with POST /api/messages (and GET /api/health), and the CloudAdapter
// that authenticates each activity and runs the bot. CloudAdapter.process expects an Express-style request
// with a parsed body and answers 500 (with the error's text, after console.error) for any failure that is
// not an AuthenticationError; this subclass reads the body itself (bounded), authenticates first — any
// failure to authenticate is 401, or 503 when the signing keys could not be fetched — and only then runs
// the turn through CloudAdapter's processActivity, answering with the invoke response when there is one.
// In local mode (no app id) it also refuses activities whose serviceUrl is not on this machine, so the
// unauthenticated adapter can never be made to post to somewhere else.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import type { Logger } from '../../src/log/logger.ts';
import { isLoopbackUrl } from './conversation.ts';
import { authFailureOf, type AuthenticateRequestResult, type TeamsAuthentication } from './teams-auth.ts';
import { HEALTH_PATH, MESSAGES_PATH } from './teams-settings.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface TeamsCloudAdapterOptions {
  logger: Logger;
  /** local mode: accept only loopback service URLs */
  local: boolean;
}

export class TeamsCloudAdapter extends CloudAdapter {
  constructor(private readonly auth: TeamsAuthentication, private readonly opts: TeamsCloudAdapterOptions) {
    super(auth);
  }

  /** Handles one request to /api/messages. */
  async handle(req: IncomingMessage, res: ServerResponse, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, { error: 'POST an activity to this endpoint' }, { allow: 'POST' });
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'too-large') return send(res, 413, { error: 'request body too large' });
    let activity: Activity;
    try {
      activity = JSON.parse(body.toString('utf8')) as Activity;
    } catch {
      return send(res, 400, { error: 'the body is not JSON' });
    }
    if (!activity || typeof activity !== 'object' || typeof activity.type !== 'string' || activity.type === '') return send(res, 400, { error: 'not an activity (no type)' });
    fixTimestamps(activity);
    if (this.opts.local && !isLoopbackUrl(activity.serviceUrl)) {
      this.opts.logger.warn({ serviceUrl: activity.serviceUrl }, 'Teams adapter in local mode: refused an activity whose serviceUrl is not on this machine');
      return send(res, 403, { error: 'local mode accepts only service URLs on this machine' });
    }

    const header = String(req.headers.authorization ?? '');
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.auth.authenticateRequest(activity, header);
    } catch (error) {
      const failure = authFailureOf(error);
      this.opts.logger.warn({ status: failure.status, reason: failure.reason, hasToken: header !== '', channelId: activity.channelId }, 'Teams request not authenticated');
      return send(res, failure.status, { error: failure.status === 401 ? 'Unauthorized' : 'authentication is unavailable, retry later' });
    }

    try {
      const invoke = await this.processActivity(authenticated, activity, logic);
      if (invoke) return send(res, invoke.status ?? 200, invoke.body);
      return send(res, 200);
    } catch (error) {
      this.opts.logger.error({ err: error, type: activity.type, conversation: activity.conversation?.id }, 'Teams activity failed');
      return send(res, 500, { error: 'the activity could not be handled' });
    }
  }
}

function fixTimestamps(activity: Activity): void {
  const a = activity as unknown as Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['localTimestamp', 'rawLocalTimestamp'], ['expiration', 'rawExpiration']] as const) {
    if (typeof a[field] === 'string') {
      a[raw] = a[field];
      a[field] = new Date(a[field] as string);
    }
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === undefined || body === null) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...headers }).end(text);
}

export interface TeamsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (0 = any free port) and routes /api/messages to the adapter. */
export async function startTeamsServer(opts: { adapter: TeamsCloudAdapter; logic: (context: TurnContext) => Promise<void>; host: string; port: number; logger: Logger }): Promise<TeamsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === MESSAGES_PATH) {
      opts.adapter.handle(req, res, opts.logic).catch((error: unknown) => {
        opts.logger.error({ err: error }, 'Teams request failed');
        send(res, 500, { error: 'internal error' });
      });
      return;
    }
    if (path === HEALTH_PATH && req.method === 'GET') return send(res, 200, 'ok');
    send(res, 404, { error: 'not found' });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
      }),
  };
}
