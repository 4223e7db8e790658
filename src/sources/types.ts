// What the Ofsted parsers read off the site. Pure data. Dates are ISO yyyy-mm-dd.
import type { PublicationType } from '../letters/types.ts';

/** One council in the listing of all local authority children's services. */
export interface ListingEntry {
  urn: string;
  name: string;
  /** "Latest report" date, or null where the listing shows none */
  latestReportDate: string | null;
  /** absolute URL of the council's page */
  providerUrl: string;
}

export interface ListingPage {
  entries: ListingEntry[];
  /** the total the page claims ("153 results"), or null if it does not say */
  totalCount: number | null;
  /** absolute URL of the next page, or null on the last page */
  nextUrl: string | null;
  /** true when the documented selectors found nothing and the fallback read the page */
  usedFallback: boolean;
  /** facts worth a health fault (e.g. "results-count says 153 but 40 results were read") */
  warnings: string[];
}

/** One publication link on a council's page. */
export interface PagePublication {
  type: PublicationType;
  /** the link's title as written, e.g. "Children's services focused visit" */
  title: string;
  publicationDate: string;
  /** the file id in https://files.ofsted.gov.uk/v1/file/{id} */
  fileId: string;
  url: string;
}

export interface AuthorityPage {
  name: string | null;
  urn: string | null;
  publications: PagePublication[];
  usedFallback: boolean;
  warnings: string[];
}
