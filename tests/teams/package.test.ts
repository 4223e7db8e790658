// The Teams app package: manifest (schema 1.17+, the bot in team, group chat and personal scopes, its
// commands), the two icons (192×192 colour; 32×32 white on transparent), and the zip that
// `npm run teams:package` writes — readable by our reader and by `unzip -t` where installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildManifest, manifestProblems } from '../../adapters/teams/app-package/manifest.ts';
import { colorIcon, colorPng, outlineIcon, outlinePng } from '../../adapters/teams/app-package/icons.ts';
import { decodePng, encodePng } from '../../adapters/teams/app-package/png.ts';
import { readZip, writeZip } from '../../adapters/teams/app-package/zip.ts';
import { crc32 } from '../../adapters/teams/app-package/crc32.ts';
import { APP_ID } from './teams-harness.ts';

const template = readFileSync('teams-app/manifest.json', 'utf8');

describe('Teams app package', () => {
  it('the manifest: 1.17, the bot in every scope, at most 10 commands, the app id put in', () => {
    const built = buildManifest(template, APP_ID);
    if (!built.ok) throw new Error(built.problems.join('; '));
    const m = built.manifest;
    expect(m.manifestVersion).toBe('1.17');
    expect(m.id).toBe(APP_ID);
    expect(m.bots[0]!.botId).toBe(APP_ID);
    expect(m.bots[0]!.scopes).toEqual(['team', 'groupChat', 'personal']);
    expect(m.bots[0]!.commandLists![0]!.commands.map((c) => c.title)).toEqual(['subscribe', 'unsubscribe', 'list', 'pause', 'resume', 'latest', 'themes', 'search', 'digest', 'help']);
    expect(built.json).not.toContain('{{');
    expect(buildManifest(template, 'nope')).toMatchObject({ ok: false });
    expect(manifestProblems({ ...m, manifestVersion: '1.16', $schema: m.$schema.replace('1.17', '1.16') })).toEqual(['manifestVersion must be 1.17 or later (got 1.16)']);
    expect(manifestProblems({ ...m, bots: [{ ...m.bots[0]!, scopes: ['personal'] }] })).toEqual(['bots[0].scopes must include team', 'bots[0].scopes must include groupChat']);
  });

  it('the icons: colour 192×192 and opaque; outline 32×32, white and transparent only', () => {
    const color = decodePng(colorPng());
    expect([color.width, color.height]).toEqual([192, 192]);
    for (let i = 3; i < color.pixels.length; i += 4) expect(color.pixels[i]).toBe(255);
    const outline = decodePng(outlinePng());
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let visible = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      expect([outline.pixels[i], outline.pixels[i + 1], outline.pixels[i + 2]]).toEqual([255, 255, 255]);
      if (outline.pixels[i + 3]! > 0) visible++;
    }
    expect(visible).toBeGreaterThan(100);
    expect(visible).toBeLessThan(32 * 32 - 100);
    expect(Buffer.from(decodePng(encodePng(colorIcon())).pixels).equals(Buffer.from(colorIcon().pixels))).toBe(true);
    expect(outlineIcon().pixels.length).toBe(32 * 32 * 4);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('the zip round-trips, and `npm run teams:package` writes manifest.json, color.png and outline.png at its root', () => {
    const zip = writeZip([{ name: 'a.txt', data: Buffer.from('hello '.repeat(100)) }, { name: 'b.bin', data: new Uint8Array([1, 2, 3]) }]);
    expect(readZip(zip).map((e) => [e.name, Buffer.from(e.data).toString('latin1').slice(0, 6)])).toEqual([['a.txt', 'hello '], ['b.bin', '\u0001\u0002\u0003']]);
    expect(() => writeZip([{ name: '../evil', data: new Uint8Array() }])).toThrow();

    const dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
    try {
      const out = join(dir, 'ofsted-alerts.zip');
      const stdout = execFileSync(process.execPath, ['bin/run-ts.js', 'teams-app/build-package.ts', '--app-id', APP_ID, '--out', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(JSON.parse(stdout)).toMatchObject({ appId: APP_ID, manifestVersion: '1.17', files: ['manifest.json', 'color.png', 'outline.png'] });
      const entries = readZip(readFileSync(out));
      expect(entries.map((e) => e.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
      expect(JSON.parse(Buffer.from(entries[0]!.data).toString('utf8')).id).toBe(APP_ID);
      expect(Buffer.from(entries[1]!.data).equals(colorPng())).toBe(true);
      expect(Buffer.from(readFileSync('teams-app/outline.png')).equals(outlinePng())).toBe(true);
      const unzip = spawnSync('unzip', ['-t', out], { encoding: 'utf8' });
      if (!unzip.error) expect(unzip.stdout).toMatch(/No errors detected/);
      // without an app id: a clear message, exit 2
      // (run from an empty directory, so no .env of the developer's is read)
      const missing = spawnSync(process.execPath, [resolve('bin/run-ts.js'), resolve('teams-app/build-package.ts'), '--out', join(dir, 'x.zip')], { encoding: 'utf8', env: { ...process.env, MICROSOFT_APP_ID: '' }, cwd: dir });
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/needs the bot's Microsoft App ID/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
