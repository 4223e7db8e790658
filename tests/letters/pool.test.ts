import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/letters/pool.ts';
import type { TestTask } from '../fixtures/letters/test-worker.ts';

const script = new URL('../fixtures/letters/test-worker.ts', import.meta.url);
let pool: WorkerPool<TestTask, string> | undefined;

afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool', () => {
  it('runs tasks in workers and queues those beyond its size', async () => {
    pool = new WorkerPool<TestTask, string>({ script, size: 2 });
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((value) => pool!.run({ op: 'echo', value })));
    expect(results).toEqual(['a', 'b', 'c', 'd', 'e'].map((value) => ({ ok: true, value })));
    expect(pool.stats()).toMatchObject({ workers: 2, busy: 0, queued: 0, completed: 5 });
  });

  it('stops a task that runs too long, replaces its worker, and carries on', async () => {
    pool = new WorkerPool<TestTask, string>({ script, size: 1 });
    const hung = await pool.run({ op: 'hang' }, { timeoutMs: 300 });
    expect(hung).toMatchObject({ ok: false, kind: 'timeout' });
    expect(await pool.run({ op: 'echo', value: 'still here' })).toEqual({ ok: true, value: 'still here' });
    expect(pool.stats().timeouts).toBe(1);
  });

  it('turns a crashed worker into an error value and replaces it', async () => {
    pool = new WorkerPool<TestTask, string>({ script, size: 1 });
    const crashed = pool.run({ op: 'crash' });
    const queuedBehind = pool.run({ op: 'echo', value: 'after the crash' });
    expect(await crashed).toMatchObject({ ok: false, kind: 'crash', reason: expect.stringContaining('exited') });
    expect(await queuedBehind).toEqual({ ok: true, value: 'after the crash' });
    expect(pool.stats().crashes).toBe(1);
    expect(await pool.run({ op: 'echo', value: 'ok' })).toEqual({ ok: true, value: 'ok' });
  });

  it('replaces a worker that runs out of memory', async () => {
    pool = new WorkerPool<TestTask, string>({ script, size: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    expect(await pool.run({ op: 'hog' })).toMatchObject({ ok: false, kind: 'crash', reason: expect.stringMatching(/memory/i) });
    expect(await pool.run({ op: 'echo', value: 'recovered' })).toEqual({ ok: true, value: 'recovered' });
  });

  it('reports an error thrown by a task without losing the worker', async () => {
    pool = new WorkerPool<TestTask, string>({ script, size: 1 });
    expect(await pool.run({ op: 'throw' })).toEqual({ ok: false, kind: 'error', reason: 'asked to fail' });
    expect(await pool.run({ op: 'echo', value: 'x' })).toEqual({ ok: true, value: 'x' });
    expect(pool.stats().crashes).toBe(0);
  });

  it('stops idle workers and starts them again when work comes', async () => {
    pool = new WorkerPool<TestTask, string>({ script, size: 1, idleTimeoutMs: 100 });
    expect(await pool.run({ op: 'echo', value: 'first' })).toEqual({ ok: true, value: 'first' });
    await new Promise((r) => setTimeout(r, 400));
    expect(pool.stats()).toMatchObject({ workers: 0, idleStops: 1 });
    expect(await pool.run({ op: 'echo', value: 'again' })).toEqual({ ok: true, value: 'again' });
  });

  it('close() answers queued tasks and refuses new ones', async () => {
    pool = new WorkerPool<TestTask, string>({ script, size: 1 });
    const running = pool.run({ op: 'sleep', ms: 2000 });
    const queued = pool.run({ op: 'echo', value: 'never' });
    await pool.close();
    expect(await running).toMatchObject({ ok: false, kind: 'closed' });
    expect(await queued).toMatchObject({ ok: false, kind: 'closed' });
    expect(await pool.run({ op: 'echo', value: 'late' })).toMatchObject({ ok: false, kind: 'closed' });
  });
});
