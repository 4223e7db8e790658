// The bytes of a simulated publication's PDF: a real letter from disk, bytes given to publish(), or a generated
// letter. Read or generated once per file id, then kept.
import { readFile } from 'node:fs/promises';
import type { SimPublication } from './site-history.ts';
import { simulatedLetter } from './simulated-letter.ts';
import { writeTextPdf } from './pdf-writer.ts';

export class PdfBytes {
  readonly #cache = new Map<string, Promise<Uint8Array>>();

  /** Rejects when a real letter's file cannot be read. */
  get(publication: SimPublication, authorityName: string): Promise<Uint8Array> {
    let bytes = this.#cache.get(publication.fileId);
    if (!bytes) {
      bytes = this.#load(publication, authorityName);
      bytes.catch(() => this.#cache.delete(publication.fileId));
      this.#cache.set(publication.fileId, bytes);
    }
    return bytes;
  }

  async #load(p: SimPublication, authorityName: string): Promise<Uint8Array> {
    switch (p.pdf.kind) {
      case 'path':
        return new Uint8Array(await readFile(p.pdf.path));
      case 'bytes':
        return p.pdf.bytes;
      case 'generated': {
        const subject = { urn: p.urn, authorityName, type: p.type, publicationDate: p.publicationDate };
        return writeTextPdf(simulatedLetter(subject), `${p.title}: ${authorityName}`);
      }
    }
  }
}
