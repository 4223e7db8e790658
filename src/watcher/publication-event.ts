// The payload of a publication event: what later consumers (letter reader, chat adapters) need to act.
import type { PublicationType } from '../letters/types.ts';

export interface PublicationEvent {
  publicationId: number;
  authority: string;
  urn: string;
  gss: string | null;
  type: PublicationType;
  title: string;
  publicationDate: string;
  url: string;
  fileId: string;
  /** set on a re-publication: the file id it replaces */
  previousFileId?: string;
}

/** The one-line JSON shape of `poll --once --json`. */
export function toJsonLine(e: PublicationEvent): string {
  return JSON.stringify({ authority: e.authority, urn: e.urn, gss: e.gss, type: e.type, publicationDate: e.publicationDate, url: e.url });
}
