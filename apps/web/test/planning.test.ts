import { describe, expect, it } from 'vitest';
import type { FeatureCollection, PolygonGeometry, Position, ProposedCameraView } from '@safer-places/schemas';
import type { CandidateSites, CoverageGaps, DosageReport, HelpPointSuggestions, PatrolPlan, RotationSuggestions } from '../src/features/planner/api';
import { parseCandidateSites } from '../src/features/planner/candidates';
import { gapsMapState, sitesMapState } from '../src/features/planner/coverage';
import { dosageMapState, pointsBounds } from '../src/features/planner/dosage';
import { boxSize, formatDistance, formatLonLat, formatMinutes } from '../src/features/planner/format';
import { helpPointsMapState } from '../src/features/planner/helpPoints';
import { isViewOf, knownViews } from '../src/features/planner/mapFeatures';
import { plannerMapState } from '../src/features/planner/mapState';
import { patrolMapState, planBounds, sheetMap, startMapState } from '../src/features/planner/patrol';
import { DEFAULT_PLANNER_QUERY, plannerRequestKey, proposedCamera, type PlannerAnswers, type PlannerTab } from '../src/features/planner/query';
import { loadPlannerAnswer, type PlanningCalls } from '../src/features/planner/requests';
import { rotationMapState, rotationSiteNumbers } from '../src/features/planner/rotation';
import { camerasWithoutView } from '../src/features/planner/useProposedViews';
import { LAYER_IDS, OVERLAY_ORDER, PLANNING_COLOURS, PLANNING_ICONS, SOURCE_IDS, buildOverlay, planningIconSpec, planningLayers, planningMapImages } from '../src/map/layers';

const start: Position = [1.1, 54.36];
/** A `coverage` polygon as an answer carries it (any closed ring will do: the web draws it as it comes). */
const shape = (lon: number, lat: number): PolygonGeometry => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.001, lat], [lon, lat + 0.001], [lon, lat]]] });
/** The drawn circles (kind "circle"): key and geometry. */
const circles = (fc: FeatureCollection) => fc.features.filter((f) => f.properties.kind === 'circle').map((f) => [f.properties.key, f.geometry]);
const stop = (visit: number, rank: number, lon: number, lat: number) => ({
  visit,
  rank,
  lon,
  lat,
  count: 100 - rank,
  radiusM: 120,
  location: `On or near Street ${rank}`,
  mainTypes: [{ key: 'violent-crime', label: 'Violence and sexual offences', count: 50 }],
  legM: 500,
  cumulativeM: 500 * visit,
  busiestPointShare: 0.2,
  snapPointWarning: false,
});
const plan = {
  dataset: { id: 'demo', name: 'Demo', synthetic: true },
  period: { from: '2024-01', to: '2024-12', months: 12 },
  categories: [{ key: 'all-crime', label: 'All crime and ASB' }],
  crimes: 1000,
  area: null,
  start: { lon: start[0], lat: start[1] },
  roundTrip: true,
  stops: [stop(1, 2, 1.105, 54.361), stop(2, 1, 1.11, 54.365), stop(3, 3, 1.1, 54.37)],
  distance: { totalM: 3100, returnLegM: 1100, nearestNeighbourM: 3500, savedM: 400, method: 'nearest neighbour + 2-opt', straightLine: true },
  dosage: { minutesPerVisit: 15, patrolsPerDay: 2, speedKmh: 5, minutesOnSpotsPerPatrol: 45, travelMinutesPerPatrol: 37, minutesPerPatrol: 82, hoursPerDay: 2.7, hoursPerWeek: 19.1, minutesPerSpotPerDay: 30 },
  notes: [],
} as unknown as PatrolPlan;

describe('candidate sites from a file', () => {
  it('reads CSV with longitude and latitude columns, skipping and naming rows that are not UK positions', () => {
    const r = parseCandidateSites('name,Longitude,Latitude\nA,-1.15,52.95\n"B, the corner",-1.16,52.96\nSwapped,52.95,-1.15\nEmpty,,\n', 'sites.csv');
    expect(r).toEqual({ ok: true, sites: [[-1.15, 52.95], [-1.16, 52.96]], skipped: [expect.stringMatching(/^line 4: .*look swapped/), 'line 5: no longitude and latitude'] });
  });
  it('takes the first two columns as lon, lat when there is no header, and refuses a CSV without coordinates', () => {
    expect(parseCandidateSites('-1.15,52.95\n-1.16;52.96')).toMatchObject({ ok: true, sites: [[-1.15, 52.95], [-1.16, 52.96]] });
    expect(parseCandidateSites('site,street\nA,High Street')).toMatchObject({ ok: false, error: expect.stringMatching(/longitude and latitude columns/) });
  });
  it('reads GeoJSON points and multipoints, skipping other geometries', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [-1.15, 52.95] }, properties: {} },
        { type: 'Feature', geometry: { type: 'MultiPoint', coordinates: [[-1.16, 52.96], [-1.17, 52.97]] }, properties: {} },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[-1.1, 52.9], [-1.2, 52.9]] }, properties: {} },
      ],
    };
    expect(parseCandidateSites(JSON.stringify(fc), 'sites.geojson')).toEqual({ ok: true, sites: [[-1.15, 52.95], [-1.16, 52.96], [-1.17, 52.97]], skipped: ['feature 3: not a point'] });
    expect(parseCandidateSites('{"type":"Point","coordinates":[-1.1,52.9]}')).toMatchObject({ ok: true, sites: [[-1.1, 52.9]] });
  });
  it('says what is wrong with an unusable file', () => {
    expect(parseCandidateSites('')).toMatchObject({ ok: false, error: 'The file is empty.' });
    expect(parseCandidateSites('{"type":', 'x.json')).toMatchObject({ ok: false, error: 'The file is not valid JSON.' });
    expect(parseCandidateSites('lon,lat\n-74,40.7')).toMatchObject({ ok: false, error: expect.stringMatching(/No usable sites: line 2: .*outside the United Kingdom/) });
    const many = ['lon,lat', ...Array.from({ length: 5001 }, () => '-1.1,52.9')].join('\n');
    expect(parseCandidateSites(many)).toMatchObject({ ok: false, error: expect.stringMatching(/5,001 sites; the limit is 5,000/) });
  });
});

describe('formatting', () => {
  it('says distances, durations and positions with their units', () => {
    expect(formatDistance(850)).toBe('850 m');
    expect(formatDistance(1_234)).toBe('1.2 km');
    expect(formatDistance(12_345)).toBe('12 km'); // the shared rule (lib/format): whole kilometres from 10 km
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(150)).toBe('2 h 30 min');
    expect(formatMinutes(120)).toBe('2 h');
    expect(formatLonLat([-1.15, 52.95])).toBe('52.95000° N, 1.15000° W');
    expect(boxSize([-1.2, 52.9, -1.1, 52.95])).toMatch(/^6\.7 km × 5\.5 km$/);
    expect(pointsBounds([])).toBeNull();
    expect(pointsBounds([[-1.1, 52.9]], 0.01)).toEqual([-1.11, 52.894, -1.09, 52.906].map((x) => expect.closeTo(x, 9)));
  });
});

describe('what the planner draws', () => {
  it('draws a patrol as a closed route, the start and stops numbered in visiting order', () => {
    const m = patrolMapState(plan);
    const kinds = m.features.features.map((f) => f.properties.kind);
    expect(kinds).toEqual(['route', 'point', 'point', 'point', 'point']);
    const route = m.features.features[0]!.geometry as unknown as { coordinates: Position[] };
    expect(route.coordinates).toEqual([start, [1.105, 54.361], [1.11, 54.365], [1.1, 54.37], start]);
    expect(m.features.features.slice(1).map((f) => f.properties.icon)).toEqual([PLANNING_ICONS.start, 'sp-hotspot-0-1', 'sp-hotspot-0-2', 'sp-hotspot-0-3']);
    expect(m.legend!.rows.map((r) => r.label)).toEqual(['Start (police station or depot)', 'Hot spot, numbered in visiting order', 'Route, straight lines: 3.1 km round trip']);
    expect(m.legend!.source).toBe('Demo (synthetic demo data)');
    expect(startMapState(null)).toEqual({ features: { type: 'FeatureCollection', features: [] }, legend: null });
    expect(planBounds(plan)).toEqual([1.1 - 0.004, 54.36 - 0.0024, 1.11 + 0.004, 54.37 + 0.0024].map((x) => expect.closeTo(x, 9)));
  });

  it('shades gap cells, marks covered and uncovered spots apart by shape, and draws proposed cameras with their view', () => {
    const gaps = {
      dataset: { id: 'd', name: 'D', synthetic: false },
      period: { from: '2024-01', to: '2024-12', months: 12 },
      categories: [{ key: 'all-crime', label: 'All crime and ASB' }],
      grid: { cellSizeM: 100 },
      before: { gapCells: 2, spots: 2, spotGaps: 1 },
      after: null,
      cameras: { live: 3, proposed: [{ lon: 1, lat: 54, type: 'fixed', radiusM: 100, bearingDeg: 90, fieldOfViewDeg: 60, coverage: shape(1, 54) }] },
      gapCells: {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[1, 54], [1.001, 54], [1.001, 54.001], [1, 54]]] }, properties: { cell: 7 } },
          { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[1, 54], [1.001, 54], [1.001, 54.001], [1, 54]]] }, properties: { cell: 8 } },
        ],
      },
      spots: [
        { rank: 1, lon: 1, lat: 54, gap: true, location: 'A' },
        { rank: 2, lon: 1.01, lat: 54, gap: false, location: 'B' },
      ],
    } as unknown as CoverageGaps;
    const proposed = [proposedCamera([1.0000004, 54.0000004], 'fixed', { bearingDeg: 90, fieldOfViewDeg: 60 })];
    expect(proposed[0]!.location.coordinates).toEqual([1, 54]);
    const m = gapsMapState(gaps, proposed);
    const cells = m.features.features.filter((f) => f.properties.kind === 'cell');
    expect(cells.map((f) => [f.properties.key, f.properties.colour])).toEqual([['cell-7', PLANNING_COLOURS.gap], ['cell-8', PLANNING_COLOURS.gap]]);
    const points = m.features.features.filter((f) => f.properties.kind === 'point');
    expect(points.map((f) => f.properties.icon)).toEqual(['sp-camera-fixed', 'sp-hotspot-0-1', 'sp-hotspot-1-2']);
    expect(circles(m.features)).toEqual([['proposed-0', shape(1, 54)]]); // the answer's view of the camera, as it came
    expect(m.features.features.find((f) => f.properties.kind === 'circle')!.properties.colour).toBe(PLANNING_COLOURS.proposed);
    expect(m.legend!.rows.map((r) => ('count' in r ? r.count : null))).toEqual([2, 1, 1, null]);
  });

  it('numbers rotation sites once across cameras and colours cells by pattern', () => {
    const s = (cell: number, crimes: number) => ({ cell, crimes, lon: 1 + cell / 1000, lat: 54, pattern: 'persistent', location: `S${cell}`, coverage: shape(1 + cell / 1000, 54) });
    const rotation = {
      dataset: { id: 'd', name: 'D', synthetic: false },
      categories: [{ key: 'all-crime', label: 'All crime and ASB' }],
      grid: { cellSizeM: 100, periods: 10 },
      recent: { from: '2024-01', to: '2024-12' },
      radiusM: 75,
      cameras: [{ suggestions: [s(5, 90), s(9, 40)] }, { suggestions: [s(3, 60)] }],
      eligibleCells: {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { cell: 5, pattern: 'emerging' } },
          { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { cell: 3, pattern: 'persistent' } },
        ],
      },
    } as unknown as RotationSuggestions;
    expect([...rotationSiteNumbers(rotation)]).toEqual([[5, 1], [3, 2], [9, 3]]);
    const m = rotationMapState(rotation);
    expect(m.features.features.filter((f) => f.properties.kind === 'cell').map((f) => f.properties.colour)).toEqual([PLANNING_COLOURS.emerging, PLANNING_COLOURS.persistent]);
    expect(m.features.features.filter((f) => f.properties.kind === 'point').map((f) => f.properties.icon)).toEqual(['sp-hotspot-2-1', 'sp-hotspot-2-3', 'sp-hotspot-2-2']);
    expect(circles(m.features)).toEqual([['rotation-1', shape(1.005, 54)], ['rotation-3', shape(1.009, 54)], ['rotation-2', shape(1.003, 54)]]);
  });

  it('rings every help point at the distance, and marks suggested spots and areas', () => {
    const h = {
      dataset: { id: 'd', name: 'D', synthetic: false },
      period: { from: '2024-01', to: '2024-12' },
      distanceM: 300,
      helpPoints: { total: 1, live: 1, planned: 0, reach: [{ id: 'h1', name: 'H1', status: 'live', lon: 1, lat: 54, coverage: shape(1, 54) }] },
      spots: [
        { rank: 1, lon: 1, lat: 54, suggest: false, location: 'A' },
        { rank: 2, lon: 1.02, lat: 54, suggest: true, location: 'B' },
      ],
      areas: [{ id: 'a1', name: 'NTE', suggest: true, busiestPoint: { lon: 1.05, lat: 54.01 } }],
    } as unknown as HelpPointSuggestions;
    const m = helpPointsMapState(h);
    expect(m.features.features.map((f) => f.properties.kind)).toEqual(['circle', 'point', 'point', 'point']);
    expect(circles(m.features)).toEqual([['reach-0', shape(1, 54)]]);
    expect(m.features.features.slice(1).map((f) => f.properties.icon)).toEqual(['sp-hotspot-1-1', 'sp-hotspot-0-2', PLANNING_ICONS.helpSuggested]);
  });

  it('shows an answer only while it answers what the tab now asks', () => {
    const dataset = { id: 'demo', version: 'v1', firstMonth: '2023-01', lastMonth: '2024-12' };
    const q = { ...DEFAULT_PLANNER_QUERY, start };
    const key = plannerRequestKey('patrol', q, dataset)!;
    expect(plannerRequestKey('patrol', DEFAULT_PLANNER_QUERY, dataset)).toBeNull(); // no start yet
    expect(plannerRequestKey('patrol', { ...q, top: 5 }, dataset)).not.toBe(key);
    expect(plannerRequestKey('gaps', q, dataset)).not.toBe(plannerRequestKey('gaps', { ...q, proposed: [proposedCamera(start, 'ptz')] }, dataset));
    expect(plannerRequestKey('gaps', q, dataset, { assets: 'c1:1' })).not.toBe(plannerRequestKey('gaps', q, dataset, { assets: 'c1:2' }));
    expect(plannerRequestKey('rotation', q, dataset)).toBe(plannerRequestKey('rotation', { ...q, period: 'last-3' }, dataset)); // always the whole dataset
    const shown = plannerMapState('patrol', q, { patrol: { key, result: plan } }, { current: key }, []);
    expect(shown.features.features).toHaveLength(5);
    const stale = plannerMapState('patrol', q, { patrol: { key: 'old', result: plan } }, { current: key }, []);
    expect(stale.features.features.map((f) => f.properties.key)).toEqual(['start']);
  });
});

describe('the patrol sheet’s route map', () => {
  it('fits the start and stops inside the frame, true to scale, with a 1-2-5 scale bar', () => {
    const m = sheetMap(plan, 640, 360);
    for (const p of [m.start, ...m.stops]) {
      expect(p.x).toBeGreaterThanOrEqual(28 - 0.1);
      expect(p.x).toBeLessThanOrEqual(640 - 28 + 0.1);
      expect(p.y).toBeGreaterThanOrEqual(28 - 0.1);
      expect(p.y).toBeLessThanOrEqual(360 - 28 + 0.1);
    }
    // North is up: the northernmost stop (visit 3) is highest.
    expect(m.stops[2]!.y).toBeLessThan(m.start.y);
    expect(m.path.startsWith(`M${m.start.x} ${m.start.y}`)).toBe(true);
    expect(m.path.endsWith(`L${m.start.x} ${m.start.y}`)).toBe(true);
    expect(m.scale.label).toMatch(/^(1|2|5)(00)? (m|km)$|^(10|20|50|100|200|500) m$/);
    expect(m.scale.lengthPx).toBeLessThanOrEqual(160);
  });
});

describe('planner map layers (style as data)', () => {
  it('adds one source and seven layers filtered by feature kind', () => {
    const fc: FeatureCollection = { type: 'FeatureCollection', features: [] };
    const b = planningLayers({ data: fc });
    expect(b.sources.map((s) => s.id)).toEqual([SOURCE_IDS.planning]);
    expect(b.layers.map((l) => [l.id, (l as { filter?: unknown }).filter])).toEqual([
      [LAYER_IDS.planningCellsFill, ['==', ['get', 'kind'], 'cell']],
      [LAYER_IDS.planningCellsOutline, ['==', ['get', 'kind'], 'cell']],
      [LAYER_IDS.planningCirclesFill, ['==', ['get', 'kind'], 'circle']],
      [LAYER_IDS.planningCirclesOutline, ['==', ['get', 'kind'], 'circle']],
      [LAYER_IDS.planningRouteCasing, ['==', ['get', 'kind'], 'route']],
      [LAYER_IDS.planningRouteLine, ['==', ['get', 'kind'], 'route']],
      [LAYER_IDS.planningPointsSymbol, ['==', ['get', 'kind'], 'point']],
    ]);
    const symbol = b.layers.find((l) => l.id === LAYER_IDS.planningPointsSymbol) as { layout: Record<string, unknown> };
    expect(symbol.layout['icon-image']).toEqual(['get', 'icon']);
  });

  it('draws gap cells under the cameras and coverage circles, and the route and markers over every asset', () => {
    const order = (id: string) => OVERLAY_ORDER.indexOf(id as never);
    expect(order(LAYER_IDS.planningCellsFill)).toBeLessThan(order(LAYER_IDS.coverageFill));
    expect(order(LAYER_IDS.planningCellsFill)).toBeGreaterThan(order(LAYER_IDS.lsoaOutline));
    expect(order(LAYER_IDS.planningPointsSymbol)).toBeGreaterThan(order(LAYER_IDS.helpPointsSymbol));
    expect(order(LAYER_IDS.planningRouteLine)).toBeLessThan(order(LAYER_IDS.planningPointsSymbol));
    const overlay = buildOverlay({
      visible: { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true },
      coverage: false,
      choropleth: { classByCode: new Map(), colours: [], noDataColour: '#fff' },
      selected: null,
      draft: null,
      planning: {},
    });
    const ids = overlay.layers.map((l) => l.id);
    expect(ids.indexOf(LAYER_IDS.planningPointsSymbol)).toBeGreaterThan(ids.indexOf(LAYER_IDS.camerasSymbol));
  });

  it('paints every icon the planner names, the same bytes on the map and in the legend', () => {
    expect(planningIconSpec(PLANNING_ICONS.start)).toMatchObject({ shape: 'square', fill: '#F0E442' });
    expect(planningIconSpec(PLANNING_ICONS.helpSuggested)).toMatchObject({ shape: 'diamond', glyph: { kind: 'plus' } });
    expect(planningIconSpec('sp-hotspot-1-7')).toMatchObject({ shape: 'square', glyph: { kind: 'digits', text: '7' } });
    expect(planningIconSpec('sp-camera-ptz')).toMatchObject({ shape: 'square' });
    expect(planningIconSpec('nope')).toBeNull();
    expect([...planningMapImages(2).keys()]).toEqual([PLANNING_ICONS.start, PLANNING_ICONS.helpSuggested]);
  });
});

describe('circles and camera views from the answers', () => {
  const header = { dataset: { id: 'd', name: 'D', synthetic: false }, period: { from: '2024-01', to: '2024-12', months: 12 }, categories: [{ key: 'all-crime', label: 'All crime and ASB' }] };
  const ptz = proposedCamera([1.2, 54.1], 'ptz');
  const facing = proposedCamera([1.3, 54.2], 'fixed', { bearingDeg: 45, fieldOfViewDeg: 90 });
  const viewOf = (p: typeof ptz, radiusM: number, coverage: PolygonGeometry): ProposedCameraView => ({
    id: null,
    name: 'Proposed camera',
    type: p.type,
    lon: p.location.coordinates[0],
    lat: p.location.coordinates[1],
    radiusM,
    bearingDeg: p.bearingDeg ?? null,
    fieldOfViewDeg: p.fieldOfViewDeg ?? null,
    coverage,
  });

  it('draws each new camera site and each proposed camera with the coverage the answer gives', () => {
    const sites = {
      ...header,
      camera: { type: 'fixed', typeLabel: 'Fixed', radiusM: 100 },
      picks: [
        { rank: 1, lon: 1, lat: 54, radiusM: 100, location: 'A', coverage: shape(1, 54) },
        { rank: 2, lon: 1.01, lat: 54, radiusM: 100, location: 'B', coverage: shape(1.01, 54) },
      ],
      proposed: [viewOf(ptz, 150, shape(1.2, 54.1))],
    } as unknown as CandidateSites;
    const m = sitesMapState(sites, [ptz]);
    expect(circles(m.features)).toEqual([['site-1', shape(1, 54)], ['site-2', shape(1.01, 54)], ['proposed-0', shape(1.2, 54.1)]]);
    expect(m.features.features.filter((f) => f.properties.kind === 'circle').map((f) => f.properties.colour)).toEqual([PLANNING_COLOURS.site, PLANNING_COLOURS.site, PLANNING_COLOURS.proposed]);
    expect(m.features.features.filter((f) => f.properties.kind === 'point').map((f) => f.properties.key)).toEqual(['proposed-0', 'site-1', 'site-2']);
  });

  it('draws each patrolled spot with its circle from the dosage report', () => {
    const report = {
      dataset: header.dataset,
      month: '2024-11',
      spots: [{ key: 's1', spotName: 'Market', lon: 1, lat: 54, radiusM: 120, coverage: shape(1, 54) }],
    } as unknown as DosageReport;
    const m = dosageMapState(report);
    expect(m.features.features.map((f) => [f.properties.kind, f.properties.key])).toEqual([['circle', 'dosage-0'], ['point', 'dosage-1']]);
    expect(circles(m.features)).toEqual([['dosage-0', shape(1, 54)]]);
    expect(m.features.features[0]!.properties.colour).toBe(PLANNING_COLOURS.route);
  });

  it('matches a proposed camera to its view by place, type, radius and view', () => {
    const v = viewOf(facing, 100, shape(1.3, 54.2));
    expect(isViewOf(facing, v)).toBe(true);
    expect(isViewOf(facing, { ...v, lon: 1.3000004 })).toBe(true); // the server rounds to 6 decimals, as proposedCamera does
    expect(isViewOf(facing, { ...v, bearingDeg: 90 })).toBe(false);
    expect(isViewOf(facing, { ...v, radiusM: 150 })).toBe(false);
    expect(isViewOf(proposedCamera([1.3, 54.2], 'fixed'), v)).toBe(false); // all round is another view
    expect(isViewOf({ ...facing, coverageRadiusM: 60 }, { ...v, radiusM: 60 })).toBe(true);
    expect(knownViews([ptz, facing], [v])).toEqual([undefined, shape(1.3, 54.2)]);
  });

  it('draws proposed cameras before the gaps answer with the views it knows, and asks only for the others', () => {
    const dataset = { id: 'demo', version: 'v1', firstMonth: '2023-01', lastMonth: '2024-12' };
    const query = { ...DEFAULT_PLANNER_QUERY, proposed: [ptz, facing] };
    const key = plannerRequestKey('gaps', query, dataset)!;
    // An earlier answer (one camera) drew the PTZ camera's view; the second camera's view has been asked for.
    const earlier = { key: 'old', result: { cameras: { live: 0, proposed: [viewOf(ptz, 150, shape(1.2, 54.1))] } } as unknown as CoverageGaps };
    const none = plannerMapState('gaps', query, { gaps: earlier }, { current: key }, []);
    expect(circles(none.features)).toEqual([['proposed-0', shape(1.2, 54.1)]]);
    expect(none.features.features.filter((f) => f.properties.kind === 'point').map((f) => f.properties.key)).toEqual(['proposed-0', 'proposed-1']);
    expect(camerasWithoutView({ tab: 'gaps', query, answers: { gaps: earlier }, key, cameraViews: [] })).toEqual([facing]);

    const asked = [viewOf(facing, 100, shape(1.3, 54.2))];
    const both = plannerMapState('gaps', query, { gaps: earlier }, { current: key }, asked);
    expect(circles(both.features)).toEqual([['proposed-0', shape(1.2, 54.1)], ['proposed-1', shape(1.3, 54.2)]]);
    expect(camerasWithoutView({ tab: 'gaps', query, answers: { gaps: earlier }, key, cameraViews: asked })).toEqual([]);
    // Nothing to ask on another tab, or once the gaps answer is current.
    expect(camerasWithoutView({ tab: 'sites', query, answers: {}, key, cameraViews: [] })).toEqual([]);
    expect(camerasWithoutView({ tab: 'gaps', query, answers: { gaps: { ...earlier, key } }, key, cameraViews: [] })).toEqual([]);
  });
});

describe('what each planner tab asks the server', () => {
  const dataset = { id: 'demo', version: 'v1', firstMonth: '2023-01', lastMonth: '2024-12' };
  const query = { ...DEFAULT_PLANNER_QUERY, start: start, categories: ['violent-crime' as const], proposed: [proposedCamera(start, 'ptz')] };
  const ask = async (tab: PlannerTab, extra: { scopeKey?: string | null; dosageMonth?: string | null; candidates?: Position[] } = {}) => {
    const calls: [string, unknown, AbortSignal | undefined][] = [];
    const fake = (name: string) => async (q: unknown, signal?: AbortSignal) => {
      calls.push([name, q, signal]);
      return { answer: name };
    };
    const api = {
      patrolPlan: fake('patrolPlan'),
      coverageGaps: fake('coverageGaps'),
      candidateSites: fake('candidateSites'),
      rotation: fake('rotation'),
      helpPointSuggestions: fake('helpPointSuggestions'),
      dosageReport: fake('dosageReport'),
    } as unknown as PlanningCalls;
    const stored: Partial<Record<keyof PlannerAnswers, unknown>> = {};
    const signal = new AbortController().signal;
    const q = extra.candidates ? { ...query, candidates: { name: 'sites.csv', sites: extra.candidates } } : query;
    await loadPlannerAnswer(api, { tab, query: q, dataset, scopeKey: extra.scopeKey ?? null, dosageMonth: extra.dosageMonth ?? null }, 'k1', (t, a) => (stored[t] = a), signal);
    expect(calls).toHaveLength(1);
    expect(calls[0]![2]).toBe(signal);
    return { call: calls[0]!, stored };
  };

  it('asks the one call of the tab, for the place and months chosen, and keeps the answer under its key', async () => {
    const patrol = await ask('patrol', { scopeKey: 'district:E07000174' });
    expect(patrol.call[0]).toBe('patrolPlan');
    expect(patrol.call[1]).toEqual({
      dataset: 'demo',
      scope: 'district:E07000174',
      categories: ['violent-crime'],
      from: '2024-01',
      to: '2024-12',
      start,
      bbox: null,
      top: 10,
      minutes: 15,
      perDay: 2,
      speedKmh: 5,
      roundTrip: true,
    });
    expect(patrol.stored).toEqual({ patrol: { key: 'k1', result: { answer: 'patrolPlan' } } });

    const gaps = await ask('gaps');
    expect(gaps.call[1]).toEqual({ dataset: 'demo', categories: ['violent-crime'], from: '2024-01', to: '2024-12', top: 10, proposed: query.proposed });
    expect(gaps.stored).toEqual({ gaps: { key: 'k1', result: { answer: 'coverageGaps' } } });

    expect((await ask('sites')).call[1]).toEqual({ dataset: 'demo', categories: ['violent-crime'], from: '2024-01', to: '2024-12', k: 5, cameraType: 'fixed', proposed: query.proposed });
    expect((await ask('sites', { candidates: [start] })).call[1]).toMatchObject({ candidates: [start] });

    // Rotation looks at every month of the dataset.
    const rotation = await ask('rotation');
    expect(rotation.call[1]).toEqual({ dataset: 'demo', categories: ['violent-crime'], from: '2023-01', to: '2024-12', suggestions: 3 });

    // Help points count their own crimes (VAWG-related), so no categories are sent.
    const help = await ask('help', { scopeKey: 'csp:C1' });
    expect(help.call[1]).toEqual({ dataset: 'demo', scope: 'csp:C1', from: '2024-01', to: '2024-12', top: 10, distanceM: 300 });
    expect(help.stored).toEqual({ help: { key: 'k1', result: { answer: 'helpPointSuggestions' } } });

    // The dosage log is the organisation's own: no place, just the month when one is chosen.
    expect((await ask('dosage', { scopeKey: 'csp:C1' })).call[1]).toEqual({ dataset: 'demo' });
    expect((await ask('dosage', { dosageMonth: '2024-11' })).call[1]).toEqual({ dataset: 'demo', month: '2024-11' });
  });
});
