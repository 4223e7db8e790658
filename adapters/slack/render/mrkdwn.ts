// Slack mrkdwn helpers: escaping the three control characters, links, dates in words.
// Text from letters and people is escaped; the formatting we add (*bold*, links) is not.

/** Escapes &, < and > as Slack asks; nothing else (so *, _ and ` in our own text still format). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link with escaped label; a URL with | or >, or absurdly long, cannot be linked safely: the label is shown. */
export function link(url: string, label: string): string {
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  if (url.length > 2000 || !/^https?:\/\/[^\s<>|]+$/.test(url)) return safeLabel;
  return `<${url}|${safeLabel}>`;
}

export const channelMention = (channelId: string): string => (/^[CGD][A-Z0-9]+$/.test(channelId) ? `<#${channelId}>` : escapeMrkdwn(channelId));

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '2025-03-07' → '7 March 2025'; anything else as given. */
export function longDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** '20 to 31 January 2025', '28 February to 3 March 2025', or the one date known. */
export function dateRange(start: string | null, end: string | null): string {
  if (start && end && start !== end) {
    const [a, b] = [longDate(start), longDate(end)];
    const [ad, am, ay] = a.split(' ');
    const [, bm, by] = b.split(' ');
    if (ay === by && am === bm) return `${ad} to ${b}`;
    if (ay === by) return `${ad} ${am} to ${b}`;
    return `${a} to ${b}`;
  }
  return longDate(start ?? end);
}
