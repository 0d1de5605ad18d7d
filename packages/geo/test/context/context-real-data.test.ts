import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon, length, lineString } from '@turf/turf';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import { buildContextLayer } from '../../src/index';
import { contextDataAvailable, LAD_FROM_LSOA, nottinghamshireContextLsoas } from './context-data';

const km = (lines: Position[][]) => lines.reduce((s, l) => s + length(lineString(l), { units: 'kilometers' }), 0);
const ringsKm = (g: AreaGeometry) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat().reduce((s, r) => s + length(lineString(r), { units: 'kilometers' }), 0);

describe.runIf(contextDataAvailable())('context layer of the real Nottinghamshire LSOAs', () => {
  const lsoas = nottinghamshireContextLsoas();
  const layer = buildContextLayer(lsoas);

  it('draws the county outline once and district lines whose length matches the published dissolved districts', () => {
    expect(layer.studyArea[0]!.geometry.coordinates).toHaveLength(1);
    // Every district's perimeter counts its outer edges once and the lines it shares with a neighbour once each, so
    // the sum of the 8 perimeters (the shared data's LSOA-dissolved districts) = outline + 2 × district lines.
    const lads = JSON.parse(readFileSync(LAD_FROM_LSOA, 'utf8')).features as { geometry: AreaGeometry }[];
    const perimeters = lads.reduce((s, f) => s + ringsKm(f.geometry), 0);
    const ours = km(layer.studyArea[0]!.geometry.coordinates) + 2 * km(layer.districtBoundaries[0]!.geometry.coordinates);
    expect(ours / perimeters).toBeCloseTo(1, 3);
  });

  it('names the 8 districts, 187 wards, 684 LSOAs and the towns of several wards, each inside its own area', () => {
    const names = (kind: string) => layer.placeLabels.filter((f) => f.properties.kind === kind).map((f) => f.properties.name);
    expect(names('district').sort()).toEqual(['Ashfield', 'Bassetlaw', 'Broxtowe', 'Gedling', 'Mansfield', 'Newark and Sherwood', 'Nottingham', 'Rushcliffe']);
    expect(names('ward')).toHaveLength(187);
    expect(names('lsoa')).toHaveLength(684);
    expect(names('town').sort()).toEqual(['Balderton', 'Beeston', 'Bingham', 'Bulwell', 'Carlton', 'Clifton', 'East Retford', 'Eastwood', 'Hucknall', 'Rainworth', 'Stapleford', 'Sutton', 'Worksop']);
    // The largest district is ranked first.
    expect(layer.placeLabels.find((f) => f.properties.kind === 'district' && f.properties.rank === 0)!.properties.name).toBe('Newark and Sherwood');
    for (const f of layer.placeLabels.filter((l) => l.properties.kind === 'district' || l.properties.kind === 'ward')) {
      const members = lsoas.filter((l) => l.districtCode === f.properties.districtCode && (f.properties.kind === 'district' || l.wardName === f.properties.name));
      expect(members.some((m) => booleanPointInPolygon(f.geometry.coordinates, m.geometry as never)), `${f.properties.kind} ${f.properties.name}`).toBe(true);
    }
  });
});
