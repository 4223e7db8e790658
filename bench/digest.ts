// npm run bench:digest — Monday 08:00: building and enqueueing the weekly digests of 10,000 channels,
// each following 1 to 20 councils (uniform), over a week in which Ofsted published 40 letters
// (inspections, focused and monitoring visits, JTAIs, SEND) about random councils, each letter with
// ~150 classified sentences (with their cues, as stored) and each council with earlier graded
// inspections to compare with. The store is seeded by a child process (its memory is not ours); this
// process opens it and times one check of the digest schedule: what `start` does at 08:00.
// Prints one JSON object: wall time and peak RSS of the run, digests queued and empty, payload sizes.
//
// Options: --channels 10000 --publications 40 --max-councils 20 --seed 1
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAuthorityDirectory } from '../src/app/authority-directory.ts';
import { loadBundledAuthorities } from '../src/authorities/registry.ts';
import { runDigestSchedule } from '../src/digests/digest-scheduler.ts';
import { JUDGEMENT_AREAS, type ClassifiedSentence, type Grade, type Judgements, type LetterStructure, type LetterSummary, type PublicationType } from '../src/letters/types.ts';
import { silentLogger } from '../src/log/logger.ts';
import { openStore, type Db } from '../src/store/db.ts';
import { THEME_IDS } from '../src/themes/taxonomy.ts';
import { xorshift32 as rng } from '../tests/helpers/seeded-random.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CHANNELS = arg('channels', 10_000);
const PUBLICATIONS = arg('publications', 40);
const MAX_COUNCILS = arg('max-councils', 20);
const SEED = arg('seed', 1);

const WINDOW_START = Date.parse('2026-03-02T08:00:00Z');
const WINDOW_END = Date.parse('2026-03-09T08:00:00Z');
const RUN_AT = new Date('2026-03-09T08:00:30Z');

// ───────────────────────────── seeding (child process) ─────────────────────────────

const WORDS = 'social workers children families leaders managers plans assessments visits timely effective consistently partners oversight supervision placements care leavers independent reviewing officers quality assurance audits caseloads recruitment thresholds referrals strategy discussions'.split(' ');
const GRADES: Grade[] = ['outstanding', 'good', 'requires improvement', 'inadequate'];

function letterJson(r: () => number, type: PublicationType, graded: boolean) {
  const sentence = (n: number) => {
    const w = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!);
    return `${w.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
  };
  const sentences: ClassifiedSentence[] = Array.from({ length: 120 + Math.floor(r() * 60) }, () => {
    const themes = [THEME_IDS[Math.floor(r() * THEME_IDS.length)]!];
    if (r() < 0.3) themes.push(THEME_IDS[Math.floor(r() * THEME_IDS.length)]!);
    return {
      text: sentence(12 + Math.floor(r() * 30)),
      section: r() < 0.08 ? 'improvements' : 'main-findings',
      themes: [...new Set(themes)],
      polarity: r() < 0.4 ? 'concern' : r() < 0.8 ? 'strength' : 'neutral',
      cues: Array.from({ length: 2 + Math.floor(r() * 4) }, () => ({ cue: WORDS[Math.floor(r() * WORDS.length)]!, target: themes[0]!, weight: Math.round(r() * 30) / 10, pattern: 'social work*', head: r() < 0.3 })),
      score: Math.round(r() * 500) / 100,
    };
  });
  const judgements = Object.fromEntries(JUDGEMENT_AREAS.map((a) => [a, graded ? GRADES[Math.floor(r() * 4)]! : null])) as Judgements;
  const structure: LetterStructure = {
    type, authority: null, letterDate: null, visitDates: { start: '2026-01-12', end: '2026-01-23' }, inspectors: ['An Inspector'],
    sections: [{ id: 'main-findings', heading: 'Main findings', text: sentences.map((s) => s.text).join(' ') }], improvements: [], judgements,
  };
  const summary: LetterSummary = { headline: 'Headline', overview: [sentence(25), sentence(20)], improvements: [], themes: [], truncated: false };
  return { structure: JSON.stringify(structure), sentences: JSON.stringify(sentences), summary: JSON.stringify(summary), text: structure.sections[0]!.text };
}

async function seed(file: string): Promise<void> {
  const r = rng(SEED);
  const store = await openStore(`sqlite:${file}`);
  const db = store.db;
  const councils = loadBundledAuthorities();
  const iso = '2026-01-01T00:00:00.000Z';

  // councils' earlier inspections (graded), to compare judgements with
  let file_no = 0;
  const addPublication = async (tx: Db, c: { urn: string; name: string }, type: PublicationType, date: string, at: string, graded: boolean, announce: boolean) => {
    file_no++;
    const p = await tx
      .insertInto('publications')
      .values({ authority_urn: c.urn, authority_name: c.name, type, title: `Children's services ${type}`, publication_date: date, file_id: `f${file_no}`, url: `https://files.ofsted.gov.uk/v1/file/${file_no}`, first_seen_at: at, found_by: 'poll', announced: announce ? 1 : 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const l = letterJson(r, type, graded);
    await tx.insertInto('letters').values({ publication_id: p.id, file_id: `f${file_no}`, status: 'ok', failure_kind: null, reason: null, pages: 8, text: l.text, structure: l.structure, sentences: l.sentences, summary: l.summary, read_at: at, attempts: 1 }).execute();
    if (announce) await tx.insertInto('events').values({ kind: 'publication.new', dedupe_key: `new:${p.id}`, publication_id: p.id, created_at: at, payload: '{}' }).execute();
  };
  await db.transaction().execute(async (tx) => {
    for (const c of councils) {
      await addPublication(tx, c, 'inspection', '2019-06-01', '2019-06-01T10:00:00.000Z', true, false);
      await addPublication(tx, c, 'inspection', '2023-06-01', '2023-06-01T10:00:00.000Z', true, false);
    }
    const types: PublicationType[] = ['inspection', 'inspection', 'inspection', 'inspection', 'focused-visit', 'focused-visit', 'monitoring-visit', 'monitoring-visit', 'jtai', 'send'];
    const used = new Set<string>();
    for (let i = 0; i < PUBLICATIONS; i++) {
      let c;
      let type: PublicationType;
      let date: string;
      do {
        c = councils[Math.floor(r() * councils.length)]!;
        type = types[Math.floor(r() * types.length)]!;
        const at = WINDOW_START + Math.floor(r() * (WINDOW_END - WINDOW_START));
        date = new Date(at).toISOString().slice(0, 10);
      } while (used.has(`${c.urn}|${type}|${date}`));
      used.add(`${c.urn}|${type}|${date}`);
      const at = new Date(Math.max(WINDOW_START, Date.parse(`${date}T09:00:00Z`) + Math.floor(r() * 8) * 3_600_000)).toISOString();
      await addPublication(tx, c, type, date, at, type === 'inspection', true);
    }
  });

  // channels and their subscriptions, in transactions of 500 channels
  let subscriptions = 0;
  for (let from = 0; from < CHANNELS; from += 500) {
    await db.transaction().execute(async (tx) => {
      const channels = [];
      const subs = [];
      for (let i = from; i < Math.min(CHANNELS, from + 500); i++) {
        const ch = { platform: i % 5 === 4 ? 'teams' : 'slack', workspace: `T${Math.floor(i / 10)}`, channel: `C${i}` };
        channels.push({ ...ch, digest_frequency: 'weekly', digest_day: 'monday', digest_time: '08:00', conversation_ref: null, created_at: iso, updated_at: iso });
        const n = 1 + Math.floor(r() * MAX_COUNCILS);
        const picked = new Set<number>();
        while (picked.size < n) picked.add(Math.floor(r() * councils.length));
        for (const k of picked) {
          const c = councils[k]!;
          subs.push({ ...ch, target_kind: 'authority', target_value: c.urn, target_name: c.name, types: '[]', themes: '[]', frequency: 'weekly', status: 'active', status_reason: null, created_by: 'U1', created_at: iso, updated_at: iso, ended_at: null });
        }
      }
      await tx.insertInto('channels').values(channels).execute();
      for (let k = 0; k < subs.length; k += 1000) await tx.insertInto('subscriptions').values(subs.slice(k, k + 1000)).execute();
      subscriptions += subs.length;
    });
  }
  await store.close();
  process.send?.({ subscriptions });
}

// ───────────────────────────── the run (this process) ─────────────────────────────

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ofsted-bench-digest-'));
  const file = join(dir, 'store.db');
  try {
    const seedStarted = performance.now();
    const seeded = await new Promise<{ subscriptions: number }>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), '--seed-into', file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let result: { subscriptions: number } | null = null;
      child.once('message', (m) => (result = m as { subscriptions: number }));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`the seeding process failed (exit ${code})`))));
    });
    const seedMs = Math.round(performance.now() - seedStarted);

    const store = await openStore(`sqlite:${file}`);
    const directory = await loadAuthorityDirectory(store.db);
    let rssPeak = process.memoryUsage.rss();
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 20);
    const rssBefore = process.memoryUsage.rss();
    const started = performance.now();
    const report = await runDigestSchedule({ db: store.db, directory, logger: silentLogger, baseUrl: 'https://reports.ofsted.gov.uk', holder: 'bench' }, RUN_AT);
    const wallMs = Math.round(performance.now() - started);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());

    const sizes = await store.db.selectFrom('deliveries').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.fn('length', ['payload'])).as('bytes'), eb.fn.max<number>(eb.fn('length', ['payload'])).as('max')]).where('kind', '=', 'digest').executeTakeFirstOrThrow();
    const dupes = await store.db.selectFrom('deliveries').select((eb) => eb.fn.count<number>('dedupe_key').distinct().as('n')).where('kind', '=', 'digest').executeTakeFirstOrThrow();
    const maxPubs = await store.db.selectFrom('digest_windows' as never).select((eb: any) => eb.fn.max('publications').as('m')).executeTakeFirst() as { m: number } | undefined;
    await store.close();
    const ok = wallMs < 10_000 && rssPeak < 300 * 1048576 && report.queued + report.empty === CHANNELS && Number(dupes.n) === Number(sizes.n);
    console.log(JSON.stringify({
      bench: 'digest',
      channels: CHANNELS,
      subscriptions: seeded.subscriptions,
      publicationsInWeek: PUBLICATIONS,
      digestsQueued: report.queued,
      emptyNothingSent: report.empty,
      deferred: report.deferred,
      wallMs,
      peakRssMb: Math.round(rssPeak / 1048576),
      rssBeforeRunMb: Math.round(rssBefore / 1048576),
      payloadBytesTotal: Number(sizes.bytes ?? 0),
      payloadBytesAvg: Number(sizes.n) ? Math.round(Number(sizes.bytes) / Number(sizes.n)) : 0,
      payloadBytesMax: Number(sizes.max ?? 0),
      maxPublicationsInOneDigest: Number(maxPubs?.m ?? 0),
      uniqueDedupeKeys: Number(dupes.n),
      seedMs,
      targets: { wallMs: 10_000, peakRssMb: 300 },
      ok,
    }));
    if (!ok) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const seedInto = process.argv.indexOf('--seed-into');
if (seedInto >= 0) await seed(process.argv[seedInto + 1]!);
else await main();
