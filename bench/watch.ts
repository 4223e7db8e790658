// npm run bench:watch — what the watcher costs against the simulated Ofsted site, beside the naive approach
// of reading all 153 councils' pages on every poll. Prints one JSON object.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/config.ts';
import { createContext } from '../src/app/context.ts';
import { silentLogger } from '../src/log/logger.ts';
import { startSimulatedOfsted, type ConditionalMode } from '../src/simulator/ofsted-site.ts';
import { runPoll } from '../src/watcher/poll.ts';
import { runSweep } from '../src/watcher/sweep.ts';
import { OfstedClient } from '../src/sources/ofsted-client.ts';
import { authorityPageUrl } from '../src/watcher/urls.ts';

async function measure(conditional: ConditionalMode) {
  const sim = await startSimulatedOfsted({ realPdfs: false, conditional });
  const dir = mkdtempSync(join(tmpdir(), 'bench-watch-'));
  const cfg = parseConfig({ DATABASE_URL: `sqlite:${join(dir, 'b.db')}`, OFSTED_BASE_URL: sim.url, OFSTED_REQUEST_DELAY_MS: '0', LOG_LEVEL: 'silent', OFSTED_CONTACT: 'bench@example.org' });
  if (!cfg.ok) throw new Error(cfg.problems.join('; '));
  const ctx = await createContext(cfg.config, { logger: silentLogger });
  const deps = ctx.watcherDeps();
  const step = async (fn: () => Promise<{ requests: number; bytes: number; announced: unknown[] }>) => {
    sim.resetStats();
    const t0 = performance.now();
    const r = await fn();
    return { requests: r.requests, bytes: r.bytes, siteBytes: sim.stats().bytes, announced: r.announced.length, ms: Math.round((performance.now() - t0) * 10) / 10 };
  };
  const baseline = await step(() => runPoll(deps));
  const idlePolls = [];
  for (let i = 0; i < 5; i++) idlePolls.push(await step(() => runPoll(deps)));
  sim.publish({ urn: '80451', type: 'inspection', publicationDate: '2026-11-20' });
  const oneNew = await step(() => runPoll(deps));
  const sweep = await step(() => runSweep(deps));

  // The naive approach: every council's page, unconditionally, every poll.
  const naiveClient = new OfstedClient({ baseUrl: sim.url, userAgent: 'bench', delayMs: 0 });
  sim.resetStats();
  const t0 = performance.now();
  for (const a of sim.authorities) await naiveClient.get(authorityPageUrl(sim.url, a.urn));
  const naive = { requests: naiveClient.stats().requests, bytes: naiveClient.stats().bytes, ms: Math.round(performance.now() - t0) };
  await naiveClient.close();
  await ctx.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
  const idle = idlePolls[idlePolls.length - 1]!;
  const msPerIdlePoll = idlePolls.reduce((s, p) => s + p.ms, 0) / idlePolls.length;
  return {
    councils: sim.authorities.length,
    firstRunBaseline: baseline,
    idlePoll: { ...idle, msMean: Math.round(msPerIdlePoll * 10) / 10 },
    pollWithOneNewPublication: oneNew,
    sweep,
    naivePoll: naive,
    idleBytesVsNaivePercent: Math.round((idle.bytes / naive.bytes) * 10000) / 100,
    idleRequestsVsNaive: `${idle.requests} vs ${naive.requests}`,
  };
}

const withValidators = await measure('both');
const withoutValidators = await measure('none');
const result = {
  note: 'against the simulated Ofsted site on 127.0.0.1 with no delay between requests (the product waits OFSTED_REQUEST_DELAY_MS, default 1500 ms, between requests: an idle poll then takes about 1.5 s, a sweep about 153 × 1.5 s)',
  serverAnswers304: withValidators,
  serverWithoutValidators: withoutValidators,
  targets: {
    idlePollAtMost2Requests: withValidators.idlePoll.requests <= 2,
    idleBytesUnder1PercentOfNaiveWith304: withValidators.idleBytesVsNaivePercent < 1,
  },
};
console.log(JSON.stringify(result, null, 2));
