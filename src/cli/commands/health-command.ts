// `health`: faults, last runs and backlog; exit 1 while any fault is open.
import type { AppContext } from '../../app/context.ts';
import { healthReport, renderHealth } from '../../health/health-report.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export async function healthCommand(ctx: AppContext, opts: { json: boolean }, io: Output): Promise<number> {
  const report = await healthReport(ctx.db, ctx.now());
  io.out(opts.json ? JSON.stringify(report) : renderHealth(report));
  return report.healthy ? EXIT.OK : EXIT.FAULTS;
}
