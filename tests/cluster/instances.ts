// Runs several real `ofsted-alerts start` processes against one database, for the multi-instance tests:
// start them, SIGKILL one, restart it, stop them all with SIGTERM. Each keeps its last output so a
// failing test can say what the processes said.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'bin/ofsted-alerts.js');

export interface Instance {
  index: number;
  child: ChildProcess;
  pid: number;
  output: string[];
  exited: Promise<number | null>;
  /** it has said it is running */
  ready: boolean;
}

export class Instances {
  readonly list: (Instance | null)[] = [];
  readonly kills: { index: number; pid: number; at: number }[] = [];

  constructor(private readonly envFor: (index: number) => Record<string, string>) {}

  /** Starts instance `index` (replacing a dead one) and waits until it says it is running. */
  async start(index: number): Promise<Instance> {
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { ...process.env, LOG_LEVEL: 'warn', CONSOLE_ADAPTER: 'false', OFSTED_REQUEST_DELAY_MS: '0', OFSTED_CONTACT: 'tests@example.org', ...this.envFor(index) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const instance: Instance = { index, child, pid: child.pid!, output, exited, ready: false };
    this.list[index] = instance;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`instance ${index} did not start in 60 s:\n${output.join('')}`)), 60_000);
      const onData = () => {
        if (output.join('').includes('ofsted-alerts is running')) {
          clearTimeout(timer);
          child.stderr!.off('data', onData);
          instance.ready = true;
          resolve();
        }
      };
      child.stderr!.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`instance ${index} exited with ${code} before it started:\n${output.join('')}`));
      });
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return instance;
  }

  async startAll(n: number): Promise<void> {
    await Promise.all(Array.from({ length: n }, (_, i) => this.start(i)));
  }

  byPid(pid: number): Instance | undefined {
    return this.list.find((i) => i?.pid === pid) ?? undefined;
  }

  /** SIGKILL: no handler runs, nothing is released; whatever it held must be taken over by the others. */
  async kill(index: number): Promise<void> {
    const instance = this.list[index];
    if (!instance) return;
    this.kills.push({ index, pid: instance.pid, at: Date.now() });
    instance.child.kill('SIGKILL');
    await instance.exited;
    this.list[index] = null;
  }

  /** SIGTERM to every live instance; resolves with their exit codes. */
  async stopAll(): Promise<(number | null)[]> {
    const live = this.list.filter((i): i is Instance => i !== null);
    for (const i of live) i.child.kill('SIGTERM');
    const codes = await Promise.all(
      live.map((i) => Promise.race([i.exited, new Promise<null>((r) => setTimeout(() => { i.child.kill('SIGKILL'); r(null); }, 30_000))])),
    );
    this.list.length = 0;
    return codes;
  }

  logs(): string {
    return this.list.map((i, n) => `--- instance ${n} ---\n${i?.output.join('') ?? '(dead)'}`).join('\n');
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs: number, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
