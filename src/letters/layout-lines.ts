// Pure: rebuilds a page's lines from positioned text items (pdf.js coordinates, origin bottom-left).
// Items whose baselines are within half a font size share a line (so raised footnote digits stay
// with their word); a vertical gap well beyond the line spacing becomes a paragraph break.

export interface PositionedItem {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
  hasEOL: boolean;
}

interface Line {
  y: number;
  fontSize: number;
  items: PositionedItem[];
}

/** A gap between baselines larger than this many font sizes starts a new paragraph. */
const PARAGRAPH_GAP = 1.6;
/** Horizontal gap (in font sizes) between two items that means a space between them. */
const SPACE_GAP = 0.15;

export function linesFromItems(items: PositionedItem[]): string {
  const lines = groupLines(items.filter((it) => it.str.length > 0));
  const out: string[] = [];
  let prev: Line | undefined;
  for (const line of lines) {
    const text = joinLine(line.items);
    if (text.trim() === '') continue;
    if (prev && prev.y - line.y > PARAGRAPH_GAP * Math.max(prev.fontSize, line.fontSize)) out.push('');
    out.push(text);
    prev = line;
  }
  return out.join('\n');
}

function groupLines(items: PositionedItem[]): Line[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Line[] = [];
  for (const it of sorted) {
    const size = it.fontSize > 0 ? it.fontSize : 10;
    const last = lines[lines.length - 1];
    if (last && Math.abs(last.y - it.y) < 0.5 * Math.max(last.fontSize, size)) {
      last.items.push(it);
      // the line's baseline and size are those of its main (largest, non-blank) text
      if (it.str.trim() !== '' && size > last.fontSize) {
        last.fontSize = size;
        last.y = it.y;
      }
    } else {
      lines.push({ y: it.y, fontSize: it.str.trim() !== '' ? size : 0, items: [it] });
    }
  }
  for (const line of lines) {
    if (line.fontSize === 0) line.fontSize = 10;
    line.items.sort((a, b) => a.x - b.x);
  }
  return lines;
}

function joinLine(items: PositionedItem[]): string {
  let text = '';
  let end = -Infinity;
  for (const it of items) {
    const size = it.fontSize > 0 ? it.fontSize : 10;
    if (text !== '' && it.x - end > SPACE_GAP * size && !/\s$/.test(text) && !/^\s/.test(it.str)) text += ' ';
    text += it.str;
    end = Math.max(end, it.x + it.width);
  }
  return text.replace(/\s+/g, ' ').trim();
}
