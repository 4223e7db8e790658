// Pure: checks that what came back from a file link is a PDF worth parsing, before any parsing.
// Reasons are written for people: they end up in alerts and health reports.

export const DEFAULT_MAX_PDF_BYTES = 25 * 1024 * 1024;

export type PdfCheck =
  | { ok: true }
  | { ok: false; kind: 'not-pdf' | 'corrupt' | 'too-large'; reason: string };

const PDF_MAGIC = '%PDF-';
/** The PDF header may be preceded by a little junk (the spec allows it within the first 1024 bytes). */
const MAGIC_WINDOW = 1024;

export function checkPdf(bytes: Uint8Array, contentType: string | null, maxBytes: number = DEFAULT_MAX_PDF_BYTES): PdfCheck {
  if (bytes.byteLength > maxBytes) {
    return { ok: false, kind: 'too-large', reason: `too large (${formatSize(bytes.byteLength)} > ${formatSize(maxBytes)} cap)` };
  }
  if (bytes.byteLength === 0) return { ok: false, kind: 'not-pdf', reason: 'not a PDF: the site answered with an empty body' };
  const head = latin1(bytes.subarray(0, MAGIC_WINDOW));
  const at = head.indexOf(PDF_MAGIC);
  if (at < 0) return { ok: false, kind: 'not-pdf', reason: notPdfReason(bytes, contentType) };
  // a PDF ends with %%EOF (possibly followed by whitespace); a truncated download does not
  const tail = latin1(bytes.subarray(Math.max(0, bytes.byteLength - 2048)));
  if (!tail.includes('%%EOF')) {
    return { ok: false, kind: 'corrupt', reason: `corrupt: the PDF is truncated (no end-of-file marker in ${formatSize(bytes.byteLength)})` };
  }
  return { ok: true };
}

function notPdfReason(bytes: Uint8Array, contentType: string | null): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64 * 1024));
  const type = contentType?.split(';')[0]?.trim().toLowerCase() || null;
  if (/<html[\s>]|<!doctype html/i.test(text) || type === 'text/html') {
    const said = htmlHeadline(text);
    return said ? `not a PDF: the site answered ${said}` : 'not a PDF: the site answered with a web page';
  }
  return `not a PDF: the site answered with ${type ? `${type} content` : 'content that is not a PDF'}`;
}

/** What a page says about itself: its first h1, else its title (minus the site's name). */
export function htmlHeadline(html: string): string | null {
  const h1 = /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  const title = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  for (const raw of [h1, title]) {
    if (raw === undefined) continue;
    const text = decodeEntities(raw.replace(/<[^>]*>/g, ' '))
      .replace(/\s+/g, ' ')
      .trim()
      .split(/ [-|–] /)[0]
      ?.trim();
    if (text) return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  }
  return null;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&rsquo;|&lsquo;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
}

function latin1(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes);
}

export function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`.replace('.0 MB', ' MB');
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
