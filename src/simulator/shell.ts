// The page shell (head, header, breadcrumbs, <main>, footer) of the simulated pages: taken from the real
// "Report not found" page in ../shared/corpus/site when present, else a compact copy with the same classes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from './html.ts';
import { findSharedDir } from './shared-dir.ts';

export interface ShellPage {
  /** the page's own title, before " - Find an Inspection Report - Ofsted" */
  title: string;
  /** breadcrumbs after "Home" (unlinked) */
  crumbs: readonly string[];
  /** HTML that goes inside <main> */
  main: string;
}

export interface Shell {
  render(page: ShellPage): string;
  /** the "Report not found" page a retired file id answers */
  notFound: string;
}

const BUILT_IN = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8"/>
  <link rel="stylesheet" href="/css/style.css" />
  <title>Report not found - Find an Inspection Report - Ofsted</title>
</head>
<body>
  <div class="main-content">
    <header class="header">
      <div class="container">
        <a class="header__home-link" href="/"><span class="nonvisual">Ofsted homepage</span><img class="header__logo" src="/images/logo.svg" alt="Ofsted Logo" /></a>
      </div>
    </header>
    <div class="container">
      <ol class="breadcrumbs">
        <li class="crumb"><a href="/">Home</a></li>
        <li class="crumb">Report not found</li>
      </ol>
    </div>
    <main id="main" tabindex="-1">
      <div class="container">
        <div class="row">
          <div class="col two-thirds-sm">
            <div class="module title-block title-block--flat title-block--clear title-block--large">
              <h1 class="heading--title title-block__heading">Report not found</h1>
            </div>
            <div class="flat-content text-large">
              <p>Sorry, the document you requested no longer exists.</p>
              <p>We recommend linking to a page instead of a pdf report. This way you always have the latest version of the report.</p>
            </div>
          </div>
        </div>
      </div>
    </main>
  </div>
  <footer class="footer">
    <div class="container">
      <ul class="footer__links list-inline">
        <li><a href="/terms-and-conditions">Terms of use</a></li>
        <li><a href="/privacy">Privacy</a></li>
      </ul>
    </div>
  </footer>
</body>
</html>
`;

const TITLE = /<title>[\s\S]*?<\/title>/;
const CRUMBS = /<ol class="breadcrumbs">[\s\S]*?<\/ol>/;
const MAIN = /(<main\b[^>]*>)[\s\S]*?(<\/main>)/;

function readRealPage(sharedDir?: string): string | null {
  const dir = findSharedDir(sharedDir);
  if (!dir) return null;
  try {
    const html = readFileSync(join(dir, 'corpus', 'site', 'report-not-found.html'), 'utf8');
    return TITLE.test(html) && CRUMBS.test(html) && MAIN.test(html) ? html : null;
  } catch {
    return null;
  }
}

export function loadShell(sharedDir?: string): Shell {
  const template = readRealPage(sharedDir) ?? BUILT_IN;
  return {
    notFound: template,
    render(page) {
      const crumbs = page.crumbs.map((c) => `<li class="crumb">${escapeHtml(c)}</li>`).join('\n        ');
      return template
        .replace(TITLE, () => `<title>${escapeHtml(page.title)} - Find an Inspection Report - Ofsted</title>`)
        .replace(CRUMBS, () => `<ol class="breadcrumbs">\n        <li class="crumb">\n        <a href="/">Home</a>\n      </li>\n        ${crumbs}\n      </ol>`)
        .replace(MAIN, (_, open: string, close: string) => `${open}\n${page.main}\n    ${close}`);
    },
  };
}
