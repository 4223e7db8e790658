// `deliveries` (what the outbox holds: counts, failed and undeliverable) and `deliveries retry ID|all`.
import type { AppContext } from '../../app/context.ts';
import { deliveryHealth, renderDeliveryHealth } from '../../delivery/delivery-health.ts';
import { retryDeliveries } from '../../delivery/retry-failed.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export async function deliveriesCommand(ctx: AppContext, args: string[], opts: { json: boolean }, io: Output): Promise<number> {
  const [verb, which] = args;
  if (verb === undefined) {
    const h = await deliveryHealth(ctx.db, ctx.now(), { limit: 100 });
    io.out(opts.json ? JSON.stringify(h) : renderDeliveryHealth(h).join('\n'));
    return h.healthy ? EXIT.OK : EXIT.FAULTS;
  }
  if (verb !== 'retry' || which === undefined || args.length > 2 || (which !== 'all' && !/^\d+$/.test(which))) {
    io.err("usage: ofsted-alerts deliveries [--json] | deliveries retry ID|all\nRun 'ofsted-alerts --help' for the commands and options.");
    return EXIT.USAGE;
  }
  const r = await retryDeliveries(ctx.db, which === 'all' ? 'all' : Number(which), ctx.now());
  if (!r.ok) {
    io.err(r.message);
    return EXIT.NOT_FOUND;
  }
  io.out(`${r.retried.length} deliver${r.retried.length === 1 ? 'y' : 'ies'} queued again (${r.retried.join(', ') || 'none'}); a running \`ofsted-alerts start\` sends them within seconds.`);
  return EXIT.OK;
}
