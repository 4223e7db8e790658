// Virtual time for the outbox tests: sleep() registers a timer; when every task is blocked (checked
// with setImmediate, after all microtasks ran: SQLite and the fake sender resolve in microtasks) and the
// store has nothing in flight (`busy`: a Postgres query is real I/O that takes event-loop turns), the
// clock jumps to the earliest timer and fires it. Tests of pacing take milliseconds of real time.
export class VirtualClock {
  private t: number;
  private seq = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private scheduled = false;

  constructor(
    start = Date.parse('2026-03-02T09:00:00.000Z'),
    /** true while the store has a query in flight (OpenedStore.busy): time stands still until it is answered */
    private readonly busy: () => boolean = () => false,
  ) {
    this.t = start;
  }

  readonly now = (): Date => new Date(this.t);
  get ms(): number {
    return this.t;
  }

  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      const onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      };
      const timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.schedule();
    });

  advance(ms: number): void {
    this.t += ms;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.timers.length === 0) return;
      if (this.busy()) {
        this.schedule();
        return;
      }
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const at = this.timers[0]!.at;
      this.t = Math.max(this.t, at);
      const due = this.timers.filter((x) => x.at <= this.t);
      this.timers = this.timers.filter((x) => x.at > this.t);
      for (const x of due) x.resolve();
      if (this.timers.length > 0) this.schedule();
    });
  }
}

/** Lets every pending microtask and immediate run (a few event-loop turns), and the store answer what it was asked. */
export async function settle(turns = 20, busy: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
  while (busy()) await new Promise<void>((r) => setImmediate(r));
}
