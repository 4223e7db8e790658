// Which subscriptions a publication matches, and the one delivery per channel they add up to. Pure.
// A subscription matches when it is active and immediate, its target covers the publication's council
// (the council, its region, or all), and its filters pass: a type filter must list the publication's
// type; a theme filter must share a theme with the letter (an unreadable letter, themes = null, matches
// no theme filter but does match subscriptions without one).
import type { ChannelRef, Subscription } from '../chat/types.ts';
import { channelKey } from '../chat/types.ts';
import type { PublicationType } from '../letters/types.ts';

export interface PublicationFacts {
  urn: string;
  /** the council's ONS region, null where unknown (a council the registry lacks) */
  regionCode: string | null;
  type: PublicationType;
}

export function targetCovers(sub: Pick<Subscription, 'target'>, pub: PublicationFacts): boolean {
  const t = sub.target;
  if (t.kind === 'all') return true;
  if (t.kind === 'authority') return t.urn === pub.urn;
  return pub.regionCode !== null && t.regionCode === pub.regionCode;
}

export function filtersPass(sub: Pick<Subscription, 'types' | 'themes'>, pub: PublicationFacts, letterThemes: ReadonlySet<string> | null): boolean {
  if (sub.types.length > 0 && !sub.types.includes(pub.type)) return false;
  if (sub.themes.length > 0) {
    if (letterThemes === null) return false;
    if (!sub.themes.some((t) => letterThemes.has(t))) return false;
  }
  return true;
}

export function subscriptionMatches(sub: Subscription, pub: PublicationFacts, letterThemes: ReadonlySet<string> | null): boolean {
  return sub.status === 'active' && sub.frequency === 'immediate' && targetCovers(sub, pub) && filtersPass(sub, pub, letterThemes);
}

export interface ChannelMatch {
  channel: ChannelRef;
  /** every matching subscription of the channel, ascending */
  subscriptionIds: number[];
}

/** The matching subscriptions grouped into one entry per channel (a channel following a council and its region gets one). */
export function matchChannels(subs: readonly Subscription[], pub: PublicationFacts, letterThemes: ReadonlySet<string> | null): ChannelMatch[] {
  const byChannel = new Map<string, ChannelMatch>();
  for (const sub of subs) {
    if (!subscriptionMatches(sub, pub, letterThemes)) continue;
    const key = channelKey(sub.channel);
    const entry = byChannel.get(key) ?? { channel: sub.channel, subscriptionIds: [] };
    entry.subscriptionIds.push(sub.id);
    byChannel.set(key, entry);
  }
  // in channel-key order (each key made once: the sort compares thousands of pairs on a busy morning)
  return [...byChannel.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, m]) => ({ channel: m.channel, subscriptionIds: m.subscriptionIds.sort((a, b) => a - b) }));
}
