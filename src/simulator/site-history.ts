// What the simulated site has published: each council's publications, the files behind them (current and
// retired), and when each council's page last changed. Identity is council + type + publication date; a
// re-published report keeps its identity and gets a new file id, and its old id is retired.
import { PUBLICATION_TYPES, type PublicationType } from '../letters/types.ts';
import { parseDate } from '../sources/dates.ts';
import type { SimAuthority } from './authorities.ts';
import { defaultTitle } from './titles.ts';

/** Where a publication's PDF comes from: a file on disk, bytes given, or a generated letter. */
export type PdfSource = { kind: 'path'; path: string } | { kind: 'bytes'; bytes: Uint8Array } | { kind: 'generated' };

export interface SimPublication {
  urn: string;
  type: PublicationType;
  /** as the council's page shows it */
  title: string;
  publicationDate: string;
  fileId: string;
  pdf: PdfSource;
  /** when the simulated site published this file (ms since the epoch, whole seconds) */
  publishedAt: number;
}

export interface PublishInput {
  urn: string;
  type: PublicationType;
  /** yyyy-mm-dd (or a date as Ofsted writes it) */
  publicationDate: string;
  fileId?: string;
  title?: string;
  /** the PDF: bytes, or the path of a file; a generated letter when absent */
  pdf?: Uint8Array | string;
}

/** A request the simulated site refuses, with the HTTP status its control API answers. */
export class SimError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

const FIRST_GENERATED_FILE_ID = 60_000_001; // above every real id seen (50xxxxxx)

export class SiteHistory {
  readonly #authorities: Map<string, SimAuthority>;
  readonly #byUrn = new Map<string, SimPublication[]>();
  readonly #files = new Map<string, { publication: SimPublication; retired: boolean }>();
  readonly #modifiedAt = new Map<string, number>();
  readonly #clock: () => number;
  #siteModifiedAt: number;
  #nextFileId = FIRST_GENERATED_FILE_ID;

  constructor(authorities: readonly SimAuthority[], clock: () => number = Date.now) {
    this.#authorities = new Map(authorities.map((a) => [a.urn, a]));
    this.#clock = clock;
    this.#siteModifiedAt = Math.floor(clock() / 1000) * 1000;
  }

  /** Every council, by name. */
  authorities(): SimAuthority[] {
    return [...this.#authorities.values()].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  }

  authority(urn: string): SimAuthority | undefined {
    return this.#authorities.get(urn);
  }

  /** A council's current publications, newest first. */
  publications(urn: string): SimPublication[] {
    return [...(this.#byUrn.get(urn) ?? [])].sort((a, b) => b.publicationDate.localeCompare(a.publicationDate) || b.fileId.localeCompare(a.fileId));
  }

  file(fileId: string): { publication: SimPublication; retired: boolean } | undefined {
    return this.#files.get(fileId);
  }

  /** When a council's page (or, without `urn`, any page) last changed: ms, whole seconds. */
  modifiedAt(urn?: string): number {
    return urn === undefined ? this.#siteModifiedAt : (this.#modifiedAt.get(urn) ?? this.#siteModifiedAt);
  }

  /** Publishes now: the council's page and the listing change. */
  publish(input: PublishInput): SimPublication {
    return this.#add(input, () => this.#touch(input.urn));
  }

  /** The history the site starts with: published before the simulation began, so no page changes. */
  seed(inputs: readonly PublishInput[]): void {
    for (const input of inputs) {
      try {
        this.#add(input, () => this.#siteModifiedAt);
      } catch (error) {
        // A second letter with the same identity in the corpus: the first one stands.
        if (!(error instanceof SimError && error.status === 409)) throw error;
      }
    }
  }

  #add(input: PublishInput, publishedAt: () => number): SimPublication {
    const authority = this.#authorities.get(input.urn);
    if (!authority) throw new SimError(`no council with URN ${input.urn} on the simulated site`, 404);
    if (!PUBLICATION_TYPES.includes(input.type)) throw new SimError(`"${input.type}" is not a publication type (${PUBLICATION_TYPES.join(', ')})`, 400);
    const publicationDate = parseDate(input.publicationDate) ?? (/^\d{4}-\d{2}-\d{2}$/.test(input.publicationDate) ? input.publicationDate : null);
    if (!publicationDate) throw new SimError(`"${input.publicationDate}" is not a date (yyyy-mm-dd)`, 400);
    if (this.#find(input.urn, input.type, publicationDate)) {
      throw new SimError(`${authority.name} already has a ${input.type} published on ${publicationDate}: use republish for a corrected copy`, 409);
    }
    const fileId = input.fileId ?? this.#newFileId();
    if (this.#files.has(fileId)) throw new SimError(`file id ${fileId} is already in use`, 409);
    const publication: SimPublication = {
      urn: input.urn,
      type: input.type,
      title: input.title ?? defaultTitle(input.type, publicationDate),
      publicationDate,
      fileId,
      pdf: input.pdf === undefined ? { kind: 'generated' } : typeof input.pdf === 'string' ? { kind: 'path', path: input.pdf } : { kind: 'bytes', bytes: input.pdf },
      publishedAt: publishedAt(),
    };
    this.#byUrn.set(input.urn, [...(this.#byUrn.get(input.urn) ?? []), publication]);
    this.#files.set(fileId, { publication, retired: false });
    return publication;
  }

  /** A corrected copy: same council, type and date, a new file id; the old id is retired. */
  republish(urn: string, type: PublicationType, publicationDate: string): SimPublication {
    const date = parseDate(publicationDate) ?? publicationDate;
    const old = this.#find(urn, type, date);
    if (!old) throw new SimError(`no ${type} published on ${date} for URN ${urn} to re-publish`, 404);
    const fresh: SimPublication = { ...old, fileId: this.#newFileId(), publishedAt: this.#touch(urn) };
    this.#byUrn.set(urn, (this.#byUrn.get(urn) ?? []).map((p) => (p === old ? fresh : p)));
    this.#files.set(old.fileId, { publication: old, retired: true });
    this.#files.set(fresh.fileId, { publication: fresh, retired: false });
    return fresh;
  }

  #find(urn: string, type: PublicationType, date: string): SimPublication | undefined {
    return this.#byUrn.get(urn)?.find((p) => p.type === type && p.publicationDate === date);
  }

  #newFileId(): string {
    while (this.#files.has(String(this.#nextFileId))) this.#nextFileId++;
    return String(this.#nextFileId++);
  }

  /** Marks a council's page (and the listing) changed, strictly later than before, in whole seconds. */
  #touch(urn: string): number {
    const at = Math.max(Math.floor(this.#clock() / 1000) * 1000, this.#siteModifiedAt + 1000);
    this.#siteModifiedAt = at;
    this.#modifiedAt.set(urn, at);
    return at;
  }
}
