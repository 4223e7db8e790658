// Work that comes after an acknowledgement waits here until the requests arriving with it have been
// acknowledged. Slack wants every request answered within 3 s, and a burst of /ofsted commands arrives
// at once: acknowledging one runs in the same turn of the event loop as everything that follows its
// ack() in the listener (the store is synchronous behind its promises), so without this the fiftieth
// command's acknowledgement waited for the answers to the forty-nine before it. The work after an
// acknowledgement starts once no acknowledgement has been made for a few milliseconds (the burst is
// over), or at the latest after a short while; then one at a time, one per turn of the event loop
// (setImmediate), so that Node reads the sockets between two and acknowledges what arrived meanwhile.

/** how long without a new acknowledgement counts as the end of a burst (ms) */
const QUIET_MS = 5;
/** the longest work waits behind acknowledgements (ms) */
const MAX_WAIT_MS = 100;

const waiting: { resolve: () => void; since: number }[] = [];
let lastAck = 0;
let scheduled = false;

function schedule(): void {
  if (scheduled || waiting.length === 0) return;
  scheduled = true;
  const now = Date.now();
  const quietIn = lastAck + QUIET_MS - now;
  const overdueIn = waiting[0]!.since + MAX_WAIT_MS - now;
  const wait = Math.min(quietIn, overdueIn);
  if (wait > 0) setTimeout(drain, wait);
  else setImmediate(drain);
}

function drain(): void {
  scheduled = false;
  const now = Date.now();
  const first = waiting[0];
  if (first && (now - lastAck >= QUIET_MS || now - first.since >= MAX_WAIT_MS)) {
    waiting.shift();
    first.resolve();
  }
  schedule();
}

/** Call as soon as a request has been acknowledged: later work is held while acknowledgements keep coming. */
export function acknowledged(): void {
  lastAck = Date.now();
}

/** Resolves on a later turn of the event loop, once the requests arriving with this one are acknowledged. */
export function behindPendingAcks(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push({ resolve, since: Date.now() });
    schedule();
  });
}
