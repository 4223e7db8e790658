// The history the simulated site starts with. A council with real letters in ../shared/corpus/letters gets those
// (with Ofsted's own file ids where the manifest has them); every other council gets one inspection and a later
// focused visit, on dates derived from its URN, so every run starts from the same site.
import type { SimAuthority } from './authorities.ts';
import type { CorpusLetter } from './letter-corpus.ts';
import type { PublishInput } from './site-history.ts';
import { hash32 } from './hash.ts';

function addWeekdays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** An inspection between January 2021 and January 2024, and a focused visit 200 to 600 days after it. */
export function generatedHistory(urn: string): PublishInput[] {
  const h = hash32(urn);
  const inspection = addWeekdays('2021-01-04', h % 1100);
  const visit = addWeekdays(inspection, 200 + ((h >>> 11) % 400));
  return [
    { urn, type: 'inspection', publicationDate: inspection },
    { urn, type: 'focused-visit', publicationDate: visit },
  ];
}

/** Every council's starting publications, in a fixed order (URN, then date) so generated file ids repeat. */
export function seedHistory(authorities: readonly SimAuthority[], corpus: readonly CorpusLetter[]): PublishInput[] {
  const inputs: PublishInput[] = [];
  for (const { urn } of [...authorities].sort((a, b) => a.urn.localeCompare(b.urn))) {
    const letters = corpus.filter((l) => l.urn === urn);
    const history =
      letters.length > 0
        ? letters.map((l) => ({ urn, type: l.type, publicationDate: l.publicationDate, pdf: l.path, ...(l.fileId ? { fileId: l.fileId } : {}) }))
        : generatedHistory(urn);
    inputs.push(...history.sort((a, b) => a.publicationDate.localeCompare(b.publicationDate)));
  }
  return inputs;
}
