// A stored publication and its letter → the contract's PublicationView, LetterView and Alert. Pure.
// Shared by the outbox (alerts) and the lookups (`latest`, `themes`, `search`), so both show the same.
import type { Alert, LetterView, PublicationView } from '../chat/types.ts';
import { PUBLICATION_TYPES, type LetterStructure, type LetterSummary, type PublicationType } from '../letters/types.ts';
import type { Letter, Publication } from '../store/schema.ts';
import { authorityPageUrl } from '../watcher/urls.ts';

const TYPES = new Set<string>(PUBLICATION_TYPES);

export function asPublicationType(type: string): PublicationType {
  return (TYPES.has(type) ? type : 'other') as PublicationType;
}

export interface PublicationFields {
  id: number;
  authorityName: string;
  urn: string;
  type: string;
  title: string;
  publicationDate: string;
  url: string;
}

export function publicationViewOf(p: PublicationFields, baseUrl: string): PublicationView {
  return {
    id: p.id,
    authority: p.authorityName,
    urn: p.urn,
    type: asPublicationType(p.type),
    title: p.title,
    publicationDate: p.publicationDate,
    url: p.url,
    authorityPageUrl: authorityPageUrl(baseUrl.replace(/\/+$/, ''), p.urn),
  };
}

export function publicationView(p: Publication, baseUrl: string): PublicationView {
  return publicationViewOf(
    { id: p.id, authorityName: p.authority_name, urn: p.authority_urn, type: p.type, title: p.title, publicationDate: p.publication_date, url: p.url },
    baseUrl,
  );
}

export function letterView(letter: Letter | undefined | null): LetterView {
  if (!letter) return { status: 'unavailable', reason: 'the letter has not been read yet' };
  if (letter.status !== 'ok') return { status: 'unavailable', reason: letter.reason ?? 'the letter could not be read' };
  try {
    const summary = JSON.parse(letter.summary ?? 'null') as LetterSummary | null;
    const structure = JSON.parse(letter.structure ?? 'null') as LetterStructure | null;
    if (!summary || !structure) return { status: 'unavailable', reason: 'the letter was read but its summary is missing' };
    return {
      status: 'ok',
      summary,
      judgements: structure.judgements,
      visitDates: { start: structure.visitDates?.start ?? null, end: structure.visitDates?.end ?? null },
      themeDetails: (summary.themes ?? []).map((t) => ({
        id: t.id,
        name: t.name,
        strengths: t.strengths,
        concerns: t.concerns,
        concernSentence: t.concernSentence,
        strengthSentence: t.strengthSentence,
      })),
    };
  } catch {
    return { status: 'unavailable', reason: 'the stored summary of the letter could not be read' };
  }
}

export function buildAlert(publication: Publication, letter: Letter | undefined | null, baseUrl: string): Alert {
  return { publication: publicationView(publication, baseUrl), letter: letterView(letter) };
}
