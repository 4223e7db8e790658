// A simulated Ofsted reports site on 127.0.0.1, for tests and for trying the product offline: the listing,
// councils' pages and files as documented in ../shared/docs/ofsted-site.md, publications on demand, faults on
// demand, conditional requests, and request counts. Driven from code (the returned handle) or over HTTP (/__sim/).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PublicationType } from '../letters/types.ts';
import { loadSharedAuthorities, type SimAuthority } from './authorities.ts';
import { handleControl } from './control-api.ts';
import { FaultBook, FaultSchema, type Fault } from './faults.ts';
import { loadLetterCorpus } from './letter-corpus.ts';
import { CHANGED_MARKUP, DOCUMENTED_MARKUP } from './markup.ts';
import { PdfBytes } from './pdf-bytes.ts';
import { seedHistory } from './seed-history.ts';
import { loadShell } from './shell.ts';
import { SiteHistory, type PublishInput, type SimPublication } from './site-history.ts';
import { answer, resourceKind, type Answer, type LatestReportMode, type SiteContext } from './site-routes.ts';
import { etagOf, isNotModified, validatorHeaders, type ConditionalMode } from './validators.ts';

export type { SimAuthority, PublishInput, Fault, LatestReportMode, ConditionalMode };
export { loadSharedAuthorities };

export interface SimulatorOptions {
  /** the councils listed (default: loadSharedAuthorities()) */
  authorities?: readonly SimAuthority[];
  /** the publications the site starts with, instead of the seeded history (real letters, else generated) */
  history?: readonly PublishInput[];
  /** default 0: any free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** which validators pages and files carry (default 'both') */
  conditional?: ConditionalMode;
  /** which publications move the listing's "Latest report" (default 'inspections': visits do not) */
  latestReportMovesFor?: LatestReportMode;
  /** serve the real PDFs in ../shared/corpus/letters where the seeded history has them (default true) */
  realPdfs?: boolean;
  /** where ../shared is (default: beside the project's checkout) */
  sharedDir?: string;
  /** the clock behind Last-Modified (default Date.now) */
  clock?: () => number;
}

/** A publication as the simulated site shows it. */
export interface PublishedPublication {
  urn: string;
  type: PublicationType;
  title: string;
  publicationDate: string;
  fileId: string;
  /** the file on the simulated site: {url}/v1/file/{fileId} */
  url: string;
}

export interface SimStats {
  /** requests to the public site (the control API is not counted) */
  requests: number;
  /** requests by path, without the query: "/search", "/provider/44/80451", "/v1/file/60000001" */
  byPath: Record<string, number>;
  /** body bytes sent */
  bytes: number;
}

export interface SimulatedOfsted {
  /** e.g. http://127.0.0.1:53211, no trailing slash */
  readonly url: string;
  readonly authorities: readonly SimAuthority[];
  close(): Promise<void>;
  /** publishes now: the council's page changes (and the listing's date, as latestReportMovesFor says). Throws SimError. */
  publish(input: PublishInput): PublishedPublication;
  /** a corrected copy: same council, type and date; a new file id; the old id answers "Report not found". Throws SimError. */
  republish(urn: string, type: PublicationType, publicationDate: string): PublishedPublication;
  /** a council's current publications, newest first */
  publications(urn: string): PublishedPublication[];
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** faults still armed */
  faults(): ReturnType<FaultBook['list']>;
  stats(): SimStats;
  resetStats(): void;
  setLatestReportMode(mode: LatestReportMode): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSimulatedOfsted(options: SimulatorOptions = {}): Promise<SimulatedOfsted> {
  const authorities = [...(options.authorities ?? loadSharedAuthorities(options.sharedDir))];
  const conditional = options.conditional ?? 'both';
  const history = new SiteHistory(authorities, options.clock);
  const corpus = options.realPdfs === false ? [] : loadLetterCorpus(options.sharedDir);
  history.seed(options.history ?? seedHistory(authorities, corpus));

  const faults = new FaultBook();
  let stats: SimStats = { requests: 0, byPath: {}, bytes: 0 };
  const ctx: SiteContext = {
    history,
    shell: loadShell(options.sharedDir),
    pdfs: new PdfBytes(),
    baseUrl: '', // known once listening
    latestReportMode: options.latestReportMovesFor ?? 'inspections',
  };

  const shown = (p: SimPublication): PublishedPublication => ({
    urn: p.urn,
    type: p.type,
    title: p.title,
    publicationDate: p.publicationDate,
    fileId: p.fileId,
    url: `${ctx.baseUrl}/v1/file/${p.fileId}`,
  });

  const sim: SimulatedOfsted = {
    get url() {
      return ctx.baseUrl;
    },
    authorities,
    close: () => close(),
    publish: (input) => shown(history.publish(input)),
    republish: (urn, type, date) => shown(history.republish(urn, type, date)),
    publications: (urn) => history.publications(urn).map(shown),
    injectFault: (fault) => faults.add(FaultSchema.parse(fault.times === Infinity ? { ...fault, times: 'always' } : fault)),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    stats: () => ({ ...stats, byPath: { ...stats.byPath } }),
    resetStats: () => {
      stats = { requests: 0, byPath: {}, bytes: 0 };
    },
    setLatestReportMode: (mode) => {
      ctx.latestReportMode = mode;
    },
  };

  function send(req: IncomingMessage, res: ServerResponse, a: Answer): void {
    const headers: Record<string, string> = { 'content-type': a.contentType, ...a.headers };
    if (a.status === 200 && a.lastModified !== null) {
      const etag = a.etag ?? etagOf(a.body);
      Object.assign(headers, validatorHeaders(conditional, etag, a.lastModified));
      if (isNotModified(req.headers, conditional, etag, a.lastModified)) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
    }
    const body = typeof a.body === 'string' ? Buffer.from(a.body, 'utf8') : a.body;
    headers['content-length'] = String(body.byteLength);
    res.writeHead(a.status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    stats.bytes += body.byteLength;
    res.end(body);
  }

  /** A fault that answers instead of the site (true when it did), or slows it down. */
  async function transportFault(fault: Fault | null, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!fault) return false;
    switch (fault.kind) {
      case 'slow':
        await sleep(fault.ms ?? 2000);
        return false;
      case 'reset':
        req.socket.destroy();
        return true;
      case '429':
      case '503':
      case '403': {
        const retryAfter = fault.retryAfter ?? (fault.kind === '429' ? 1 : undefined);
        const body = `<!DOCTYPE html><html><head><title>${fault.kind}</title></head><body><p>Simulated ${fault.kind}.</p></body></html>\n`;
        res.writeHead(Number(fault.kind), {
          'content-type': 'text/html; charset=UTF-8',
          'content-length': String(Buffer.byteLength(body)),
          ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
        });
        res.end(body);
        stats.bytes += Buffer.byteLength(body);
        return true;
      }
      default:
        return false;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', ctx.baseUrl || 'http://127.0.0.1');
    if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) return handleControl(req, res, url, sim);
    stats.requests++;
    stats.byPath[url.pathname] = (stats.byPath[url.pathname] ?? 0) + 1;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=UTF-8' });
      res.end('The simulated Ofsted site answers GET and HEAD only (the control API is under /__sim/).\n');
      return;
    }
    const fault = faults.take(url.pathname + url.search, resourceKind(url.pathname));
    if (await transportFault(fault, req, res)) return;
    const variant = {
      markup: fault?.kind === 'changed-markup' ? CHANGED_MARKUP : DOCUMENTED_MARKUP,
      empty: fault?.kind === 'empty',
      truncated: fault?.kind === 'truncated',
      fileHtml: fault?.kind === 'file-html',
    };
    send(req, res, await answer(ctx, url, variant));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (res.headersSent) return void res.destroy(error);
      res.writeHead(500, { 'content-type': 'text/plain; charset=UTF-8' });
      res.end(`the simulator failed: ${error.message}\n`);
    });
  });

  async function close(): Promise<void> {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  ctx.baseUrl = `http://${host}:${address.port}`;
  return sim;
}
