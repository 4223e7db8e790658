import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runSimulator } from '../../src/simulator/main.ts';
import { BUILT_IN_AUTHORITIES } from '../../src/simulator/authorities.ts';

function recorder() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) } };
}

describe('runSimulator', () => {
  it('serves until its signal aborts, saying where it is and how to drive it', async () => {
    const { out, io } = recorder();
    const controller = new AbortController();
    const running = runSimulator({ port: 0, authorities: BUILT_IN_AUTHORITIES, signal: controller.signal, io });
    await expect.poll(() => out.length).toBeGreaterThan(0);
    const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out[0]!)![1]!;
    expect((await fetch(`${url}/provider/44/80451`)).status).toBe(200);
    expect(out.join('\n')).toContain(`OFSTED_BASE_URL=${url}`);
    controller.abort();
    expect(await running).toEqual({ ok: true });
    await expect(fetch(`${url}/search`)).rejects.toThrow();
  });

  it('says so, as a value, when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const { err, io } = recorder();
    const result = await runSimulator({ port, authorities: BUILT_IN_AUTHORITIES, io });
    blocker.close();
    expect(result).toEqual({ ok: false, message: `port ${port} is already in use: choose another with --port` });
    expect(err).toEqual([result.ok ? '' : result.message]);
  });
});
