// Setting up outbox scenarios: channels subscribed to a council, publications fanned out, workers on a
// virtual clock over a fake sender.
import { createOutboxWorker, type OutboxWorkerOptions } from '../../../src/delivery/outbox-worker.ts';
import { fanOut } from '../../../src/delivery/fan-out.ts';
import { createSubscriptions } from '../../../src/subscriptions/create-subscriptions.ts';
import type { ChatSender, Platform } from '../../../src/chat/types.ts';
import { silentLogger } from '../../../src/log/logger.ts';
import type { Publication } from '../../../src/store/schema.ts';
import { addLetter, addPublication, BASE_URL, channel, okLetter, WAKEFIELD, type TestStore } from './store.ts';
import type { VirtualClock } from './virtual-clock.ts';

export const channelIds = (n: number, prefix = 'C') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

export async function subscribeChannels(s: TestStore, ids: readonly string[], now: Date, workspace = 'T1'): Promise<void> {
  for (const id of ids) {
    await createSubscriptions(s.db, {
      channel: channel(id, workspace), createdBy: 'U1', targets: [{ target: { kind: 'authority', urn: WAKEFIELD.urn }, name: 'Wakefield' }], types: [], themes: [], now,
    });
  }
}

/** A new Wakefield publication with a readable letter, fanned out. */
export async function publish(s: TestStore, now: Date): Promise<Publication> {
  const p = await addPublication(s.db, WAKEFIELD, now);
  await addLetter(s.db, p, okLetter({ sentences: [{ themes: ['care-leavers'], polarity: 'strength' }] }), now);
  await fanOut({ db: s.db, directory: s.directory, now: () => now, logger: silentLogger });
  return p;
}

export function makeWorker(s: TestStore, clock: VirtualClock, sender: ChatSender, o: Partial<OutboxWorkerOptions> = {}) {
  return createOutboxWorker({
    db: s.db,
    senders: new Map<Platform, ChatSender>([[sender.platform, sender]]),
    now: clock.now,
    logger: silentLogger,
    holder: 'worker-1',
    concurrency: 64,
    maxAttempts: 3,
    backoff: { baseMs: 1_000, maxMs: 60_000, random: () => 0 },
    claimTtlMs: 60_000,
    sleep: clock.sleep,
    baseUrl: BASE_URL,
    ...o,
  });
}
