import { describe, expect, it } from 'vitest';
import type { Lsoa, SelectionResult } from '@safer-places/schemas';
import { packMapContext } from '../src/bids/evidence';

/** A 12 × 6 grid of 0.01° LSOAs: two districts side by side (west and east), each with four wards of 3 × 3 LSOAs. */
function grid(): Lsoa[] {
  const out: Lsoa[] = [];
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < 6; j++) {
      const x = -1.2 + i * 0.01, y = 53 + j * 0.01;
      const east = i >= 6;
      out.push({
        code: `E0100${String(i).padStart(2, '0')}${j}`,
        name: `LSOA ${i}-${j}`,
        districtCode: east ? 'E07000002' : 'E07000001',
        districtName: east ? 'Eastwick' : 'Westford',
        wardName: `${east ? 'Eastwick' : 'Westford'} ${['North', 'South'][Math.floor(j / 3)]} ${Math.floor((i % 6) / 3) ? 'Green' : 'Hill'}`,
        cspCode: null,
        cspName: null,
        population: 1500,
        imdDecile: 5,
        deprivationSource: null,
        geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] },
        bbox: [x, y, x + 0.01, y + 0.01],
      } as Lsoa);
    }
  }
  return out;
}

function selectionOf(lsoas: Lsoa[], target: string[], comparison: string[]): SelectionResult {
  const geometryOf = (codes: string[]) => ({ type: 'MultiPolygon' as const, coordinates: lsoas.filter((l) => codes.includes(l.code)).map((l) => (l.geometry as { coordinates: number[][][] }).coordinates as [number, number][][]) });
  return {
    lsoas: target.map((code) => ({ code })),
    target: geometryOf(target),
    buffer: null,
    comparison: { lsoas: comparison.map((code) => ({ code })), geometry: comparison.length ? geometryOf(comparison) : null },
  } as unknown as SelectionResult;
}

describe("the evidence pack's map context", () => {
  const lsoas = grid();
  const code = (i: number, j: number) => `E0100${String(i).padStart(2, '0')}${j}`;

  it('draws the LSOAs around the target, the ward and district boundaries between them and their names', () => {
    const { mapContext, mapLocator } = packMapContext(lsoas, selectionOf(lsoas, [code(5, 2), code(6, 2)], [code(4, 2)]));
    // The neighbours of a target straddling the district border, not the whole grid.
    expect(mapContext.outlines!.length).toBeGreaterThan(2);
    expect(mapContext.outlines!.length).toBeLessThan(lsoas.length);
    const major = mapContext.lines!.find((l) => l.kind === 'major')!;
    const minor = mapContext.lines!.find((l) => l.kind === 'minor')!;
    // The district border runs along x = -1.14 (between columns 5 and 6).
    expect(major.paths.flat().every(([x]) => Math.abs(x - -1.14) < 1e-9)).toBe(true);
    expect(minor.paths.length).toBeGreaterThan(0);
    const names = mapContext.labels!.map((l) => `${l.kind}:${l.text}`);
    expect(names).toContain('major:Westford');
    expect(names).toContain('major:Eastwick');
    expect(names.some((n) => n.startsWith('minor:Westford South') || n.startsWith('minor:Westford North'))).toBe(true);
    // The comparison LSOA is next door, inside the frame: no locator.
    expect(mapLocator).toBeUndefined();
  });

  it('adds a locator with distance and direction when the comparison area lies beyond the frame', () => {
    const { mapLocator } = packMapContext(lsoas, selectionOf(lsoas, [code(0, 0)], [code(11, 5)]));
    expect(mapLocator).toBeDefined();
    // Centre to centre: 0.11° east (× cos 53.03° × 111.32 km = 7.37 km) and 0.05° north (5.57 km): 9.2 km at 53° from north.
    expect(mapLocator!.caption).toBe('Comparison area: 9.2 km north-east of the target');
    expect(mapLocator!.background).toHaveLength(lsoas.length);
  });
});
