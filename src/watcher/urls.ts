// The Ofsted URLs the watcher reads (see ../shared/docs/ofsted-site.md).
export const LISTING_PAGE_SIZE = 100;

export function listingUrl(baseUrl: string, start: number): string {
  return `${baseUrl}/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12&start=${start}&rows=${LISTING_PAGE_SIZE}`;
}

export function authorityPageUrl(baseUrl: string, urn: string): string {
  return `${baseUrl}/provider/44/${encodeURIComponent(urn)}`;
}

/** Only follow pagination links that stay on the configured site. */
export function sameSite(baseUrl: string, url: string): boolean {
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}
