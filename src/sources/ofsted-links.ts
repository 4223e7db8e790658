// Recognising links on Ofsted's pages: files (https://files.ofsted.gov.uk/v1/file/{id}, the older files.api.ofsted.gov.uk
// host, or any host whose path is /v1/file/{id}, as the simulator serves) and council pages (/provider/44/{urn}).

const FILE_HOSTS = new Set(['files.ofsted.gov.uk', 'files.api.ofsted.gov.uk']);
const FILE_PATH = /^\/v1\/file\/([^/?#]+)\/?$/;

/** The file id a link points to, or null when it is not a link to an Ofsted file. */
export function fileIdFromUrl(url: string | URL): string | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
  const byPath = FILE_PATH.exec(parsed.pathname);
  if (byPath) return decodeURIComponent(byPath[1]!);
  if (FILE_HOSTS.has(parsed.hostname.toLowerCase())) {
    const last = parsed.pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : null;
  }
  return null;
}

/** `href` made absolute against the page it was found on, or null when it cannot be. */
export function absoluteUrl(href: string, pageUrl: string): string | null {
  try {
    return new URL(href, pageUrl).toString();
  } catch {
    return null;
  }
}

const PROVIDER_PATH = /\/provider\/44\/(\d+)(?:[/?#]|$)/;

/** The URN in a link to a council's page (/provider/44/{urn}), or null. */
export function urnFromProviderUrl(url: string): string | null {
  return PROVIDER_PATH.exec(url)?.[1] ?? null;
}
