// The Teams app manifest: teams-app/manifest.json holds it with "{{MICROSOFT_APP_ID}}" where the bot's
// app id goes; buildManifest puts the id in and checks what Teams checks before it accepts a package
// (schema 1.17+, ids, lengths, the bot's scopes and commands, the icon names). Pure.

export const APP_ID_PLACEHOLDER = '{{MICROSOFT_APP_ID}}';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full?: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: { botId: string; scopes: string[]; commandLists?: { scopes: string[]; commands: { title: string; description: string }[] }[] }[];
  validDomains?: string[];
  [key: string]: unknown;
}

/** The manifest with the app id in, or the problems that would make Teams refuse it. */
export function buildManifest(template: string, appId: string): { ok: true; manifest: TeamsManifest; json: string } | { ok: false; problems: string[] } {
  if (!GUID.test(appId)) return { ok: false, problems: [`the app id must be the bot's Microsoft App ID, a GUID (got ${JSON.stringify(appId)})`] };
  const json = template.split(APP_ID_PLACEHOLDER).join(appId.toLowerCase());
  let manifest: TeamsManifest;
  try {
    manifest = JSON.parse(json) as TeamsManifest;
  } catch (error) {
    return { ok: false, problems: [`manifest.json is not JSON: ${(error as Error).message}`] };
  }
  const problems = manifestProblems(manifest);
  return problems.length ? { ok: false, problems } : { ok: true, manifest, json: `${JSON.stringify(manifest, null, 2)}\n` };
}

export function manifestProblems(m: TeamsManifest): string[] {
  const p: string[] = [];
  const [major, minor] = String(m.manifestVersion ?? '').split('.').map(Number);
  if (!(major === 1 && (minor ?? 0) >= 17)) p.push(`manifestVersion must be 1.17 or later (got ${m.manifestVersion})`);
  if (!String(m.$schema ?? '').includes(`v${m.manifestVersion}/MicrosoftTeams.schema.json`)) p.push('$schema must be the schema of manifestVersion');
  if (!/^\d+\.\d+\.\d+$/.test(m.version ?? '')) p.push('version must be MAJOR.MINOR.PATCH');
  if (!GUID.test(m.id ?? '')) p.push('id must be a GUID (the app id)');
  if (!m.name?.short || m.name.short.length > 30) p.push('name.short is required, at most 30 characters');
  if (m.name?.full && m.name.full.length > 100) p.push('name.full is at most 100 characters');
  if (!m.description?.short || m.description.short.length > 80) p.push('description.short is required, at most 80 characters');
  if (!m.description?.full || m.description.full.length > 4000) p.push('description.full is required, at most 4000 characters');
  for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'] as const) if (!/^https:\/\//.test(m.developer?.[k] ?? '')) p.push(`developer.${k} must be an https URL`);
  if (!/^#[0-9A-Fa-f]{6}$/.test(m.accentColor ?? '')) p.push('accentColor must be #RRGGBB');
  if (m.icons?.color !== 'color.png' || m.icons?.outline !== 'outline.png') p.push('icons must be color.png and outline.png');
  const bot = m.bots?.[0];
  if (!bot || m.bots.length !== 1) p.push('exactly one bot');
  else {
    if (bot.botId !== m.id) p.push('bots[0].botId must be the app id');
    for (const s of ['team', 'groupChat', 'personal']) if (!bot.scopes.includes(s)) p.push(`bots[0].scopes must include ${s}`);
    for (const list of bot.commandLists ?? []) {
      if (list.commands.length > 10) p.push('a command list has at most 10 commands');
      for (const c of list.commands) {
        if (!c.title || c.title.length > 32) p.push(`command title "${c.title}" must be 1-32 characters`);
        if (!c.description || c.description.length > 128) p.push(`command "${c.title}" description must be 1-128 characters`);
      }
    }
  }
  return p;
}
