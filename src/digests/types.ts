// The platform-neutral digest: what a channel's daily or weekly message says. Built once per (channel,
// window) by build-digest.ts, stored as the JSON payload of a 'digest' delivery, and rendered by each
// adapter (Slack: a summary message and thread replies; Teams: cards; console: text). Every sentence
// quoted is the letter's own. Instants are ISO-8601 UTC; the *Label fields are Europe/London wall-clock
// words ready to show, so an adapter needs no time-zone code.
import type { Grade, JudgementArea, Judgements, PublicationType } from '../letters/types.ts';

export const DIGEST_VERSION = 1;

export type DigestMode = 'daily' | 'weekly';

export interface Digest {
  version: typeof DIGEST_VERSION;
  mode: DigestMode;
  /** publications announced at or after start and before end */
  window: { start: string; end: string };
  /** "08:00 Monday 2 March to 08:00 Monday 9 March 2026" (UK time) */
  windowLabel: string;
  /** set when the digest went out later than it was due (the service was down): say so */
  late: DigestLateness | null;
  /** one line for notifications and text fallbacks: "Weekly digest, 2 to 9 March: 5 publications about 4 councils" */
  text: string;
  totals: {
    publications: number;
    councils: number;
    /** publications whose letter could not be read (shown, without a summary) */
    unreadable: number;
    /** inspections with a judgement that changed from the council's previous inspection */
    judgementChanges: number;
  };
  /** grouped by council; councils and their publications newest first */
  councils: DigestCouncil[];
  /** across every letter in the digest, the themes raised most first (only the filtered themes when the channel's filters name themes) */
  themes: DigestTheme[];
  /** theme ids the channel's subscriptions filter on; null = every theme */
  themeFocus: string[] | null;
}

export interface DigestLateness {
  /** when it was due (the first boundary it should have gone out at) */
  dueAt: string;
  /** "08:00 on Monday 9 March 2026" */
  dueLabel: string;
  /** how many scheduled digests it stands for (a daily digest missed on three days: 3) */
  missedWindows: number;
  /** the sentence to show: "This digest is late: …" */
  notice: string;
}

export interface DigestCouncil {
  urn: string;
  authority: string;
  /** the council's page on Ofsted's site */
  authorityPageUrl: string;
  publications: DigestPublication[];
}

export interface DigestPublication {
  id: number;
  type: PublicationType;
  title: string;
  /** Ofsted's publication date, yyyy-mm-dd */
  publicationDate: string;
  /** when the watcher first saw and announced it: what puts it in this window */
  announcedAt: string;
  /** the letter */
  url: string;
  visitDates: { start: string | null; end: string | null };
  letter: { status: 'ok' } | { status: 'unavailable'; reason: string };
  /** inspections with at least one grade; null otherwise (never guessed) */
  judgements: Judgements | null;
  /** one line of the letter's headline findings (its first overview sentence), or null */
  headline: string | null;
  /** the council's inspection before this one (inspections only, with grades), for the changes */
  previousInspection: { publicationId: number; publicationDate: string; url: string; judgements: Judgements } | null;
  /** every area graded in this inspection or the previous one; empty without a previous inspection */
  judgementChanges: JudgementChange[];
  /** true when Ofsted replaced the letter's file during the window (shown once, with the newest file) */
  republished: boolean;
}

export type ChangeDirection = 'improved' | 'declined' | 'unchanged' | 'newly-graded' | 'not-graded';

export interface JudgementChange {
  area: JudgementArea;
  from: Grade | null;
  to: Grade | null;
  direction: ChangeDirection;
}

export interface DigestTheme {
  id: string;
  name: string;
  /** letters with a concern or a strength in the theme */
  letters: number;
  /** letters with at least one concern (improvement points count as concerns) */
  concernLetters: number;
  /** letters with at least one strength */
  strengthLetters: number;
  /** the most telling concern across the letters, and whose letter it is */
  concern: DigestQuote | null;
  strength: DigestQuote | null;
}

export interface DigestQuote {
  sentence: string;
  authority: string;
  publicationId: number;
}

/** Every judgement change of the digest that is not "unchanged", with its council, newest first. */
export function changedJudgements(d: Digest): { authority: string; publication: DigestPublication; change: JudgementChange }[] {
  const out: { authority: string; publication: DigestPublication; change: JudgementChange }[] = [];
  for (const c of d.councils) for (const p of c.publications) for (const change of p.judgementChanges) {
    if (change.direction !== 'unchanged') out.push({ authority: c.authority, publication: p, change });
  }
  return out;
}

/**
 * A stored payload back as a Digest, or null if it is not one (a payload from another version, or
 * damaged). Checks the shape the renderers rely on, not every field.
 */
export function digestFromPayload(value: unknown): Digest | null {
  const v = typeof value === 'string' ? safeParse(value) : value;
  if (!v || typeof v !== 'object') return null;
  const d = v as Partial<Digest>;
  if (d.version !== DIGEST_VERSION || (d.mode !== 'daily' && d.mode !== 'weekly')) return null;
  if (!d.window || typeof d.window.start !== 'string' || typeof d.window.end !== 'string') return null;
  if (!Array.isArray(d.councils) || !Array.isArray(d.themes) || typeof d.text !== 'string' || !d.totals) return null;
  for (const c of d.councils) if (!c || typeof c.authority !== 'string' || !Array.isArray(c.publications)) return null;
  return d as Digest;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
