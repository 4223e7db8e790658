// Keeps posts to one channel at least minGap apart as Slack sees them, whatever the caller does. Posts to
// a channel go one at a time; the next waits until minGap after Slack took the previous one, estimated
// as when its answer came back less half the quickest round trip seen: late (so safe) when this process
// was too busy to read the answer at once. The outbox paces channels too; this is the floor under it.

export interface ChannelSpacing {
  spaced<T>(channelKey: string, call: () => Promise<T>): Promise<T>;
}

export function createChannelSpacing(opts: { minGapMs: number; sleep?: (ms: number) => Promise<void> }): ChannelSpacing {
  const minGap = opts.minGapMs;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const lanes = new Map<string, Promise<unknown>>();
  const lastTaken = new Map<string, number>();
  let quickestRtt = Number.POSITIVE_INFINITY;

  const inLane = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const run = (lanes.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    lanes.set(key, tail);
    void tail.then(() => lanes.get(key) === tail && lanes.delete(key));
    return run;
  };

  return {
    spaced(key, call) {
      if (minGap <= 0) return call();
      return inLane(key, async () => {
        const last = lastTaken.get(key);
        const wait = last === undefined ? 0 : last + minGap - Date.now();
        if (wait > 0) await sleep(wait);
        const started = Date.now();
        try {
          return await call();
        } finally {
          const answered = Date.now();
          quickestRtt = Math.min(quickestRtt, answered - started);
          lastTaken.set(key, answered - Math.floor(quickestRtt / 2));
          if (lastTaken.size > 10_000) {
            for (const [k, t] of lastTaken) if (t < answered - 10 * minGap) lastTaken.delete(k);
          }
        }
      });
    },
  };
}
