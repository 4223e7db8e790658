// npm run teams:package [-- --app-id GUID] [--out PATH]
// Builds the Teams app package to sideload or upload: draws the two icons (teams-app/color.png 192×192,
// teams-app/outline.png 32×32), puts the bot's Microsoft App ID into teams-app/manifest.json's copy, checks
// it, and zips the three files at the root of teams-app/ofsted-alerts.zip. The app id comes from --app-id,
// else MICROSOFT_APP_ID (the environment or ./.env). Exit 2 with the problems when the manifest would be refused.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { colorPng, outlinePng } from '../adapters/teams/app-package/icons.ts';
import { buildManifest } from '../adapters/teams/app-package/manifest.ts';
import { writeZip } from '../adapters/teams/app-package/zip.ts';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

if (!process.env.MICROSOFT_APP_ID && existsSync('.env')) {
  try {
    process.loadEnvFile('.env');
  } catch {
    /* a broken .env: --app-id still works */
  }
}

const color = colorPng();
const outline = outlinePng();
writeFileSync(join(here, 'color.png'), color);
writeFileSync(join(here, 'outline.png'), outline);

const appId = arg('app-id') ?? process.env.MICROSOFT_APP_ID ?? '';
if (!appId) {
  console.error('teams:package needs the bot\'s Microsoft App ID: npm run teams:package -- --app-id 00000000-0000-0000-0000-000000000000 (or set MICROSOFT_APP_ID). The icons were drawn.');
  process.exit(2);
}
const built = buildManifest(readFileSync(join(here, 'manifest.json'), 'utf8'), appId);
if (!built.ok) {
  console.error(`teams-app/manifest.json would be refused:\n- ${built.problems.join('\n- ')}`);
  process.exit(2);
}
if (/example\.org/.test(built.json)) console.error('note: developer.websiteUrl, privacyUrl and termsOfUseUrl in teams-app/manifest.json are still example.org placeholders; set your own before publishing to your organisation.');

const out = resolve(arg('out') ?? join(here, 'ofsted-alerts.zip'));
const zip = writeZip([
  { name: 'manifest.json', data: Buffer.from(built.json, 'utf8') },
  { name: 'color.png', data: color },
  { name: 'outline.png', data: outline },
]);
writeFileSync(out, zip);
console.log(JSON.stringify({ package: relative(process.cwd(), out) || out, bytes: zip.length, appId: built.manifest.id, manifestVersion: built.manifest.manifestVersion, files: ['manifest.json', 'color.png', 'outline.png'] }));
