import { describe, expect, it } from 'vitest';
import { expression, latest, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { buildOverlay, composeStyle, CHANGE_CLASSES, GI_CLASSES, hotspotCellColour, hotspotLayers, LAYER_IDS, OVERLAY_ORDER, spotsCollection, type OverlayState } from '../src/map/layers';
import { hotspotRankIconSpec, insideDigits, rasterizeIcon } from '../src/map/icons';
import { DENSITY_5, GI_CLASS_COLOURS, HOTSPOT_SLOT_SYMBOLS } from '../src/map/palette';
import { offlineStyle } from '../src/map/style';
import { DEFAULT_HOTSPOT_QUERY, describeCell, hotspotLegend, hotspotMapState, hotspotParams, resolveHotspotPeriod, type HotspotAnswer } from '../src/features/hotspots/hotspots';

function colourOf(mode: 'gi' | 'change' | 'density', properties: Record<string, unknown>): string {
  const parsed = expression.createExpression(hotspotCellColour(mode), latest.paint_fill['fill-color'] as never);
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
  const c = parsed.value.evaluate({ zoom: 12 }, { type: 'Polygon', properties } as never) as unknown;
  if (typeof c === 'string') return c.toLowerCase();
  const { r, g, b } = c as { r: number; g: number; b: number };
  return `#${[r, g, b].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;
}

const square = (x: number, y: number) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] });
const dataset = { id: 'demo', name: 'Demo', synthetic: true };
const period = { from: '2024-01', to: '2024-12', months: 12 };

const gi: HotspotAnswer = {
  mode: 'gi',
  result: {
    dataset,
    period,
    categories: [{ key: 'burglary', label: 'Burglary' }],
    crimes: 120,
    grid: { shape: 'square', cellSizeM: 200, studyAreaCells: 900, correction: 'fdr' },
    hot: 2,
    cold: 1,
    snapPointCells: 1,
    truncated: false,
    cells: {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: square(0, 0), properties: { cell: 7, count: 40, z: 5.2, pAdjusted: 0.0001, class: 3, busiestPointShare: 0.8, snapPointWarning: true } },
        { type: 'Feature', geometry: square(1, 0), properties: { cell: 8, count: 12, z: 2.1, pAdjusted: 0.04, class: 2, busiestPointShare: 0.25, snapPointWarning: false } },
        { type: 'Feature', geometry: square(2, 0), properties: { cell: 9, count: 0, z: -2.7, pAdjusted: 0.008, class: -3, busiestPointShare: null, snapPointWarning: false } },
      ],
    },
    top: [
      { key: 'burglary', label: 'Burglary', crimes: 120, spots: [{ rank: 1, lon: 1, lat: 54, count: 30, radiusM: 140, location: 'On or near High Street', busiestPointShare: 0.6, snapPointWarning: true }] },
      { key: 'robbery', label: 'Robbery', crimes: 10, spots: [{ rank: 1, lon: 1.1, lat: 54.1, count: 4, radiusM: 90, location: null, busiestPointShare: 0.5, snapPointWarning: false }] },
    ],
    notes: [],
  },
} as unknown as HotspotAnswer;

type AnyLayer = { id: string; filter?: unknown; paint?: Record<string, unknown>; layout?: Record<string, unknown> };
const layerOf = (layers: readonly unknown[], id: string) => (layers as AnyLayer[]).find((l) => l.id === id)!;

describe('hot spot cells', () => {
  it('colours Gi* classes with the RdBu ramp, hot red and cold blue', () => {
    for (const c of GI_CLASSES) expect(colourOf('gi', { class: c.value })).toBe(GI_CLASS_COLOURS[String(c.value) as keyof typeof GI_CLASS_COLOURS]);
    expect(colourOf('gi', { class: 0 })).toBe('#bdbdbd');
  });

  it('colours every change class distinctly and density classes with viridis, low to high', () => {
    const colours = CHANGE_CLASSES.map((c) => colourOf('change', { category: c.value }));
    expect(new Set(colours).size).toBe(CHANGE_CLASSES.length);
    expect(colourOf('change', { category: 'persistent hotspot' })).toBe('#b2182b');
    for (let i = 0; i < 5; i++) expect(colourOf('density', { class: i + 1 })).toBe(DENSITY_5[i]);
  });

  it('are drawn over the LSOA shading and under every asset; numbered spots are drawn on top of everything but the draft point', () => {
    const state: OverlayState = {
      visible: { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true },
      coverage: false,
      choropleth: { classByCode: new Map(), colours: [] },
      selected: null,
      draft: null,
      areas: { visible: true },
      hotspots: { mode: 'gi', selectedCell: null, selectedSpot: null },
      bid: {},
      context: { visible: true },
    };
    const ids = buildOverlay(state).layers.map((l) => l.id);
    // Everything but the planner's layers, which are added only with a plan.
    expect(ids).toEqual(OVERLAY_ORDER.filter((id) => !id.startsWith('planning-')));
    const at = (id: string) => ids.indexOf(id);
    expect(at(LAYER_IDS.hotspotCellsFill)).toBeGreaterThan(at(LAYER_IDS.lsoaOutline));
    expect(at(LAYER_IDS.hotspotCellsFill)).toBeLessThan(at(LAYER_IDS.saferStreetsFill));
    expect(at(LAYER_IDS.hotspotSpotsSymbol)).toBeGreaterThan(at(LAYER_IDS.helpPointsSymbol));
    expect(at(LAYER_IDS.hotspotSpotsSymbol)).toBe(ids.length - 2);
    expect(validateStyleMin(composeStyle(offlineStyle(), buildOverlay(state)) as never)).toEqual([]);
  });

  it('dash the edge of hot cells whose crimes mostly sit on one published point', () => {
    const b = hotspotLayers({ mode: 'gi', selectedCell: 7, selectedSpot: '0-1' });
    const snap = layerOf(b.layers, LAYER_IDS.hotspotCellsSnap);
    expect(snap.filter).toEqual(['==', ['get', 'snapPointWarning'], true]);
    expect(snap.paint!['line-dasharray']).toBeDefined();
    expect(layerOf(b.layers, LAYER_IDS.hotspotCellSelected).filter).toEqual(['==', ['get', 'cell'], 7]);
    expect(layerOf(b.layers, LAYER_IDS.hotspotSpotSelected).filter).toEqual(['==', ['get', 'key'], '0-1']);
  });
});

describe('numbered top spots', () => {
  it('become points keyed by crime type slot and rank, naming their icon', () => {
    const fc = spotsCollection((gi as Extract<HotspotAnswer, { mode: 'gi' }>).result.top);
    expect(fc.features.map((f) => f.properties.key)).toEqual(['0-1', '1-1']);
    expect(fc.features[1]!.geometry).toEqual({ type: 'Point', coordinates: [1.1, 54.1] });
    const icon = layerOf(hotspotLayers({ mode: 'gi', selectedCell: null, selectedSpot: null }).layers, LAYER_IDS.hotspotSpotsSymbol).layout!['icon-image'];
    const parsed = expression.createExpression(icon, { type: 'resolvedImage', 'property-type': 'data-driven', expression: { interpolated: false, parameters: ['zoom', 'feature'] } } as never);
    if (parsed.result !== 'success') throw new Error('bad icon expression');
    expect(String(parsed.value.evaluate({ zoom: 12 }, { type: 'Point', properties: fc.features[1]!.properties } as never))).toBe('sp-hotspot-1-1');
  });

  it('draw their digits in the contrasting colour inside the shape', () => {
    // "1": the middle column is lit from top to bottom, the corners are not.
    expect(insideDigits('1', 0, 0)).toBe(true);
    expect(insideDigits('1', 0.3, 0.3)).toBe(false);
    for (let slot = 0; slot < HOTSPOT_SLOT_SYMBOLS.length; slot++) {
      const img = rasterizeIcon(hotspotRankIconSpec(slot, 12, 2));
      const centreRow = Math.floor(img.height / 2);
      const rgb = new Set<string>();
      for (let x = 0; x < img.width; x++) {
        const i = (centreRow * img.width + x) * 4;
        if (img.data[i + 3]! > 250) rgb.add(`${img.data[i]},${img.data[i + 1]},${img.data[i + 2]}`);
      }
      // Fill, digit and white edge all appear across the middle row.
      expect(rgb.size, `slot ${slot}`).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('hot spot panel helpers', () => {
  it('resolves the period choices against the dataset', () => {
    const ds = { firstMonth: '2023-01', lastMonth: '2024-12' };
    expect(resolveHotspotPeriod('last-12', ds)).toEqual({ from: '2024-01', to: '2024-12' });
    expect(resolveHotspotPeriod('all', ds)).toEqual({ from: '2023-01', to: '2024-12' });
    expect(resolveHotspotPeriod('last-24', { firstMonth: '2024-06', lastMonth: '2024-12' })).toEqual({ from: '2024-06', to: '2024-12' });
    expect(resolveHotspotPeriod('last-12', { firstMonth: null, lastMonth: null })).toBeNull();
  });

  it('asks every method for the dataset, the place, the crimes, the months and the grid', () => {
    const dataset = { firstMonth: '2023-01', lastMonth: '2024-12' };
    expect(hotspotParams(DEFAULT_HOTSPOT_QUERY, { dataset, datasetId: 'demo', scopeKey: 'district:E07000001' })).toEqual({
      dataset: 'demo',
      scope: 'district:E07000001',
      categories: ['all-crime'],
      from: '2024-01',
      to: '2024-12',
      shape: 'square',
    });
    expect(hotspotParams({ ...DEFAULT_HOTSPOT_QUERY, cellSize: 200, shape: 'hex' }, { dataset: null, datasetId: null, scopeKey: null })).toEqual({
      categories: ['all-crime'],
      cellSize: 200,
      shape: 'hex',
    });
  });

  it('builds the legend with cell counts per class, the snap-point row and the spot types', () => {
    const l = hotspotLegend(gi, 'Jan 2024 to Dec 2024 (12 months)');
    expect(l.title).toBe('Gi* hot and cold spots: Burglary, Jan 2024 to Dec 2024 (12 months)');
    expect(l.caption).toBe('Cells (squares of 200 m), FDR-corrected');
    expect(l.rows.find((r) => r.label === 'Hot spot, 99 % confidence')!.cells).toBe(1);
    expect(l.rows.find((r) => r.label === 'Cold spot, 99 % confidence')!.cells).toBe(1);
    expect(l.snapCells).toBe(1);
    expect(l.spotTypes).toEqual(['Burglary', 'Robbery']);
    expect(l.source).toBe('Demo (synthetic demo data)');
  });

  it('describes a clicked cell in words, with the snap-point warning', () => {
    const lines = describeCell(gi, 7)!;
    expect(lines[0]).toBe('Hot spot, 99 % confidence (200 m cell).');
    expect(lines[1]).toBe('40 crimes in the cell; Gi* z = 5.2, adjusted p < 0.001.');
    expect(lines[2]).toMatch(/^Warning: 80 % of its crimes sit on one published point/);
    expect(describeCell(gi, 8)![2]).toBe('25 % of its crimes sit on its busiest published point.');
    expect(describeCell(gi, 9)).toHaveLength(2);
    expect(describeCell(gi, 12345)).toBeNull();
  });

  it('gives the map the cells and the numbered spots, with the selection', () => {
    const m = hotspotMapState(gi, { cell: 7, spot: '1-1' })!;
    expect(m.mode).toBe('gi');
    expect(m.cells!.features).toHaveLength(3);
    expect(m.spots!.features).toHaveLength(2);
    expect(m.selectedSpot).toBe('1-1');
    expect(hotspotMapState(null, { cell: null, spot: null })).toBeNull();
  });
});
