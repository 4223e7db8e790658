// Short texts about subscriptions and settings, for replies. Plain text with `code` spans.
import type { DigestSetting, Subscription } from '../chat/types.ts';
import type { PublicationType } from '../letters/types.ts';
import { themeName } from '../themes/taxonomy.ts';

const TYPE_PLURALS: Readonly<Record<PublicationType, string>> = {
  inspection: 'inspections',
  'focused-visit': 'focused visits',
  'monitoring-visit': 'monitoring visits',
  jtai: 'joint targeted area inspections',
  send: 'area SEND inspections',
  other: 'other publications',
};

export const TYPE_NAMES: Readonly<Record<PublicationType, string>> = {
  inspection: 'Inspection',
  'focused-visit': 'Focused visit',
  'monitoring-visit': 'Monitoring visit',
  jtai: 'Joint targeted area inspection',
  send: 'Area SEND inspection',
  other: 'Publication',
};

/** "A", "A and B", "A, B and C" */
export function listWords(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export function describeFilters(sub: Pick<Subscription, 'types' | 'themes'>): string {
  const what = sub.types.length === 0 ? 'every publication' : listWords(sub.types.map((t) => TYPE_PLURALS[t] ?? t));
  return sub.themes.length === 0 ? what : `${what} about ${listWords(sub.themes.map(themeName), 'or')}`;
}

export function describeSubscription(sub: Subscription): string {
  const state = sub.status === 'paused' ? ` (paused${sub.statusReason ? `: ${sub.statusReason}` : ''})` : sub.status === 'ended' ? ' (ended)' : '';
  return `${sub.targetName}: ${describeFilters(sub)}${state}`;
}

const DAY_PLURALS: Readonly<Record<string, string>> = {
  monday: 'Mondays', tuesday: 'Tuesdays', wednesday: 'Wednesdays', thursday: 'Thursdays', friday: 'Fridays', saturday: 'Saturdays', sunday: 'Sundays',
};

export function describeDigest(setting: DigestSetting): string {
  if (setting.mode === 'daily') return `a daily digest at ${setting.time} (UK time)`;
  if (setting.mode === 'weekly') return `a weekly digest on ${DAY_PLURALS[setting.day] ?? setting.day} at ${setting.time} (UK time)`;
  return 'an alert as each publication appears';
}

export const names = (subs: readonly Pick<Subscription, 'targetName'>[]): string => listWords(subs.map((s) => s.targetName));
