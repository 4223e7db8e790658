// The lower bounds of bench:teams (see its header for the reasoning): the earliest the last message can
// arrive, for a client that sees only when it sent each request and when the answer came, and the same
// without the round trip. Pure; tests/teams/bench-bounds.test.ts checks it against a brute-force schedule.
import { TEAMS_CHANNEL_INTERVAL_MS, TENANT_WINDOWS } from '../adapters/teams/rate-limits.ts';

export interface BoundInput {
  /** messages to the busiest conversation */
  maxPerConversation: number;
  /** messages to the busiest tenant */
  maxPerTenant: number;
  /** conversations of that tenant */
  conversationsOfBusiestTenant: number;
}

/**
 * The lower bounds (see the header): for a client that sees only send and answer times (`roundTripMs`
 * the fake's answer delay), and the same with no round trip. Pure.
 */
export function lowerBounds(r: BoundInput, roundTripMs: number, opts: { pacingMs?: number; tenantWindow?: { limit: number; spanMs: number } } = {}) {
  const P = opts.pacingMs ?? TEAMS_CHANNEL_INTERVAL_MS;
  const { limit: L, spanMs: W } = opts.tenantWindow ?? TENANT_WINDOWS[0]!;
  const C = Math.max(1, r.conversationsOfBusiestTenant);
  const perConversationMs = Math.max(0, r.maxPerConversation - 1) * P;
  const tenant = (rtt: number) => {
    let worst = 0;
    for (let k = 1; k <= r.maxPerTenant; k++) worst = Math.max(worst, (Math.ceil(k / C) - 1) * P + Math.floor((r.maxPerTenant - k) / L) * (W + rtt));
    return worst;
  };
  const perTenantMs = tenant(roundTripMs);
  const perTenantWithoutRoundTripMs = tenant(0);
  return {
    lowerBoundMs: Math.max(perConversationMs, perTenantMs),
    withoutRoundTripMs: Math.max(perConversationMs, perTenantWithoutRoundTripMs),
    parts: {
      busiestConversationMessages: r.maxPerConversation, perConversationMs,
      busiestTenantMessages: r.maxPerTenant, busiestTenantConversations: C, roundTripMs, perTenantMs, perTenantWithoutRoundTripMs,
    },
  };
}

