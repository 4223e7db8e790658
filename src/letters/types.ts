// The shapes a letter takes on its way from PDF bytes to a summary. Pure data: no I/O here.

/** Publication type ids, as in ../shared/docs/themes.md. */
export const PUBLICATION_TYPES = ['inspection', 'focused-visit', 'monitoring-visit', 'jtai', 'send', 'other'] as const;
export type PublicationType = (typeof PUBLICATION_TYPES)[number];

/** How people name each publication type (summaries, alerts, digests). */
export const PUBLICATION_TYPE_NAMES: Readonly<Record<PublicationType, string>> = {
  inspection: "Children's services inspection",
  'focused-visit': 'Focused visit',
  'monitoring-visit': 'Monitoring visit',
  jtai: 'Joint targeted area inspection',
  send: 'Area SEND inspection',
  other: 'Publication',
};

/** Grades as the words in the taxonomy doc. "requires improvement to be good" is reported as "requires improvement". */
export const GRADES = ['outstanding', 'good', 'requires improvement', 'inadequate'] as const;
export type Grade = (typeof GRADES)[number];

export const JUDGEMENT_AREAS = [
  'overall_effectiveness',
  'impact_of_leaders',
  'help_and_protection',
  'children_in_care',
  'care_leavers',
] as const;
export type JudgementArea = (typeof JUDGEMENT_AREAS)[number];
/** Short names of the judgement areas, as alerts and digests show them. */
export const JUDGEMENT_AREA_NAMES: Readonly<Record<JudgementArea, string>> = {
  overall_effectiveness: 'Overall effectiveness',
  impact_of_leaders: 'Impact of leaders',
  help_and_protection: 'Help and protection',
  children_in_care: 'Children in care',
  care_leavers: 'Care leavers',
};

/** null = the report does not give that grade (never guessed). */
export type Judgements = Record<JudgementArea, Grade | null>;

export type Polarity = 'strength' | 'concern' | 'neutral';

/** Why the classifier placed a text where it did: the cue and the theme or polarity it supported. */
export interface Cue {
  cue: string;
  /** a theme id, or 'polarity:strength' / 'polarity:concern' */
  target: string;
  weight: number;
  /** the taxonomy pattern that matched (theme cues) */
  pattern?: string;
  /** the subordinate clause markers the cue sat under, if any ("so that", "including") */
  clause?: string;
  /** true if this was the first theme cue of the main clause (what the text is about) */
  head?: boolean;
}

export interface Classification {
  themes: string[]; // 0..3 theme ids, strongest first
  polarity: Polarity;
  /** the cues that decided it, for `--explain` */
  cues: Cue[];
  /** strength of the polarity evidence, used to pick representative sentences */
  score: number;
}

export interface ClassifiedSentence extends Classification {
  text: string;
  section: string; // e.g. 'headline', 'main-findings', 'improvements', 'help-and-protection'
}

export interface LetterSection {
  /** normalised id, e.g. 'headline', 'improvements', 'main-findings', 'help-and-protection', 'children-in-care', 'care-leavers', 'leaders', 'overview', 'other' */
  id: string;
  heading: string; // as written
  text: string; // cleaned paragraph text, paragraphs separated by "\n\n"
}

/** What can be read from a letter's cleaned text. Dates are ISO yyyy-mm-dd. */
export interface LetterStructure {
  type: PublicationType;
  authority: string | null; // the council as written in the letter
  letterDate: string | null; // the letter's own date, where it states one
  visitDates: { start: string | null; end: string | null };
  inspectors: string[];
  sections: LetterSection[];
  /** the "what needs to improve" points, verbatim, one per point */
  improvements: string[];
  /** "Areas for priority action" points (2018-2019 focused visits list them apart), verbatim; absent or empty where none */
  priorityActions?: string[];
  /** for inspections; all null for other types */
  judgements: Judgements;
}

export interface ThemeSummary {
  id: string;
  name: string;
  strengths: number;
  concerns: number;
  neutral: number;
  concernSentence: string | null;
  strengthSentence: string | null;
}

/** Platform-neutral, extractive summary: every sentence is the letter's own. */
export interface LetterSummary {
  headline: string; // one line: type, council, dates, judgements
  overview: string[]; // 2-3 sentences of the letter's headline findings
  improvements: { text: string; themes: string[] }[];
  /** "Areas for priority action" (2018-2019 focused visits), where the letter lists them apart */
  priorityActions?: { text: string; themes: string[] }[];
  themes: ThemeSummary[]; // themes present, most discussed first
  truncated: boolean; // true if the budget cut anything
}

/** The result of reading one file: either the structure or a stored reason it could not be read. */
export type LetterReadResult =
  | {
      ok: true;
      pages: number;
      text: string;
      structure: LetterStructure;
      sentences: ClassifiedSentence[];
      summary: LetterSummary;
      /** where the time went, ms (extract and parse ran in a worker when a pool was used) */
      timings?: LetterTimings;
    }
  | { ok: false; reason: string; kind: 'not-pdf' | 'corrupt' | 'too-large' | 'too-many-pages' | 'timeout' | 'download' | 'gone' };

export interface LetterTimings {
  extract: number;
  parse: number;
  classify: number;
  summarise: number;
  total: number;
}
