// Stored subscription rows ↔ the contract's Subscription, and the (kind, value) key of a target.
// The only place that knows how a target and the JSON filter columns are stored.
import type { ChannelRef, Frequency, Platform, Subscription, SubscriptionStatus, SubscriptionTarget } from '../chat/types.ts';
import { PUBLICATION_TYPES, type PublicationType } from '../letters/types.ts';
import type { SubscriptionRow } from '../store/schema.ts';

export interface TargetKey {
  kind: SubscriptionTarget['kind'];
  value: string;
}

/** A target resolved from what a person typed, with the name to show for it. */
export interface ResolvedTarget {
  target: SubscriptionTarget;
  name: string;
}

export function targetKey(target: SubscriptionTarget): TargetKey {
  switch (target.kind) {
    case 'authority':
      return { kind: 'authority', value: target.urn };
    case 'region':
      return { kind: 'region', value: target.regionCode };
    case 'all':
      return { kind: 'all', value: '*' };
  }
}

export function targetFromKey(kind: string, value: string): SubscriptionTarget {
  if (kind === 'authority') return { kind: 'authority', urn: value };
  if (kind === 'region') return { kind: 'region', regionCode: value };
  return { kind: 'all' };
}

export const sameTarget = (a: SubscriptionTarget, b: SubscriptionTarget): boolean => {
  const ka = targetKey(a);
  const kb = targetKey(b);
  return ka.kind === kb.kind && ka.value === kb.value;
};

function jsonList(text: string | null): unknown[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

const TYPE_SET = new Set<string>(PUBLICATION_TYPES);

export function parseTypes(text: string | null): PublicationType[] {
  return jsonList(text).filter((t): t is PublicationType => typeof t === 'string' && TYPE_SET.has(t));
}

export function parseStrings(text: string | null): string[] {
  return jsonList(text).filter((t): t is string => typeof t === 'string');
}

export function parseIds(text: string | null): number[] {
  return jsonList(text).filter((t): t is number => Number.isInteger(t));
}

/** Filters are stored sorted and without repeats, so equal filters compare equal as text. */
export function filterJson(values: readonly string[]): string {
  return JSON.stringify([...new Set(values)].sort());
}

const FREQUENCIES = new Set<string>(['immediate', 'daily', 'weekly']);
const STATUSES = new Set<string>(['active', 'paused', 'ended']);

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    channel: { platform: row.platform as Platform, workspace: row.workspace, channel: row.channel },
    target: targetFromKey(row.target_kind, row.target_value),
    targetName: row.target_name,
    types: parseTypes(row.types),
    themes: parseStrings(row.themes),
    frequency: (FREQUENCIES.has(row.frequency) ? row.frequency : 'immediate') as Frequency,
    status: (STATUSES.has(row.status) ? row.status : 'active') as SubscriptionStatus,
    statusReason: row.status_reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const channelWhere = (ref: ChannelRef) => ({ platform: ref.platform, workspace: ref.workspace, channel: ref.channel });
