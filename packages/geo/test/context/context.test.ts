import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon, featureCollection, length, lineString, union } from '@turf/turf';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import { boundaryLines, buildContextLayer, createLocalPlane, labelPoint, poleOfInaccessibility, townsOfWards, type ContextLsoa } from '../../src/index';
import { expectGolden, readInput } from '../golden';

const coverage = (readInput('context', 'coverage').features as { geometry: AreaGeometry; properties: Omit<ContextLsoa, 'geometry'> }[]).map((f) => ({ ...f.properties, geometry: f.geometry }));
const horseshoe = readInput('context', 'u-shape').features[0].geometry as AreaGeometry;
const km = (lines: Position[][]) => lines.reduce((s, l) => s + length(lineString(l), { units: 'kilometers' }), 0);
const inside = (p: Position, gs: readonly AreaGeometry[]) => gs.some((g) => booleanPointInPolygon(p, g as never));
/** A 0.01° grid line's length in km at 53° N, along x (east–west) and y. */
const cellX = length(lineString([[-1.2, 53], [-1.19, 53]]), { units: 'kilometers' });
const cellY = length(lineString([[-1.2, 53], [-1.2, 53.01]]), { units: 'kilometers' });

describe('boundaryLines', () => {
  const members = coverage.map((l) => ({ geometry: l.geometry, keys: [l.districtCode, l.wardName] }));

  it('draws the district boundary once, as one straight line along the column edge', () => {
    const { levels } = boundaryLines(members, { snapM: 1 });
    expect(levels[0]).toHaveLength(1);
    const line = levels[0]![0]!;
    expect(line.every(([x]) => Math.abs(x + 1.18) < 1e-6)).toBe(true);
    expect(km(levels[0]!)).toBeCloseTo(3 * cellY, 6);
  });

  it('draws ward boundaries between wards of one district only, never over the district line', () => {
    const { levels } = boundaryLines(members, { snapM: 1 });
    const wardLines = levels[1]!;
    // District A: Oldtown South | Oldtown North (1 cell edge), Oldtown South | Meadow (1), Oldtown North | Meadow (2).
    // District B: Brookby & Fenn | Upperford (3 cell edges, one of them cut in two).
    const expected = 2 * cellX /* South | North in column 0, South | Meadow in column 1 */ + 2 * cellY /* North | Meadow */ + 3 * cellY;
    expect(km(wardLines)).toBeCloseTo(expected, 2);
    // No ward line lies on the district boundary (x = −1.18) along its length.
    for (const line of wardLines) {
      for (let k = 0; k + 1 < line.length; k++) expect(Math.abs(line[k]![0] + 1.18) < 1e-6 && Math.abs(line[k + 1]![0] + 1.18) < 1e-6).toBe(false);
    }
  });

  it('outlines the whole coverage as one closed line, as long as the outline of a turf union', () => {
    const { outline } = boundaryLines(members, { snapM: 1 });
    expect(outline).toHaveLength(1);
    expect(outline[0]![0]).toEqual(outline[0]![outline[0]!.length - 1]);
    // Turf's union does not join column 1 (shifted by 3e-7°) to its neighbours: union the input rounded to 1e-6°.
    const rounded = coverage.map((l) => ({ type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: (l.geometry.coordinates as Position[][]).map((r) => r.map(([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6])) } }));
    const merged = union(featureCollection(rounded))!;
    expect(merged.geometry.type).toBe('Polygon');
    expect(km(outline)).toBeCloseTo(length(lineString((merged.geometry.coordinates as Position[][])[0]!), { units: 'kilometers' }), 3);
    expect(km(outline)).toBeCloseTo(8 * cellX + 6 * cellY, 2);
  });

  it('matches shared edges despite rounding noise below the quantum (column 1 is shifted by 3e-7°)', () => {
    const { outline, levels } = boundaryLines(members, { snapM: 0 });
    // Without noding only the T-junction's edge leaks into the outline; column 1's noisy edges all pair up.
    const interior = outline.filter((l) => l.some(([x]) => x > -1.2 + 1e-6 && x < -1.16 - 1e-6) && l.every(([, y]) => y > 53 + 1e-6 && y < 53.03 - 1e-6));
    expect(interior.flat().every(([x]) => Math.abs(x + 1.17) < 1e-6)).toBe(true);
    expect(levels[0]).toHaveLength(1);
  });

  it('nodes a T-junction with snapM: the cut cell’s western edge pairs with its neighbour', () => {
    const noded = boundaryLines(members, { snapM: 1 });
    const plain = boundaryLines(members, { snapM: 0 });
    expect(km(plain.outline)).toBeGreaterThan(km(noded.outline) + cellY * 0.99);
    expect(km(noded.levels[1]!)).toBeGreaterThan(km(plain.levels[1]!) + cellY * 0.99);
  });

  it('has no ward lines when no member has a ward, and the same district lines', () => {
    const none = boundaryLines(coverage.map((l) => ({ geometry: l.geometry, keys: [l.districtCode, null] })), { snapM: 1 });
    expect(none.levels[1]).toEqual([]);
    expect(km(none.levels[0]!)).toBeCloseTo(3 * cellY, 6);
  });

  it('keeps an island group as a closed loop', () => {
    // A 3 × 3 block whose middle cell is its own district: its boundary is one closed loop of 4 cell edges.
    const cell = (i: number, j: number): AreaGeometry => ({ type: 'Polygon', coordinates: [[[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1], [i, j]].map(([x, y]) => [x! * 0.01, 52 + y! * 0.01])] });
    const block = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => ({ geometry: cell(i, j), keys: [i === 1 && j === 1 ? 'island' : 'sea'] })));
    const { levels, outline } = boundaryLines(block);
    expect(levels[0]).toHaveLength(1);
    expect(levels[0]![0]).toHaveLength(5);
    expect(levels[0]![0]![0]).toEqual(levels[0]![0]![4]);
    expect(outline).toHaveLength(1);
    expect(outline[0]).toHaveLength(13);
  });
});

describe('poleOfInaccessibility and labelPoint', () => {
  const plane = createLocalPlane(53);

  it('puts the pole of a square at its centre, as far from every edge as half its side', () => {
    const ring = Float64Array.from([0, 0, 100, 0, 100, 100, 0, 100, 0, 0]);
    const pole = poleOfInaccessibility([ring], 0.01);
    expect(pole.x).toBeCloseTo(50, 1);
    expect(pole.y).toBeCloseTo(50, 1);
    expect(pole.distance).toBeCloseTo(50, 1);
  });

  it('keeps clear of a hole', () => {
    const outer = Float64Array.from([0, 0, 100, 0, 100, 100, 0, 100, 0, 0]);
    const hole = Float64Array.from([30, 30, 70, 30, 70, 70, 30, 70, 30, 30]);
    const pole = poleOfInaccessibility([outer, hole], 0.01);
    expect(pole.distance).toBeGreaterThan(14);
    expect(pole.x < 30 || pole.x > 70 || pole.y < 30 || pole.y > 70).toBe(true);
  });

  it('labels a U shape inside it, although its centroid lies in the notch', () => {
    const at = labelPoint([horseshoe], plane)!;
    expect(inside(at.position, [horseshoe])).toBe(true);
    expect(at.areaM2).toBeGreaterThan(0);
  });

  it('labels a compact group at its area-weighted centre, and a scattered one inside one of its members', () => {
    const centre = coverage.filter((l) => l.wardName === 'Brookby & Fenn').map((l) => l.geometry);
    const at = labelPoint(centre, plane)!;
    expect(at.position[0]).toBeCloseTo(-1.175, 6);
    expect(at.position[1]).toBeCloseTo(53.015, 6);
    // Oldtown South is an L of two cells (0,0) and (1,0): its centre (-1.19, 53.005) lies on their common edge, so
    // the label goes to the pole of one of them, inside.
    const south = coverage.filter((l) => l.wardName === 'Oldtown South').map((l) => l.geometry);
    expect(inside(labelPoint(south, plane)!.position, south)).toBe(true);
  });
});

describe('townsOfWards', () => {
  it('finds towns from the leading words wards share', () => {
    const towns = townsOfWards(['Hucknall North', 'Hucknall South', 'Hucknall West', 'Calverton', 'Bulwell', 'Bulwell Forest', 'East Retford North', 'East Retford West', 'East Markham', 'Worksop North', 'Worksop North East', 'Sutton Central & New Cross', 'Sutton St Mary\'s', 'North Muskham', 'North Clifton']);
    expect([...towns.keys()]).toEqual(['Bulwell', 'East Retford', 'Hucknall', 'Sutton', 'Worksop']);
    expect(towns.get('Bulwell')).toEqual(['Bulwell', 'Bulwell Forest']);
  });

  it('leaves out a town named as its district; a place two "&" wards share is a town, the words after "&" are not', () => {
    expect([...townsOfWards(['Northvale Castle', 'Northvale Abbey'], 'Northvale (synthetic)').keys()]).toEqual([]);
    expect([...townsOfWards(['Fenby & Saxby', 'Fenby & Oxendale', 'Saxby Moor']).keys()]).toEqual(['Fenby']);
  });
});

describe('buildContextLayer', () => {
  const layer = buildContextLayer(coverage);

  it('matches the golden context layer', () => {
    expectGolden('context', 'coverage-context', {
      type: 'FeatureCollection',
      features: [...layer.districtBoundaries, ...layer.wardBoundaries, ...layer.studyArea, ...layer.placeLabels],
    });
  });

  it('labels each district, town, ward and LSOA once, inside it, ranked by area within its kind', () => {
    const byKind = (k: string) => layer.placeLabels.filter((f) => f.properties.kind === k);
    expect(byKind('district').map((f) => f.properties.name).sort()).toEqual(['Alder', 'Birchley']);
    expect(byKind('town').map((f) => f.properties.name)).toEqual(['Oldtown']);
    expect(byKind('ward').map((f) => f.properties.name).sort()).toEqual(['Brookby & Fenn', 'Meadow', 'Oldtown North', 'Oldtown South', 'Upperford']);
    expect(byKind('lsoa')).toHaveLength(coverage.length);
    for (const f of layer.placeLabels) {
      const members = coverage.filter((l) =>
        f.properties.kind === 'district' ? l.districtCode === f.properties.districtCode
        : f.properties.kind === 'ward' ? l.wardName === f.properties.name
        : f.properties.kind === 'town' ? l.wardName?.startsWith(f.properties.name)
        : l.name === f.properties.name,
      );
      expect(inside(f.geometry.coordinates, members.map((m) => m.geometry)), `${f.properties.kind} ${f.properties.name}`).toBe(true);
    }
    expect(byKind('ward').map((f) => f.properties.rank)).toEqual([0, 1, 2, 3, 4]);
    // Brookby & Fenn and Upperford are three cells each, the largest wards.
    expect(byKind('ward').slice(0, 2).map((f) => f.properties.name).sort()).toEqual(['Brookby & Fenn', 'Upperford']);
    expect(new Set(layer.placeLabels.map((f) => `${f.properties.kind}:${f.properties.minzoom}`))).toEqual(new Set(['district:0', 'town:10', 'ward:11', 'lsoa:14']));
  });

  it('without wards: district lines, outline and district and LSOA labels only', () => {
    const bare = buildContextLayer(coverage.map((l) => ({ ...l, wardName: null })));
    expect(bare.wardBoundaries).toEqual([]);
    expect(bare.placeLabels.some((f) => f.properties.kind === 'ward' || f.properties.kind === 'town')).toBe(false);
    expect(bare.districtBoundaries).toHaveLength(1);
    expect(bare.studyArea).toHaveLength(1);
  });

  it('is empty for no LSOAs', () => {
    expect(buildContextLayer([])).toEqual({ districtBoundaries: [], wardBoundaries: [], studyArea: [], placeLabels: [] });
  });
});
