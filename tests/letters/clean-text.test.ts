import { describe, expect, it } from 'vitest';
import { BULLET, cleanText, normaliseBullet, stripFootnoteDigits } from '../../src/letters/clean-text.ts';

const footer = (n: number) => `Inspection of Anytown local authority children's services3 to 14 November 2024 ${n}`;

describe('cleanText', () => {
  it("removes Ofsted's address block, even with other text beside it", () => {
    const page = [
      'Ofsted',
      'Piccadilly Gate T 0300 123 1231',
      'Store Street Textphone 0161 618 8524',
      'Manchester enquiries@ofsted.gov.uk',
      'M1 2WD www.gov.uk/ofsted',
      '',
      '18 December 2020',
      '',
      'Dear Ms Smith',
    ].join('\n');
    const out = cleanText([page]);
    expect(out).toBe('18 December 2020\n\nDear Ms Smith');
  });

  it('removes running footers and page numbers that repeat on every page, keeping the text', () => {
    const body = ['Leaders know their services well.', 'Children are seen regularly.', 'Plans are clear.'];
    const pages = body.map((text, i) => `${text}\n${footer(i + 1)}`);
    expect(cleanText(pages)).toBe(body.join('\n\n'));
    const numbered = [1, 2, 3].map((n) => `Text of page ${n}.\n\n${n}`);
    expect(cleanText(numbered)).not.toMatch(/^\d$/m);
  });

  it('joins a paragraph that runs across a page break and keeps paragraph breaks', () => {
    const out = cleanText([
      'First paragraph.\n\nThe local authority has improved its response to the\n1',
      'children who go missing from home or care.\n2',
    ]);
    expect(out).toBe('First paragraph.\n\nThe local authority has improved its response to the\nchildren who go missing from home or care.');
  });

  it('normalises curly quotes, dashes and bullet glyphs', () => {
    const out = cleanText(['Children\u2019s \u201cvoice\u201d \u2013 heard.\n\u25FC first point\n\uF06E second point\n\u2022 third point']);
    expect(out).toBe(`Children's "voice" - heard.\n${BULLET} first point\n${BULLET} second point\n${BULLET} third point`);
    expect(normaliseBullet('\u25AA item')).toBe(`${BULLET} item`);
    // a dash that starts a wrapped line is the sentence's, not a bullet
    expect(normaliseBullet('- and this')).toBe('- and this');
    // a glyph printed apart from its text still marks the item
    expect(cleanText(['\u25FC\nthe quality of plans'])).toBe(`${BULLET} the quality of plans`);
  });

  it('rejoins words hyphen-split across lines but keeps suspended hyphens', () => {
    expect(cleanText(['improve multi-\nagency working.'])).toBe('improve multiagency\nworking.');
    expect(cleanText(['short-\nand long-term plans.'])).toBe('short-\nand long-term plans.');
    expect(cleanText(['inspectors Debora Barazetti-\nBowen and Ann Smith.'])).toBe('inspectors Debora Barazetti-Bowen\nand Ann Smith.');
  });

  it('removes footnote digits glued to words and the footnotes themselves', () => {
    const page = [
      'What needs to improve?1',
      'Support for care leavers.2',
      '',
      '1 The areas for improvement have been cross-referenced with the outcomes.',
      '2 Another note.',
    ].join('\n');
    expect(cleanText([page])).toBe('What needs to improve?\nSupport for care leavers.');
    expect(stripFootnoteDigits('in schools3, of whom')).toBe('in schools, of whom');
    expect(stripFootnoteDigits('services.2 Next')).toBe('services. Next');
  });

  it('leaves numbers that are not footnotes alone', () => {
    const text = 'Children aged 16 and 17, COVID-19, WF1 2QW, Year 6, 20.9% and section 47 enquiries.';
    expect(cleanText([text])).toBe(text);
    expect(cleanText(['12 January 2026\n\nDear Mr Smith'])).toBe('12 January 2026\n\nDear Mr Smith');
  });

  it('drops the back matter of a report (licence, address, copyright)', () => {
    const last = [
      'Final finding of the report.',
      '',
      "The Office for Standards in Education, Children's Services and Skills (Ofsted)",
      'regulates and inspects to achieve excellence.',
      '© Crown copyright 2022',
    ].join('\n');
    expect(cleanText(['Earlier text.', last])).toBe('Earlier text.\n\nFinal finding of the report.');
  });

  it('collapses whitespace', () => {
    expect(cleanText(['  a   lot \t of   space  \n\n\n\nnext  '])).toBe('a lot of space\n\nnext');
  });
});
