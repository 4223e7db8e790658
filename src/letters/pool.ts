// A pool of worker threads running a TypeScript worker script (one task at a time per worker).
// Workers start when tasks need them and, if idleTimeoutMs is set, stop after being idle that
// long. Tasks queue when every worker is busy. A task that runs past its time limit has its worker
// terminated and replaced; a worker that crashes is replaced too. Either way the task gets an
// error value and the pool carries on.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ReplyMessage, TaskMessage } from './worker-protocol.ts';

export interface PoolOptions {
  /** file: URL of the worker script (a .ts file that calls serveTasks; it is loaded with require(), so no top-level await) */
  script: URL;
  /** number of workers; default os.availableParallelism() */
  size?: number;
  /** default per-task time limit, ms; default 60 s */
  taskTimeoutMs?: number;
  /** V8 heap limits of each worker; a worker that runs out is replaced and its task gets a 'crash' value */
  resourceLimits?: ResourceLimits;
  /** stop a worker idle this long (its memory goes back to the system; it is respawned when needed); default never */
  idleTimeoutMs?: number;
}

export type TaskResult<Res> =
  | { ok: true; value: Res }
  | { ok: false; kind: 'timeout' | 'crash' | 'error' | 'closed'; reason: string };

export interface PoolStats {
  size: number;
  workers: number;
  busy: number;
  queued: number;
  completed: number;
  timeouts: number;
  crashes: number;
  idleStops: number;
}

interface Task<Req, Res> {
  id: number;
  payload: Req;
  timeoutMs: number;
  resolve: (r: TaskResult<Res>) => void;
}

interface Slot<Req, Res> {
  worker: Worker;
  task: Task<Req, Res> | null;
  timer: NodeJS.Timeout | null;
  idleTimer: NodeJS.Timeout | null;
}

// Starts a worker on a TypeScript script. Worker threads do not inherit tsx's loader, so each one
// registers tsx's require hook, which runs in the worker's own thread (tsx's ESM loader would start
// one more loader thread, a V8 isolate of about 25 MB, for each worker).
const BOOT = `
const { workerData } = require('node:worker_threads');
require(workerData.__tsx).register();
require(workerData.__script);
`;
const TSX_CJS = createRequire(import.meta.url).resolve('tsx/cjs/api');

export class WorkerPool<Req, Res> {
  readonly size: number;
  private readonly script: URL;
  private readonly taskTimeoutMs: number;
  private readonly resourceLimits: ResourceLimits | undefined;
  private readonly idleTimeoutMs: number | undefined;
  private readonly slots = new Set<Slot<Req, Res>>();
  private readonly queue: Task<Req, Res>[] = [];
  private nextId = 1;
  private closed = false;
  private counts = { completed: 0, timeouts: 0, crashes: 0, idleStops: 0 };

  constructor(opts: PoolOptions) {
    this.script = opts.script;
    this.size = Math.max(1, Math.floor(opts.size ?? availableParallelism()));
    this.taskTimeoutMs = opts.taskTimeoutMs ?? 60_000;
    this.resourceLimits = opts.resourceLimits;
    this.idleTimeoutMs = opts.idleTimeoutMs;
  }

  /** Runs one task; never rejects. */
  run(payload: Req, opts: { timeoutMs?: number } = {}): Promise<TaskResult<Res>> {
    if (this.closed) return Promise.resolve({ ok: false, kind: 'closed', reason: 'the worker pool is closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, payload, timeoutMs: opts.timeoutMs ?? this.taskTimeoutMs, resolve });
      this.dispatch();
    });
  }

  stats(): PoolStats {
    const busy = [...this.slots].filter((s) => s.task !== null).length;
    return { size: this.size, workers: this.slots.size, busy, queued: this.queue.length, ...this.counts };
  }

  /** Stops every worker; queued and running tasks get a 'closed' error value. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.resolve({ ok: false, kind: 'closed', reason: 'the worker pool was closed' });
    const stopping: Promise<number>[] = [];
    for (const slot of [...this.slots]) {
      this.finish(slot, { ok: false, kind: 'closed', reason: 'the worker pool was closed' });
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      this.slots.delete(slot);
      stopping.push(slot.worker.terminate());
    }
    await Promise.allSettled(stopping);
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = this.idleSlot();
      if (!slot) return;
      const task = this.queue.shift() as Task<Req, Res>;
      slot.task = task;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      slot.worker.ref();
      slot.timer = setTimeout(() => this.onTimeout(slot), task.timeoutMs);
      const msg: TaskMessage<Req> = { id: task.id, payload: task.payload };
      slot.worker.postMessage(msg);
    }
  }

  private idleSlot(): Slot<Req, Res> | null {
    for (const s of this.slots) if (s.task === null) return s;
    return this.slots.size < this.size ? this.spawn() : null;
  }

  private spawn(): Slot<Req, Res> {
    const worker = new Worker(BOOT, { eval: true, workerData: { __tsx: TSX_CJS, __script: fileURLToPath(this.script) }, resourceLimits: this.resourceLimits });
    const slot: Slot<Req, Res> = { worker, task: null, timer: null, idleTimer: null };
    this.slots.add(slot);
    worker.on('message', (reply: ReplyMessage<Res>) => {
      if (slot.task === null || reply.id !== slot.task.id) return;
      this.counts.completed++;
      this.finish(slot, reply.ok ? { ok: true, value: reply.value } : { ok: false, kind: 'error', reason: reply.error });
      worker.unref();
      this.dispatch();
      if (slot.task === null) this.startIdleTimer(slot);
    });
    worker.on('error', (err) => this.onCrash(slot, `the worker crashed: ${err.message}`));
    worker.on('exit', (code) => this.onCrash(slot, `the worker exited unexpectedly (code ${code})`));
    worker.unref();
    return slot;
  }

  private finish(slot: Slot<Req, Res>, result: TaskResult<Res>): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const task = slot.task;
    slot.task = null;
    task?.resolve(result);
  }

  private onTimeout(slot: Slot<Req, Res>): void {
    if (!this.slots.has(slot) || slot.task === null) return;
    this.counts.timeouts++;
    const ms = slot.task.timeoutMs;
    this.retire(slot);
    this.finish(slot, { ok: false, kind: 'timeout', reason: `the task took longer than ${ms} ms and was stopped` });
    this.dispatch();
  }

  private onCrash(slot: Slot<Req, Res>, reason: string): void {
    if (!this.slots.has(slot)) return; // already retired (timeout or close)
    this.counts.crashes++;
    this.retire(slot);
    this.finish(slot, { ok: false, kind: 'crash', reason });
    this.dispatch();
  }

  private startIdleTimer(slot: Slot<Req, Res>): void {
    if (this.idleTimeoutMs === undefined) return;
    slot.idleTimer = setTimeout(() => {
      if (slot.task !== null || !this.slots.has(slot)) return;
      this.counts.idleStops++;
      this.retire(slot);
    }, this.idleTimeoutMs);
    slot.idleTimer.unref();
  }

  /** Takes a worker out of the pool and stops it; the next dispatch spawns a replacement. */
  private retire(slot: Slot<Req, Res>): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    this.slots.delete(slot);
    slot.worker.removeAllListeners('message');
    void slot.worker.terminate().catch(() => undefined);
  }
}
