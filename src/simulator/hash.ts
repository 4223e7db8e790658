// Deterministic numbers from text (FNV-1a, 32 bits), so the simulated site is the same on every run.

export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** One of `choices`, picked by `key`. */
export function pick<T>(choices: readonly T[], key: string): T {
  return choices[hash32(key) % choices.length]!;
}
