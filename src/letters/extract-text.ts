// Reads the text of a PDF with unpdf (pdf.js), page by page, rebuilding lines from the text
// items' positions so that the letter's structure (headings, bullets, tables) survives.
import { getDocumentProxy } from 'unpdf';
import { linesFromItems, type PositionedItem } from './layout-lines.ts';

export interface ExtractOptions {
  /** refuse PDFs with more pages than this (default 200) */
  maxPages?: number;
  /** give up after this long (default 30 s) */
  timeoutMs?: number;
}

export type ExtractResult =
  | { ok: true; totalPages: number; pages: string[] }
  | { ok: false; kind: 'corrupt' | 'too-many-pages' | 'timeout'; reason: string };

export const DEFAULT_MAX_PAGES = 200;
export const DEFAULT_EXTRACT_TIMEOUT_MS = 30_000;

interface RawTextItem {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
  hasEOL?: boolean;
}

/** Text of every page, lines separated by "\n" and paragraphs by a blank line. */
export async function extractPdfText(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const data = new Uint8Array(bytes);
  let doc: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ExtractResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, kind: 'timeout', reason: `text extraction took longer than ${formatMs(timeoutMs)}` }),
      timeoutMs,
    );
  });
  const work = async (): Promise<ExtractResult> => {
    try {
      doc = await getDocumentProxy(data, { verbosity: 0 });
    } catch (err) {
      return { ok: false, kind: 'corrupt', reason: `corrupt: the PDF could not be opened (${describe(err)})` };
    }
    if (doc.numPages > maxPages) {
      return { ok: false, kind: 'too-many-pages', reason: `too many pages (${doc.numPages} > ${maxPages} cap)` };
    }
    const pages: string[] = [];
    try {
      for (let n = 1; n <= doc.numPages; n++) {
        if (Date.now() > deadline) {
          return { ok: false, kind: 'timeout', reason: `text extraction took longer than ${formatMs(timeoutMs)}` };
        }
        const page = await doc.getPage(n);
        // clean-text normalises characters (NFKC) itself, so pdf.js need not (about 15% faster)
        const content = await page.getTextContent({ disableNormalization: true });
        pages.push(linesFromItems(content.items.flatMap((it) => toPositioned(it as RawTextItem))));
        page.cleanup();
      }
    } catch (err) {
      return { ok: false, kind: 'corrupt', reason: `corrupt: page ${pages.length + 1} could not be read (${describe(err)})` };
    }
    return { ok: true, totalPages: doc.numPages, pages };
  };
  try {
    return await Promise.race([work(), timedOut]);
  } finally {
    clearTimeout(timer);
    // destroy() also stops a still-running parse after a timeout
    void doc?.destroy().catch(() => undefined);
  }
}

function toPositioned(it: RawTextItem): PositionedItem[] {
  if (typeof it.str !== 'string' || !Array.isArray(it.transform)) return [];
  const [a = 0, b = 0, , d = 0, e = 0, f = 0] = it.transform;
  const fontSize = Math.hypot(a, b) || Math.abs(d) || it.height || 0;
  return [{ str: it.str, x: e, y: f, width: it.width ?? 0, fontSize, hasEOL: it.hasEOL === true }];
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.length > 120 ? `${msg.slice(0, 117)}...` : msg;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
