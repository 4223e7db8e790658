// `digest preview CHANNEL|AUTHORITY [--since DATE] [--now ISO_TIME] [--json]`: what a digest would say,
// without making one. CHANNEL is platform:workspace:channel (slack:T123:C456, teams:TENANT:CONVERSATION);
// anything else is a council (or region) resolved like `authorities`, previewed as if a channel
// followed it.
// `digest run [--now ISO_TIME] [--json]`: one check of the digest schedule as if at that time: makes the
// digests that are due (and recovers missed ones) into the outbox, which the running process sends.
import type { AppContext } from '../../app/context.ts';
import type { ChannelRef, Platform } from '../../chat/types.ts';
import { formatDidYouMean } from '../../authorities/resolve.ts';
import { digestDepsFrom, runDigestSchedule } from '../../digests/digest-scheduler.ts';
import { previewDigest, type PreviewTarget } from '../../digests/preview-digest.ts';
import { instantOf } from '../../digests/windows.ts';
import { renderDigestText } from '../../../adapters/console/render-digest.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export interface DigestCliOptions {
  json: boolean;
  since: string | null;
  now: string | null;
}

const PLATFORMS = new Set<Platform>(['slack', 'teams', 'console']);

export const DIGEST_USAGE = 'digest needs a subcommand: `digest preview slack:T123:C456` (or a council: `digest preview Wakefield`), or `digest run [--now 2026-03-09T08:00:00Z]`';

/** "slack:T123:C456" → a channel; the conversation part may itself contain colons (Teams). */
export function parseChannelRef(text: string): ChannelRef | null {
  const m = /^([a-z]+):([^:\s]+):(\S+)$/.exec(text.trim());
  if (!m || !PLATFORMS.has(m[1] as Platform)) return null;
  return { platform: m[1] as Platform, workspace: m[2]!, channel: m[3]! };
}

/** yyyy-mm-dd (midnight, UK time) or a full ISO time; null if neither. */
export function parseSince(text: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (d) {
    const at = new Date(instantOf({ y: Number(d[1]), m: Number(d[2]), d: Number(d[3]), hh: 0, mi: 0 }));
    return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 4) !== d[1] ? null : at;
  }
  return parseTime(text);
}

function parseTime(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) return null;
  const t = new Date(text);
  return Number.isNaN(t.getTime()) ? null : t;
}

export async function digestCommand(ctx: AppContext, args: string[], opts: DigestCliOptions, io: Output): Promise<number> {
  const [sub, ...rest] = args;
  const now = opts.now === null ? ctx.now() : parseTime(opts.now);
  if (!now) return usage(io, `--now must be an ISO time with a zone, e.g. 2026-03-09T08:00:00Z (got "${opts.now}")`);

  if (sub === 'run') {
    if (rest.length) return usage(io, `digest run takes no arguments (got "${rest.join(' ')}")`);
    if (opts.since !== null) return usage(io, '--since is for `digest preview`');
    const report = await runDigestSchedule(digestDepsFrom(ctx, `cli:${process.pid}`), now);
    if (opts.json) {
      io.out(JSON.stringify(report));
    } else if (report.busy) {
      io.err('Another process is making digests right now (it holds the digests lease); try again in a minute.');
    } else {
      io.out(`Digest schedule checked as at ${report.at}: ${report.queued} digest(s) queued, ${report.empty} empty (nothing sent)${report.deferred ? `, ${report.deferred} waiting for letters still being read` : ''}${report.late ? `, ${report.late} late` : ''}.`);
      for (const s of report.slots) {
        io.out(`  ${s.schedule} up to ${s.windowEnd}${s.late ? ' (late' + (s.superseded ? `, ${s.superseded} missed slot(s) folded in` : '') + ')' : ''}: ${s.channels} channel(s), ${s.queued} queued, ${s.empty} empty, ${s.alreadyDone} already done${s.deferred ? `, ${s.deferred} waiting` : ''}`);
      }
      if (report.slots.length === 0) io.out('  No digest was due.');
      if (report.queued > 0) io.err('Queued digests are sent by the running process (`ofsted-alerts start`).');
    }
    return report.busy ? EXIT.BUSY : EXIT.OK;
  }

  if (sub === 'preview') {
    const what = rest.join(' ').trim();
    if (!what) return usage(io, 'digest preview needs a channel (slack:T123:C456) or a council: `digest preview Wakefield`');
    const since = opts.since === null ? undefined : parseSince(opts.since);
    if (since === null) return usage(io, `--since must be a date as yyyy-mm-dd or an ISO time (got "${opts.since}")`);
    let target: PreviewTarget;
    const channel = parseChannelRef(what);
    if (channel) target = { kind: 'channel', channel };
    else {
      const r = ctx.directory.resolver().resolve(what);
      if (r.kind !== 'match') {
        io.err(`${r.kind === 'ambiguous' ? `"${what}" could mean several councils.` : `No council matches "${what}", and it is not a channel (platform:workspace:channel).`} ${formatDidYouMean(r)}`.trim());
        return EXIT.NOT_FOUND;
      }
      target = { kind: 'authorities', authorities: r.authorities.map((a) => ({ urn: a.urn, name: a.name })) };
    }
    const result = await previewDigest(digestDepsFrom(ctx, 'preview'), target, { now, since });
    if (!result.ok) {
      io.err(result.message);
      return EXIT.NOT_FOUND;
    }
    if (opts.json) {
      io.out(JSON.stringify(result.digest));
      return EXIT.OK;
    }
    io.err(`Preview for ${result.about}, ${result.window.start} to ${result.window.end}.`);
    if (result.digest) io.out(renderDigestText(result.digest));
    else io.out('Nothing was published in that window for it: no digest would be sent.');
    return EXIT.OK;
  }

  return usage(io, sub ? `unknown digest subcommand "${sub}". ${DIGEST_USAGE}` : DIGEST_USAGE);
}

function usage(io: Output, message: string): number {
  io.err(`${message}\nRun 'ofsted-alerts --help' for the commands and options.`);
  return EXIT.USAGE;
}
