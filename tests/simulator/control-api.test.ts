import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedOfsted, type SimulatedOfsted } from '../../src/simulator/ofsted-site.ts';
import { BUILT_IN_AUTHORITIES } from '../../src/simulator/authorities.ts';

let sim: SimulatedOfsted | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function post(path: string, body: unknown, method = 'POST') {
  const res = await fetch(`${sim!.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('the control API', () => {
  it('publishes, re-publishes and lists over HTTP', async () => {
    sim = await startSimulatedOfsted({ authorities: BUILT_IN_AUTHORITIES, realPdfs: false });
    const published = await post('/__sim/publish', { urn: '80451', type: 'focused-visit', publicationDate: '2026-02-03' });
    expect(published.status).toBe(201);
    expect(published.json).toMatchObject({ urn: '80451', type: 'focused-visit', publicationDate: '2026-02-03' });
    const again = await post('/__sim/republish', { urn: '80451', type: 'focused-visit', publicationDate: '2026-02-03' });
    expect(again.status).toBe(201);
    expect(again.json['fileId']).not.toBe(published.json['fileId']);
    const list = (await (await fetch(`${sim.url}/__sim/publications/80451`)).json()) as Array<{ fileId: string }>;
    expect(list[0]?.fileId).toBe(again.json['fileId']);
  });

  it('answers bad requests with a reason', async () => {
    sim = await startSimulatedOfsted({ authorities: BUILT_IN_AUTHORITIES });
    const badType = await post('/__sim/publish', { urn: '80451', type: 'visit', publicationDate: '2026-02-03' });
    expect(badType.status).toBe(400);
    expect(String(badType.json['error'])).toMatch(/^type:/);
    expect((await post('/__sim/publish', { urn: '1', type: 'inspection', publicationDate: '2026-02-03' })).status).toBe(404);
    const notJson = await fetch(`${sim.url}/__sim/fault`, { method: 'POST', body: 'nope' });
    expect(notJson.status).toBe(400);
    expect((await post('/__sim/fault', { kind: 'meteor' })).status).toBe(400);
    expect((await fetch(`${sim.url}/__sim/nothing`)).status).toBe(404);
  });

  it('arms and clears faults, sets the listing mode, and reports stats', async () => {
    sim = await startSimulatedOfsted({ authorities: BUILT_IN_AUTHORITIES });
    const armed = await post('/__sim/fault', { kind: '503', path: '/search', times: 2 });
    expect(armed.status).toBe(201);
    expect(sim.faults()).toEqual([{ kind: '503', path: '/search', times: 2, left: 2 }]);
    expect((await fetch(`${sim.url}/search`)).status).toBe(503);
    const cleared = await fetch(`${sim.url}/__sim/fault`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual([]);
    expect((await fetch(`${sim.url}/search`)).status).toBe(200);

    expect((await post('/__sim/latest-report-mode', { mode: 'all' })).json).toEqual({ mode: 'all' });
    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as { requests: number; byPath: Record<string, number> };
    expect(stats).toMatchObject({ requests: 2, byPath: { '/search': 2 } });
    await post('/__sim/stats/reset', {});
    expect(sim.stats().requests).toBe(0);
  });
});
