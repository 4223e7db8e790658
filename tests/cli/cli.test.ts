import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { bufferOutput } from '../../src/cli/output.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { startSimulatedOfsted, type SimulatedOfsted } from '../../src/simulator/ofsted-site.ts';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin/ofsted-alerts.js');

describe('ofsted-alerts command line', () => {
  let sim: SimulatedOfsted;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    sim = await startSimulatedOfsted({ realPdfs: false });
    dir = mkdtempSync(join(tmpdir(), 'ofsted-cli-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, OFSTED_BASE_URL: sim.url, OFSTED_REQUEST_DELAY_MS: '0', LOG_LEVEL: 'silent', OFSTED_CONTACT: 'tests@example.org' };
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) => {
    const io = bufferOutput();
    const code = await main(args, { env, io });
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };

  it('poll --once --json prints each new publication as one JSON line (in a real process)', async () => {
    await cli('poll', '--once'); // baseline: nothing announced
    const published = sim.publish({ urn: '80518', type: 'inspection', publicationDate: '2026-11-21' });
    const { stdout } = await run(process.execPath, [BIN, 'poll', '--once', '--json'], { env: { ...process.env, ...env } });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ authority: 'Wandsworth', urn: '80518', gss: 'E09000032', type: 'inspection', publicationDate: '2026-11-21', url: published.url }]);
    const again = await cli('poll', '--once', '--json');
    expect(again.code).toBe(EXIT.OK);
    expect(again.out).toBe('');
  });

  it('publications AUTHORITY lists what was recorded, resolving typos', async () => {
    const r = await cli('publications', 'Wandswroth');
    expect(r.code).toBe(EXIT.OK);
    expect(r.out).toContain('Wandsworth (URN 80518)');
    expect(r.out).toContain('2026-11-21');
  });

  it('authorities resolves names, codes and regions, and says "did you mean" when unsure', async () => {
    expect((await cli('authorities', 'E08000036')).out).toContain('Wakefield');
    const region = await cli('authorities', 'Yorkshire and the Humber', '--json');
    expect(region.out.trim().split('\n')).toHaveLength(15);
    const ambiguous = await cli('authorities', 'Sussex');
    expect(ambiguous.code).toBe(EXIT.NOT_FOUND);
    expect(ambiguous.err).toMatch(/East Sussex/);
    expect(ambiguous.err).toMatch(/West Sussex/);
    const unknown = await cli('authorities', 'Narnia');
    expect(unknown.code).toBe(EXIT.NOT_FOUND);
  });

  it('health exits 0 when healthy and 1 with an open fault, naming it', async () => {
    expect((await cli('health')).code).toBe(EXIT.OK);
    sim.injectFault({ kind: 'empty', path: '/search', times: 1 });
    sim.publish({ urn: '80451', type: 'inspection', publicationDate: '2026-11-22' });
    const poll = await cli('poll');
    expect(poll.code).toBe(EXIT.FAULTS);
    expect(poll.err).toMatch(/listing-empty/);
    const health = await cli('health');
    expect(health.code).toBe(EXIT.FAULTS);
    expect(health.out).toMatch(/no councils could be read/);
    expect((await cli('poll', '--json')).out).toContain('"urn":"80451"');
    expect((await cli('health')).code).toBe(EXIT.OK);
  });

  it('a bad setting stops the program with a message naming the variable', async () => {
    const io = bufferOutput();
    const code = await main(['poll'], { env: { ...env, OFSTED_REQUEST_DELAY_MS: 'soon', POLL_CRON: 'every ten minutes' }, io });
    expect(code).toBe(EXIT.CONFIG);
    const err = io.stderr.join('\n');
    expect(err).toMatch(/OFSTED_REQUEST_DELAY_MS must be a whole number \(got "soon"\)/);
    expect(err).toMatch(/POLL_CRON is not a valid cron expression/);
  });

  it('a bad command line gets usage help and exit 2, never a stack trace', async () => {
    for (const args of [['frobnicate'], ['poll', '--nope'], ['poll', '--announce-since', '22/11/2026'], ['publications'], ['summarise'], ['search'], ['health', 'extra']]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(EXIT.USAGE);
      expect(r.err).toMatch(/--help/);
      expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await cli('--help')).out).toMatch(/Exit codes/);
  });

  it('start runs the scheduler and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'start'], { env: { ...process.env, ...env, POLL_CRON: '*/10 * * * *' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`start did not come up: ${stderr}`)), 20_000);
      child.stderr.on('data', () => {
        if (stderr.includes('is running')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    expect({ code, signal, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });
});
