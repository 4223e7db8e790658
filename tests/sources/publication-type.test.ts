import { describe, expect, it } from 'vitest';
import { publicationTypeFromTitle } from '../../src/sources/publication-type.ts';

describe('publicationTypeFromTitle', () => {
  it.each([
    ["Children's services inspection", 'inspection'],
    ['Children\u2019s services inspection', 'inspection'],
    ["Children's services inspection,  pdf", 'inspection'],
    ["Children's services inspection, PDF", 'inspection'],
    ["Single inspection of LA children's services as pdf", 'inspection'],
    ["Inspection of children's social care services", 'inspection'],
    ["CHILDREN'S SERVICES INSPECTION", 'inspection'],
    ["Children's services focused visit", 'focused-visit'],
    ['Children\u2019s services focused visit, pdf', 'focused-visit'],
    ['Monitoring visit', 'monitoring-visit'],
    ["Monitoring visit of Birmingham children's services", 'monitoring-visit'],
    ['Joint area child protection inspection', 'jtai'],
    ['Joint targeted area inspection', 'jtai'],
    ['Area SEND full inspection', 'send'],
    ['Area SEND inspection', 'send'],
    ['Review of the local safeguarding children board', 'other'],
    ['', 'other'],
  ] as const)('%s → %s', (title, type) => {
    expect(publicationTypeFromTitle(title)).toBe(type);
  });
});
