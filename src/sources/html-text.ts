// Small helpers the HTML parsers share: reading text as a person sees it, and spotting a page cut short.

/** Whitespace (including non-breaking spaces) collapsed to single spaces, trimmed. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** True when the HTML stops before its closing </html> tag: a page cut off in transfer. */
export function looksTruncated(html: string): boolean {
  return !/<\/html\s*>\s*$/i.test(html.trimEnd());
}

/** A count written with or without thousands separators ("1,234 results") as a number, or null. */
export function parseCount(text: string): number | null {
  const match = /\d[\d,]*/.exec(text);
  if (!match) return null;
  const n = Number(match[0].replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}
