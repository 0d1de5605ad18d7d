import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '@safer-places/schemas';
import { autoCellSize, areasExtent, createPointIndex, defaultBandwidth, pointsInPolygon } from '../src/index';
import { automaticBandwidth } from '../src/hotspots/bandwidth';
import { DATA, loadRealCrimes } from './hotspots-real-data';

// The automatic KDE bandwidth on the real 2024 Nottinghamshire crimes, for the figures quoted in
// docs/user-guide/hotspots.md: the county, Nottingham and Mansfield at 100 m, 250 m and their automatic cell size.
const available = existsSync(join(DATA, 'police-uk'));

// Outside CI these checks are left out when ../shared/data is not there; under CI=true a missing folder fails loudly.
it('has the real Nottinghamshire data when CI=true', () => {
  if (process.env.CI === 'true') expect(available, `shared data missing at ${DATA}`).toBe(true);
});

function districts(): Map<string, AreaGeometry> {
  const fc = JSON.parse(readFileSync(join(DATA, 'lad-boundaries', 'nottinghamshire-lad-from-lsoa21.geojson'), 'utf8')) as {
    features: { properties: { LAD24CD: string }; geometry: AreaGeometry }[];
  };
  return new Map(fc.features.map((f) => [f.properties.LAD24CD, f.geometry]));
}

describe.skipIf(!available)('automatic KDE bandwidth on the real 2024 crimes', () => {
  it('holds the county to 6 cells and leaves the towns their own spread at 250 m', { timeout: 120_000 }, () => {
    const crimes = loadRealCrimes();
    const index = createPointIndex(crimes.lonLat);
    const y2024 = (i: number) => crimes.month[i]! >= (2024 - 2000) * 12;
    const lads = districts();
    const inside = (codes: string[]) => {
      const picked = new Set<number>();
      for (const code of codes) for (const i of pointsInPolygon(index, lads.get(code)!)) if (y2024(i)) picked.add(i);
      return Uint32Array.from([...picked].sort((a, b) => a - b));
    };
    const scopes = { county: [...lads.keys()], nottingham: ['E06000018'], mansfield: ['E07000174'] };
    const got: Record<string, unknown> = {};
    for (const [name, codes] of Object.entries(scopes)) {
      const indices = inside(codes);
      const nrd = defaultBandwidth(crimes.xy, indices);
      const autoCell = autoCellSize(areasExtent(codes.map((c) => lads.get(c)!)));
      got[name] = {
        nrd: Math.round(nrd / 10) * 10,
        at100: Math.round(automaticBandwidth(nrd, 100).bandwidth),
        at250: Math.round(automaticBandwidth(nrd, 250).bandwidth),
        auto: [autoCell, Math.round(automaticBandwidth(nrd, autoCell).bandwidth)],
      };
    }
    expect(got).toEqual({
      county: { nrd: 3510, at100: 600, at250: 1500, auto: [500, 3000] },
      nottingham: { nrd: 940, at100: 600, at250: 943, auto: [210, 943] },
      mansfield: { nrd: 860, at100: 600, at250: 857, auto: [210, 857] },
    });
  });
});
