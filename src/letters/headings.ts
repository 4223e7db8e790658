// Pure: the headings Ofsted's letters and reports use (2013-2026), and which section each opens.
// A heading is a whole line, or a heading wrapped over two or three lines, that matches one of
// these patterns exactly (case-sensitive first letter, so a wrapped sentence rarely matches).
import { rowOf, type AreaKey } from './judgements.ts';

export interface HeadingRule {
  id: string;
  re: RegExp;
}

const GRADE_SUFFIX =
  "(?:(?::\\s*| is | are )(?:outstanding|good|requires? improvement(?: to be good)?|inadequate|adequate)| requires? improvement(?: to be good)?)?\\.?";

export const HEADING_RULES: HeadingRule[] = [
  {
    id: 'headline',
    re: /^(?:Headline findings|Overview|Summary|Executive summary|Summary of key findings|Overall effectiveness(?: of services for [a-z ]+(?:children|people))?)$/,
  },
  // 2013 inspections of services for looked after children
  { id: 'leaders', re: /^Capacity to improve$/ },
  { id: 'children-in-care', re: /^Outcomes for looked after children and young people$/ },
  {
    id: 'improvements',
    re: /^(?:What needs to improve(?: in this area of social work practice)?\s*[?:]?|What does the local authority need to improve\??|Recommendations|Areas for improvement|Priority and immediate action|Immediate action|Areas for development)$/,
  },
  {
    // focused visits of 2018-2019 list these apart from what needs to improve
    id: 'priority-actions',
    re: /^(?:Areas for priority action|Priority actions?)$/,
  },
  { id: 'main-findings', re: /^(?:Main findings|Findings|Inspection findings|Key findings|Detailed findings|Quality of provision)$/ },
  {
    id: 'help-and-protection',
    re: new RegExp(`^The experiences and progress of children who need help and protection${GRADE_SUFFIX}$`, 'i'),
  },
  {
    id: 'children-in-care',
    re: new RegExp(
      `^The experiences and progress of children (?:in care|looked after)(?: and (?:care leavers|achieving permanence))?${GRADE_SUFFIX}$`,
      'i',
    ),
  },
  { id: 'care-leavers', re: new RegExp(`^The experiences and progress of care leavers${GRADE_SUFFIX}$`, 'i') },
  {
    id: 'leaders',
    re: new RegExp(
      `^(?:The impact of leaders on social work practice with children and families|Leadership, management and governance|Leadership and management)${GRADE_SUFFIX}$`,
      'i',
    ),
  },
  {
    id: 'lscb',
    re: /^(?:The Local Safeguarding Children Board(?: \(LSCB\))?|Inspection findings - the Local Safeguarding Children Board|Section \d+:? The effectiveness (?:of )?(?:the )?local safeguarding children board(?: \(LSCB\))?)$/i,
  },
  {
    id: 'other',
    re: /^(?:Information about this inspection|The inspection team|Contents|Summary for children and young people|The local authority|Information about this local authority area|The inspection judgements and what they mean|Service information|About this inspection|Record of main findings|What the inspection judgements mean(?:: the local authority| for the LSCB)?|Other information about this area|Inspection judgements about the local authority)$/,
  },
];

/** The end of a letter's body: what follows is a signature or the inspection team. */
export const SIGN_OFF = /^(?:Yours sincerely|Yours faithfully)\b/i;

export interface HeadingMatch {
  id: string;
  heading: string;
  /** how many lines the heading spans */
  lines: number;
}

/** Whether the heading starting at line i (possibly wrapped over up to 3 lines) is a known one. */
export function matchHeading(lines: string[], i: number): HeadingMatch | null {
  let best: HeadingMatch | null = null;
  let joined = '';
  for (let n = 1; n <= 3 && i + n - 1 < lines.length; n++) {
    const line = lines[i + n - 1] ?? '';
    if (line === '' || line.startsWith('•')) break;
    joined = n === 1 ? line : `${joined} ${line}`;
    if (!/^[A-Z]/.test(joined)) break;
    for (const rule of HEADING_RULES) {
      if (rule.re.test(joined)) best = { id: rule.id, heading: joined, lines: n };
    }
  }
  return best;
}

const AREA_SECTION: Record<AreaKey, string> = {
  overall_effectiveness: 'headline',
  impact_of_leaders: 'leaders',
  help_and_protection: 'help-and-protection',
  children_in_care: 'children-in-care',
  care_leavers: 'care-leavers',
  adoption: 'children-in-care',
};

/** Section ids of the judgement areas. */
export const AREA_SECTION_IDS = new Set(['leaders', 'help-and-protection', 'children-in-care', 'care-leavers']);

/**
 * A judgement area's heading printed with its grade, the two wrapped into each other as older
 * reports print them ("The experiences and progress of / Requires improvement / children who
 * need help and protection").
 */
export function matchGradedAreaHeading(lines: string[], i: number): HeadingMatch | null {
  let joined = '';
  for (let n = 1; n <= 4 && i + n - 1 < lines.length; n++) {
    const line = lines[i + n - 1] ?? '';
    if (line === '' || line.startsWith('•') || /[.;]$/.test(line)) return null;
    joined = n === 1 ? line : `${joined} ${line}`;
    if (!/^[A-Z\d]/.test(joined) || joined.split(' ').length > 20) return null;
    const row = rowOf(joined);
    if (row) return { id: AREA_SECTION[row.area], heading: joined, lines: n };
  }
  return null;
}
