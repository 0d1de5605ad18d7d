import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Position, Principal } from '@safer-places/schemas';
import { drawnAreaInputSchema } from '@safer-places/schemas';
import { AssetService, UnprocessableError, ValidationError, assertValidArea, checkArea, parseOrThrow } from '../src/index';
import { MemoryAssets } from './in-memory-ports';

/** Small shapes in Nottingham: x, y in 1/1000 degree steps from [-1.2, 52.9]. */
const at = (x: number, y: number): Position => [-1.2 + x / 1000, 52.9 + y / 1000];
const ring = (...pts: [number, number][]) => [...pts, pts[0]!].map(([x, y]) => at(x, y));
const square = (x: number, y: number, w: number) => ring([x, y], [x + w, y], [x + w, y + w], [x, y + w]);
const polygon = (...rings: Position[][]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });
const multi = (...parts: Position[][][]): AreaGeometry => ({ type: 'MultiPolygon', coordinates: parts });

function refusal(g: AreaGeometry): UnprocessableError {
  try {
    assertValidArea(g);
  } catch (e) {
    if (e instanceof UnprocessableError) return e;
    throw e;
  }
  throw new Error('expected the area to be refused');
}

describe('assertValidArea', () => {
  it.each([
    ['a bowtie', polygon(ring([0, 0], [2, 2], [2, 0], [0, 2])), at(1, 1), /^geometry: edges of the outer ring cross each other at \[-1\.199000, 52\.901000\] \(the edge from coordinates\[0\]\[0\] and the edge from coordinates\[0\]\[2\]\); redraw it so no edges cross$/],
    ['a hole crossing its outer ring', polygon(square(0, 0, 10), square(8, 4, 4)), at(10, 4), /^geometry: the outer ring and hole 1 cross each other at \[-1\.190000, 52\.904000\] .*; redraw it so no edges cross$/],
    ['holes crossing', polygon(square(0, 0, 10), square(2, 2, 3), square(4, 4, 3)), at(5, 4), /hole 1 and hole 2 cross each other/],
    ['a hole outside its shell', polygon(square(0, 0, 10), square(20, 20, 2)), at(20, 20), /^geometry: hole 1 lies outside the outer ring \(coordinates\[1\]\[0\], at \[-1\.180000, 52\.920000\] is outside it\)$/],
    ['a hole inside a hole', polygon(square(0, 0, 10), square(2, 2, 6), square(4, 4, 2)), at(4, 4), /^geometry: hole 2 lies inside hole 1 \(coordinates\[2\]\[0\], at \[-1\.196000, 52\.904000\] is inside it\)$/],
    ['a hole touching its shell twice', polygon(square(0, 0, 4), ring([0, 2], [2, 1], [4, 2], [2, 3])), at(0, 2), /^geometry: hole 1 touches the outer ring at .*, closing a loop of touching rings that cuts the polygon into separate pieces$/],
    ['overlapping parts', multi([square(0, 0, 2)], [square(1, 1, 2)]), at(2, 1), /^geometry: parts 1 and 2 of the MultiPolygon overlap: their edges cross each other at \[-1\.198000, 52\.901000\] \(the edge from coordinates\[0\]\[0\]\[1\] and the edge from coordinates\[1\]\[0\]\[0\]\)$/],
    ['a part inside another', multi([square(0, 0, 10)], [square(2, 2, 2)]), at(2, 2), /^geometry: part 2 of the MultiPolygon lies inside part 1 \(coordinates\[1\]\[0\]\[0\]/],
    ['parts sharing an edge', multi([square(0, 0, 1)], [square(1, 0, 1)]), at(1, 0), /parts 1 and 2 of the MultiPolygon overlap: their edges run along each other from/],
    ['a ring of one repeated position', polygon([at(1, 1), at(1, 1), at(1, 1), at(1, 1)]), at(1, 1), /^geometry: the outer ring has fewer than 3 different corners \(repeated positions count once\)$/],
    ['a ring on one line', polygon(ring([0, 0], [1, 0], [2, 0])), at(0, 0), /^geometry: the outer ring encloses no area: all its positions lie on one straight line$/],
    ['a spike', polygon(ring([0, 0], [4, 0], [4, 4], [6, 4], [4, 4], [0, 4])), at(4, 4), /^geometry: edges of the outer ring touch at .*; redraw it so no edges cross$/],
  ])('refuses %s with 422, saying what is wrong and where', (_name, g, point, message) => {
    const e = refusal(g);
    expect(e.code).toBe('invalid_geometry');
    expect(e.message).toMatch(message);
    expect(e.point).toEqual(point.map((v) => Math.round(v * 1e6) / 1e6));
  });

  it('accepts valid shapes, including holes and parts that touch at single points', () => {
    for (const g of [
      polygon(square(0, 0, 10)),
      polygon(square(0, 0, 10), square(3, 3, 3).reverse()),
      polygon(square(0, 0, 10), ring([0, 5], [4, 3], [4, 7])),
      multi([square(0, 0, 1)], [square(1, 1, 1)]),
      multi([square(0, 0, 10), square(2, 2, 6).reverse()], [square(4, 4, 2)]),
      polygon([at(0, 0), at(10, 0), at(10, 0), at(10, 10), at(0, 10), at(0, 0)]),
    ]) {
      expect(() => assertValidArea(g)).not.toThrow();
    }
  });

  it('names the field it was given', () => {
    expect(() => assertValidArea(polygon(ring([0, 0], [2, 2], [2, 0], [0, 2])), 'items.3.geometry')).toThrow(/^items\.3\.geometry: edges of the outer ring cross/);
  });
});

describe('checkArea', () => {
  it('rewinds a clockwise outer ring and an anticlockwise hole, and says so', () => {
    const cwShell = square(0, 0, 10).reverse();
    const ccwHole = square(3, 3, 3);
    const { geometry, warnings } = checkArea(polygon(cwShell, ccwHole));
    expect(geometry).toEqual(polygon(square(0, 0, 10), square(3, 3, 3).reverse()));
    expect(warnings).toEqual([
      'geometry outer ring ran clockwise; it was reversed to the GeoJSON standard order (outer rings anticlockwise, holes clockwise)',
      'geometry hole 1 ran anticlockwise; it was reversed to the GeoJSON standard order (outer rings anticlockwise, holes clockwise)',
    ]);
  });

  it('leaves a correctly wound area alone, and names the part in a MultiPolygon', () => {
    const good = polygon(square(0, 0, 10));
    expect(checkArea(good)).toEqual({ geometry: good, warnings: [] });
    const { warnings } = checkArea(multi([square(0, 0, 1)], [square(3, 3, 1).reverse()]));
    expect(warnings).toEqual([expect.stringMatching(/^geometry part 2 outer ring ran clockwise/)]);
  });

  it('checks validity before rewinding', () => {
    expect(() => checkArea(multi([square(0, 0, 2)], [square(1, 1, 2).reverse()]))).toThrow(/parts 1 and 2 of the MultiPolygon overlap/);
  });
});

describe('parseOrThrow with a drawn area', () => {
  const body = { name: 'Market square', theme: 'asb', geometry: polygon(square(0, 0, 10)) };

  it.each([
    ['orgId', { ...body, orgId: 'other-org' }],
    ['version', { ...body, version: 7 }],
    ['createdBy', { ...body, createdBy: 'someone' }],
  ])('refuses the server-owned field %s by name', (field, input) => {
    expect(() => parseOrThrow(drawnAreaInputSchema, input, 'area')).toThrow(new RegExp(`^invalid area: \\(body\\): unknown field\\(s\\) "${field}" not accepted$`));
  });

  it('refuses an own __proto__ key without touching Object.prototype', () => {
    const input = JSON.parse(`{"name": "A", "theme": "asb", "geometry": ${JSON.stringify(body.geometry)}, "__proto__": {"isAdmin": true}}`);
    expect(() => parseOrThrow(drawnAreaInputSchema, input, 'area')).toThrow(/unknown field\(s\) "__proto__" not accepted/);
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
  });

  it('points at the position in error with a path', () => {
    const bad = { ...body, geometry: polygon([at(0, 0), [454000, 339000], at(1, 1), at(0, 0)]) };
    expect(() => parseOrThrow(drawnAreaInputSchema, bad, 'area')).toThrow(/^invalid area: geometry\.coordinates\.0\.1: \[454000, 339000\] is not a longitude\/latitude pair \(WGS84 degrees\): it looks like a British National Grid/);
  });
});

describe('AssetService with area geometry', () => {
  const analyst: Principal = { userId: 'a1', orgId: 'org', role: 'analyst' };
  let n = 0;
  const assets = new MemoryAssets();
  const service = new AssetService({ assets, clock: { now: () => new Date('2026-11-22T10:00:00Z') }, ids: { newId: () => `id-${++n}` } });
  const area = (geometry: AreaGeometry) => ({ name: 'Area', theme: 'asb', geometry });

  it('refuses an invalid area and writes nothing', async () => {
    await expect(service.createChecked(analyst, 'areas', area(polygon(square(0, 0, 10), square(20, 20, 2))))).rejects.toThrow(/hole 1 lies outside the outer ring/);
    expect(await service.list(analyst, 'areas')).toEqual([]);
  });

  it('saves a clockwise area rewound, with the warning', async () => {
    const { item, warnings } = await service.createChecked(analyst, 'areas', area(polygon(square(0, 0, 10).reverse())));
    expect(item.geometry).toEqual(polygon(square(0, 0, 10)));
    expect(warnings).toHaveLength(1);
    expect(await service.list(analyst, 'areas')).toHaveLength(1);
  });

  it('names the item in an upload, and adds none of it', async () => {
    const pspo = (geometry: AreaGeometry) => ({ name: 'Zone', prohibitions: ['Alcohol'], startDate: '2026-01-01', endDate: '2027-01-01', district: 'City', geometry });
    const upload = [pspo(polygon(square(0, 0, 10))), pspo(multi([square(0, 0, 2)], [square(1, 1, 2)]))];
    await expect(service.createMany(analyst, 'pspo-zones', upload)).rejects.toThrow(ValidationError);
    await expect(service.createMany(analyst, 'pspo-zones', upload)).rejects.toThrow(/^1 of 2 items are invalid, so nothing was added: item 2: geometry: parts 1 and 2 of the MultiPolygon overlap/);
    expect(await service.list(analyst, 'pspo-zones')).toEqual([]);
  });
});
