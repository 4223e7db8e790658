// The Teams app's two icons, drawn here so that no image file has to be hand-made: a bell (alerts) with
// an amber dot. color.png is 192×192, the bell white on the accent colour; outline.png is 32×32, the
// bell white on transparent (Teams asks for white and transparency only). Shapes are tested per
// sub-pixel (4×4) for smooth edges. Pure; deterministic.
import { encodePng, type Rgba } from './png.ts';

export const ACCENT = '#1D70B8';

type Shape = (x: number, y: number) => boolean;

/** The bell in the unit square (0..1), centred. */
const bell: Shape = (x, y) => {
  const dx = x - 0.5;
  if (Math.hypot(dx, y - 0.2) <= 0.045) return true; // the knob
  if (Math.hypot(dx, y - 0.74) <= 0.07 && y > 0.66) return true; // the clapper
  if (y >= 0.22 && y <= 0.44) return Math.hypot(dx, y - 0.44) <= 0.22; // the dome
  if (y > 0.44 && y <= 0.62) return Math.abs(dx) <= 0.22 + ((y - 0.44) / 0.18) * 0.06; // the waist, widening
  if (y > 0.62 && y <= 0.68) return Math.abs(dx) <= 0.32; // the rim
  return false;
};

const dot: Shape = (x, y) => Math.hypot(x - 0.72, y - 0.3) <= 0.09;
const dotRing: Shape = (x, y) => Math.hypot(x - 0.72, y - 0.3) <= 0.12;

function hex(c: string): [number, number, number] {
  const n = Number.parseInt(c.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function coverage(shape: Shape, px: number, py: number, size: number, inset: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const u = (px + (sx + 0.5) / 4) / size;
      const v = (py + (sy + 0.5) / 4) / size;
      // the symbol sits in the middle (1 - 2 × inset) of the icon
      const x = (u - inset) / (1 - 2 * inset);
      const y = (v - inset) / (1 - 2 * inset);
      if (x >= 0 && x <= 1 && y >= 0 && y <= 1 && shape(x, y)) hits++;
    }
  }
  return hits / 16;
}

const mix = (a: number, b: number, t: number) => Math.round(a + (b - a) * t);

export function colorIcon(size = 192): Rgba {
  const [br, bg, bb] = hex(ACCENT);
  const [ar, ag, ab] = hex('#FFDD00');
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let [r, g, b] = [br, bg, bb];
      const white = coverage(bell, x, y, size, 0.18);
      [r, g, b] = [mix(r, 255, white), mix(g, 255, white), mix(b, 255, white)];
      const ring = coverage(dotRing, x, y, size, 0.18);
      [r, g, b] = [mix(r, br, ring), mix(g, bg, ring), mix(b, bb, ring)];
      const amber = coverage(dot, x, y, size, 0.18);
      [r, g, b] = [mix(r, ar, amber), mix(g, ag, amber), mix(b, ab, amber)];
      pixels.set([r, g, b, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, pixels };
}

export function outlineIcon(size = 32): Rgba {
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = Math.max(0, coverage(bell, x, y, size, 0.06) - coverage(dotRing, x, y, size, 0.06)) + coverage(dot, x, y, size, 0.06);
      pixels.set([255, 255, 255, Math.round(Math.min(1, a) * 255)], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, pixels };
}

export const colorPng = (): Buffer => encodePng(colorIcon());
export const outlinePng = (): Buffer => encodePng(outlineIcon());
