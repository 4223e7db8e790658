// The simulated site's control API, for people driving it with curl (and tests): publish, re-publish, faults,
// the listing's "Latest report" behaviour, and request counts. JSON in and out, under /__sim/.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { PUBLICATION_TYPES } from '../letters/types.ts';
import { FaultSchema, type Fault } from './faults.ts';
import { SimError } from './site-history.ts';
import type { LatestReportMode } from './site-routes.ts';

/** What the control API drives: the public methods of the simulated site. */
export interface SimControls {
  publish(input: z.infer<typeof PublishSchema>): unknown;
  republish(urn: string, type: z.infer<typeof PublishSchema>['type'], publicationDate: string): unknown;
  publications(urn: string): unknown;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  faults(): unknown;
  stats(): unknown;
  resetStats(): void;
  setLatestReportMode(mode: LatestReportMode): void;
}

const PublishSchema = z.object({
  urn: z.string().regex(/^\d+$/, 'a URN is digits'),
  type: z.enum(PUBLICATION_TYPES),
  publicationDate: z.string().min(1),
  fileId: z.string().regex(/^[\w-]+$/).optional(),
  title: z.string().min(1).optional(),
});
const RepublishSchema = PublishSchema.pick({ urn: true, type: true, publicationDate: true });
const ModeSchema = z.object({ mode: z.enum(['all', 'inspections', 'none']) });

const MAX_BODY = 64 * 1024;

export const CONTROL_HELP = {
  'GET /__sim/stats': 'requests counted by path, and bytes sent',
  'POST /__sim/stats/reset': 'zero the counts',
  'POST /__sim/publish': '{"urn":"80451","type":"focused-visit","publicationDate":"2026-02-03"} (fileId, title optional)',
  'POST /__sim/republish': '{"urn":"80451","type":"inspection","publicationDate":"2025-07-18"}: new file id, same publication',
  'GET /__sim/publications/{urn}': "a council's current publications",
  'POST /__sim/fault': `{"kind":"503","path":"/provider/44/","times":2} kinds: slow (ms), 429 (retryAfter), 503, 403, truncated, changed-markup, empty, file-html, reset; times: a number or "always"`,
  'GET /__sim/fault': 'faults still armed',
  'DELETE /__sim/fault': 'clear every fault',
  'POST /__sim/latest-report-mode': '{"mode":"all"|"inspections"|"none"}: which publications move the listing\'s "Latest report"',
};

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value, null, 2) + '\n';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new SimError(`the request body is over ${MAX_BODY} bytes`, 400);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) throw new SimError('send a JSON body (content-type: application/json)', 400);
  try {
    return JSON.parse(text);
  } catch {
    throw new SimError('the body is not JSON', 400);
  }
}

async function parseBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(req));
  if (!parsed.success) {
    throw new SimError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 400);
  }
  return parsed.data;
}

/** Answers a request under /__sim/. */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, sim: SimControls): Promise<void> {
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    const publications = /^GET \/__sim\/publications\/(\d+)$/.exec(route);
    if (publications) return send(res, 200, sim.publications(publications[1]!));
    switch (route) {
      case 'GET /__sim':
        return send(res, 200, CONTROL_HELP);
      case 'GET /__sim/stats':
        return send(res, 200, sim.stats());
      case 'POST /__sim/stats/reset':
        sim.resetStats();
        return send(res, 200, sim.stats());
      case 'POST /__sim/publish':
        return send(res, 201, sim.publish(await parseBody(req, PublishSchema)));
      case 'POST /__sim/republish': {
        const body = await parseBody(req, RepublishSchema);
        return send(res, 201, sim.republish(body.urn, body.type, body.publicationDate));
      }
      case 'POST /__sim/fault':
        sim.injectFault(await parseBody(req, FaultSchema));
        return send(res, 201, sim.faults());
      case 'GET /__sim/fault':
        return send(res, 200, sim.faults());
      case 'DELETE /__sim/fault':
        sim.clearFaults();
        return send(res, 200, sim.faults());
      case 'POST /__sim/latest-report-mode': {
        const { mode } = await parseBody(req, ModeSchema);
        sim.setLatestReportMode(mode);
        return send(res, 200, { mode });
      }
      default:
        return send(res, 404, { error: `no control endpoint ${route}`, endpoints: CONTROL_HELP });
    }
  } catch (error) {
    if (error instanceof SimError) return send(res, error.status, { error: error.message });
    return send(res, 500, { error: `the simulator failed: ${(error as Error).message}` });
  }
}
