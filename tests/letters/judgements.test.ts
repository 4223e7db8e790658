import { describe, expect, it } from 'vitest';
import { parseJudgements } from '../../src/letters/judgements.ts';

const read = (text: string) => parseJudgements(text);

describe('judgement tables as extracted text', () => {
  it('reads rows whose labels wrap around the grade', () => {
    const table = [
      'Judgement Grade',
      '',
      'The impact of leaders on social work Outstanding',
      'practice with children and families',
      '',
      'The experiences and progress of children who need help',
      'Good',
      'and protection',
      '',
      'The experiences and progress of children in care and Requires improvement to',
      'care leavers be good',
      '',
      'Overall effectiveness Good',
      '',
      'Services for children in Anytown are good and have improved since the last inspection, with leaders who know their services well.',
    ].join('\n');
    expect(read(table)).toEqual({
      overall_effectiveness: 'good',
      impact_of_leaders: 'outstanding',
      help_and_protection: 'good',
      children_in_care: 'requires improvement',
      care_leavers: null,
    });
  });

  it('maps the older framework: permanence, adoption stands in for care leavers only when they have no row', () => {
    const older = [
      "Children's services in Anytown require improvement",
      'to be good',
      '',
      'Requires',
      '1. Children who need help and protection',
      'improvement',
      '',
      '2. Children looked after and achieving',
      'Good',
      'permanence',
      '',
      '2.1 Adoption performance Outstanding',
      '',
      '2.2 Experiences and progress of care leavers Inadequate',
      '',
      '3. Leadership, management and governance Good',
    ].join('\n');
    expect(read(older)).toEqual({
      overall_effectiveness: 'requires improvement',
      impact_of_leaders: 'good',
      help_and_protection: 'requires improvement',
      children_in_care: 'good',
      care_leavers: 'inadequate',
    });
    expect(read('2.1 Adoption performance Good').care_leavers).toBe('good');
  });

  it('gives no grade for the "adequate" scale, and none where the table has no row', () => {
    const lac = ['Overall effectiveness Inadequate', '', 'Outcomes for looked after children and Adequate', 'young people', '', 'Leadership and management Adequate'].join('\n');
    expect(read(lac)).toEqual({
      overall_effectiveness: 'inadequate',
      impact_of_leaders: null,
      help_and_protection: null,
      children_in_care: null,
      care_leavers: null,
    });
    expect(read('The impact of leaders on social work practice with children and families Good').overall_effectiveness).toBeNull();
  });

  it('reads a table whose rows are not separated by blank lines', () => {
    const tight = [
      'The impact of leaders on social work practice with children and families Good',
      'The experiences and progress of children who need help and protection Inadequate',
      'The experiences and progress of children in care Requires improvement to be good',
      'The experiences and progress of care leavers Outstanding',
      'Overall effectiveness Requires improvement to be good',
    ].join('\n');
    expect(read(tight)).toEqual({
      overall_effectiveness: 'requires improvement',
      impact_of_leaders: 'good',
      help_and_protection: 'inadequate',
      children_in_care: 'requires improvement',
      care_leavers: 'outstanding',
    });
  });

  it('takes no grade from a row that prints two', () => {
    expect(read('The experiences and progress of care leavers Good Inadequate').care_leavers).toBeNull();
  });

  it('does not take grades from prose', () => {
    expect(read('Leaders have a good understanding of help and protection and the experiences of children in care, which is outstanding in places.')).toEqual({
      overall_effectiveness: null,
      impact_of_leaders: null,
      help_and_protection: null,
      children_in_care: null,
      care_leavers: null,
    });
  });
});
