// The date nearest a link, for the parsers' fallbacks: read from the smallest enclosing element that holds this
// link and no link to anything else (another council, another file), so one item's date never lends itself to
// the next.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { findDate, parseDate } from './dates.ts';

export interface NearestDateOptions {
  /** what a link points to (a URN, a file id), or null for links that do not matter */
  keyOf(href: string): string | null;
  /** the key of the link whose date is wanted */
  ownKey: string;
  /** also read a date from the element's text, not only from its <time> elements */
  anyText: boolean;
  /** how many ancestors to climb (default 6) */
  maxDepth?: number;
}

export function nearestDate($: CheerioAPI, link: AnyNode, options: NearestDateOptions): string | null {
  let node = $(link).parent();
  for (let depth = 0; depth < (options.maxDepth ?? 6) && node.length > 0 && !node.is('body'); depth++, node = node.parent()) {
    const holdsOthers = node
      .find('a[href]')
      .toArray()
      .some((a) => {
        const key = options.keyOf($(a).attr('href') ?? '');
        return key !== null && key !== options.ownKey;
      });
    if (holdsOthers) return null;
    const fromTime = node
      .find('time')
      .toArray()
      .map((t) => parseDate($(t).text()) ?? parseDate($(t).attr('datetime') ?? ''))
      .find((d) => d !== null);
    const date = fromTime ?? (options.anyText ? findDate(node.text()) : null);
    if (date) return date;
  }
  return null;
}
