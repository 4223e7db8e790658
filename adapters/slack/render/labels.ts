// Words for the domain's ids: publication types, grades, judgement areas, frequencies.
import { PUBLICATION_TYPE_NAMES, JUDGEMENT_AREA_NAMES, type Grade, type JudgementArea, type PublicationType } from '../../../src/letters/types.ts';
import type { DigestSetting, Frequency, Subscription, SubscriptionTarget } from '../../../src/chat/types.ts';

export const TYPE_NAMES: Readonly<Record<PublicationType, string>> = PUBLICATION_TYPE_NAMES;

export const AREA_NAMES: Readonly<Record<JudgementArea, string>> = JUDGEMENT_AREA_NAMES;

export const GRADE_LABELS: Record<Grade, string> = {
  outstanding: '🌟 Outstanding',
  good: '🟢 Good',
  'requires improvement': '🟠 Requires improvement',
  inadequate: '🔴 Inadequate',
};

export const typeName = (t: string): string => TYPE_NAMES[t as PublicationType] ?? 'Publication';

export const FREQUENCY_NAMES: Record<Frequency, string> = { immediate: 'as published', daily: 'daily digest', weekly: 'weekly digest' };

export function digestWords(d: DigestSetting): string {
  if (d.mode === 'off') return 'alerts as they are published';
  if (d.mode === 'daily') return `a daily digest at ${d.time}`;
  return `a weekly digest on ${d.day[0]!.toUpperCase()}${d.day.slice(1)} at ${d.time}`;
}

export function targetWords(t: SubscriptionTarget, name: string): string {
  if (t.kind === 'all') return 'all councils';
  return name;
}

/** "all types, all themes" / "inspections, focused visits · themes: Workforce, Early help" */
export function filterWords(s: Pick<Subscription, 'types' | 'themes'>, themeName: (id: string) => string): string {
  const types = s.types.length ? s.types.map((t) => typeName(t).toLowerCase()).join(', ') : 'every type';
  const themes = s.themes.length ? `themes: ${s.themes.map(themeName).join(', ')}` : 'every theme';
  return `${types} · ${themes}`;
}

export const STATUS_MARK: Record<Subscription['status'], string> = { active: '🟢 active', paused: '⏸️ paused', ended: '⏹️ ended' };
