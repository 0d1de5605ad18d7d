import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStudyArea, quarter } from '../../src/fetch/area';
import { TooManyCrimesError, fetchMonthCrimes } from '../../src/fetch/crimes';
import { HttpClient } from '../../src/fetch/http';
import { LookupError, PoliceApi, boxToPoly } from '../../src/fetch/police-api';
import { LAD_A, LAD_B, LAD_C, buildWorld, crimesIn, startFixtureServer, type FixtureServer, type FixtureWorld } from './fixture-server';

const world = buildWorld({ crimesPerLsoa: 8 });
let server: FixtureServer;
let always503: FixtureServer;
let rateLimited: FixtureServer;

function areaOf(w: FixtureWorld, lads: string[]) {
  return buildStudyArea(
    w.lsoas.filter((l) => lads.includes(l.lad)).map((l) => ({ code: l.code, lad: l.lad, geometry: { type: 'Polygon' as const, coordinates: [l.ring] } })),
  );
}
const client = () => new HttpClient({ baseDelayMs: 5, maxDelayMs: 20 });

beforeAll(async () => {
  server = await startFixtureServer(world, { maxCrimesPerPolygon: 50 });
  always503 = await startFixtureServer(world, { maxCrimesPerPolygon: -1 });
  let refused = 0;
  rateLimited = await startFixtureServer(world, {
    maxCrimesPerPolygon: 50,
    intercept: (r) => {
      if (!r.path.endsWith('/all-crime') || refused >= 3) return undefined;
      // Two 429s, then a 503 that says "come back later" (Retry-After), which is an outage, not the 10k limit.
      return { status: refused++ < 2 ? 429 : 503, headers: { 'retry-after': '0' }, body: '' };
    },
  });
});
afterAll(async () => {
  await Promise.all([server.close(), always503.close(), rateLimited.close()]);
});

describe('police.uk force and months', () => {
  it('looks up the force display name', async () => {
    const api = new PoliceApi(server.policeUrl, client());
    expect(await api.getForce('nottinghamshire')).toEqual({ id: 'nottinghamshire', name: 'Nottinghamshire Police' });
  });

  it('names the known forces when the id is unknown', async () => {
    const api = new PoliceApi(server.policeUrl, client());
    const err = await api.getForce('nottingham').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LookupError);
    expect((err as Error).message).toMatch(/no force 'nottingham'.*Known force ids: nottinghamshire, derbyshire/);
  });

  it('lists the available months', async () => {
    const api = new PoliceApi(server.policeUrl, client());
    expect((await api.getAvailableMonths()).sort()).toEqual(['2024-01', '2024-02', '2024-03']);
  });

  it('finds the force policing a point, or null outside every force', async () => {
    const api = new PoliceApi(server.policeUrl, client());
    expect(await api.locateNeighbourhood(53.105, -1.195)).toEqual({ force: 'nottinghamshire', neighbourhood: 'NC01' });
    expect(await api.locateNeighbourhood(51.5, -0.1)).toBeNull();
  });

  it('writes poly as lat,lng pairs', () => {
    expect(boxToPoly([-1.2, 53.1, -1.14, 53.13])).toBe('53.100000,-1.200000:53.130000,-1.200000:53.130000,-1.140000:53.100000,-1.140000');
  });
});

describe('crimes for an area, splitting on 503', () => {
  it('splits boxes over the limit and returns every crime in the districts exactly once', async () => {
    const before = server.requests.length;
    const api = new PoliceApi(server.policeUrl, client());
    const area = areaOf(world, [LAD_A, LAD_B]);
    const result = await fetchMonthCrimes(api, area, '2024-01', { areaName: `${LAD_A},${LAD_B}` });

    const expected = crimesIn(world, '2024-01', [LAD_A, LAD_B]);
    expect(expected.length).toBeGreaterThan(100); // well over the limit of 50
    const ids = result.crimes.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort((a, b) => a - b)).toEqual(expected.map((c) => c.id).sort((a, b) => a - b));

    // District C's crimes in the A+B box were served but left out.
    expect(result.outside).toBeGreaterThan(0);
    expect(result.crimes.some((c) => world.ladOf.get(c.id) === LAD_C)).toBe(false);

    // The split happened: 503s, and midline crimes served by two tiles were kept once.
    const mine = server.requests.slice(before);
    expect(result.requests).toBe(mine.length);
    expect(result.tiles.length).toBeGreaterThan(1);
    expect([...server.served.values()].some((n) => n > 1)).toBe(true);
    for (const r of mine) {
      expect(r.method).toBe('POST');
      expect(r.form!.get('date')).toBe('2024-01');
      expect(r.form!.get('poly')!.split(':').length).toBeLessThanOrEqual(100);
    }
  });

  it('starts the next month from the tiles that worked, saving the 503 round trips', async () => {
    const api = new PoliceApi(server.policeUrl, client());
    const area = areaOf(world, [LAD_A, LAD_B]);
    const first = await fetchMonthCrimes(api, area, '2024-02');
    const second = await fetchMonthCrimes(api, area, '2024-03', { startTiles: first.tiles });
    expect(second.requests).toBe(first.tiles.length);
    expect(second.requests).toBeLessThan(first.requests);
    expect(second.crimes.map((c) => c.id).sort((a, b) => a - b)).toEqual(
      crimesIn(world, '2024-03', [LAD_A, LAD_B]).map((c) => c.id).sort((a, b) => a - b),
    );
  });

  it('never asks about tiles that hold no LSOA of the area', async () => {
    const before = server.requests.length;
    const api = new PoliceApi(server.policeUrl, client());
    const area = areaOf(world, [LAD_B]);
    const result = await fetchMonthCrimes(api, area, '2024-01');
    expect(result.crimes.length).toBe(crimesIn(world, '2024-01', [LAD_B]).length);
    for (const r of server.requests.slice(before)) {
      const lngs = r.form!.get('poly')!.split(':').map((p) => Number(p.split(',')[1]));
      expect(Math.max(...lngs)).toBeGreaterThan(-1.1701); // every box reaches into B (lon -1.17 … -1.14)
    }
  });

  it('retries 429s and a 503 with Retry-After transparently, without splitting', async () => {
    const api = new PoliceApi(rateLimited.policeUrl, client());
    const area = areaOf(world, [LAD_A]); // 9 LSOAs × 8 + 3 midline crimes: over 50, so one split is expected
    const result = await fetchMonthCrimes(api, area, '2024-01');
    expect(result.crimes.length).toBe(crimesIn(world, '2024-01', [LAD_A]).length);
    const posts = rateLimited.requests.filter((r) => r.path.endsWith('/all-crime'));
    expect(posts.length).toBe(result.requests + 3);
    // The three refused attempts were all for the first (whole-area) box: it was retried, not split.
    expect(new Set(posts.slice(0, 4).map((p) => p.form!.get('poly'))).size).toBe(1);
  });

  it('fails with the month and area when police.uk answers 503 however small the box', async () => {
    const api = new PoliceApi(always503.policeUrl, client());
    const err = await fetchMonthCrimes(api, areaOf(world, [LAD_A]), '2024-02', { areaName: LAD_A, maxDepth: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyCrimesError);
    expect((err as Error).message).toMatch(/crimes for 2024-02 in E07000174 .*503 after splitting the area 2 times/);

    const capped = await fetchMonthCrimes(api, areaOf(world, [LAD_A]), '2024-02', { areaName: LAD_A, maxRequests: 7 }).catch((e: unknown) => e);
    expect((capped as Error).message).toMatch(/crimes for 2024-02 in E07000174: more than 7 requests/);
  });
});

describe('quarter', () => {
  it('covers the box with four overlapping quarters', () => {
    const q = quarter([0, 0, 2, 2], 0.01);
    expect(q).toEqual([
      [0, 0, 1.01, 1.01],
      [0.99, 0, 2, 1.01],
      [0, 0.99, 1.01, 2],
      [0.99, 0.99, 2, 2],
    ]);
  });
});
