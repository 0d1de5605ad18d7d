import { cameraViewPolygon } from '@safer-places/geo';
import type { BBox, CameraType, CategorySelection, Feature, FeatureCollection, Geometry, Position } from '@safer-places/schemas';
import { CAMERA_TYPE_LABELS, DEFAULT_COVERAGE_RADIUS_M, MAX_CANDIDATE_SITES, pointSchema } from '@safer-places/schemas';
import type { CandidateSites, CoverageGaps, DosageReport, HelpPointSuggestions, PatrolPlan, ProposedCameraBody, RotationSuggestions } from '../api/planning';
import { cameraIconId, hotspotRankIconId, MAX_RANK_ICON } from '../map/icons';
import { PLANNING_COLOURS, PLANNING_ICONS } from '../map/layers/planning';
import { formatDistance, formatInteger, formatNumber, monthLabelLong } from './format';
import { HOTSPOT_PERIODS, resolveHotspotPeriod, type HotspotPeriod } from './hotspots';
import { periodLabel, type MonthRange } from './period';
import { csvCells } from './upload';

/*
 * The planner panel's choices and what the map and legend make of the server's answers. Pure: tested as data.
 */

export type PlannerTab = 'patrol' | 'gaps' | 'sites' | 'rotation' | 'help' | 'dosage';

export const PLANNER_TABS: readonly { value: PlannerTab; label: string; hint: string }[] = [
  { value: 'patrol', label: 'Patrol plan', hint: 'The top hot spots in a short visiting order from a start point, with the time the dosage takes.' },
  { value: 'gaps', label: 'Coverage gaps', hint: 'Hot cells and top hot spots no camera covers; drop a camera to see what it would change.' },
  { value: 'sites', label: 'Camera sites', hint: 'Where new cameras would newly cover the most crimes (greedy).' },
  { value: 'rotation', label: 'Rotation', hint: 'Next sites for re-deployable cameras, and their deployment history.' },
  { value: 'help', label: 'Help points', hint: 'VAWG-related hot spots and areas far from a refuge help point.' },
  { value: 'dosage', label: 'Dosage log', hint: 'Patrol visits recorded, and the monthly report of hours and crimes.' },
];

export interface PlannerQuery {
  categories: CategorySelection[];
  period: HotspotPeriod;
  /** Spots to patrol (top N). */
  top: number;
  minutes: number;
  perDay: number;
  speedKmh: number;
  roundTrip: boolean;
  start: Position | null;
  /** Only hot spots in this box (the map view when chosen); null for the whole dataset. */
  area: BBox | null;
  /** New cameras to site. */
  k: number;
  cameraType: CameraType;
  /** "What if" cameras dropped on the map. */
  proposed: ProposedCameraBody[];
  /** Feasible sites uploaded by the user (null: the hot-cell centroids). */
  candidates: { name: string; sites: Position[] } | null;
  helpDistanceM: number;
}

export const DEFAULT_PLANNER_QUERY: PlannerQuery = {
  categories: ['all-crime'],
  period: 'last-12',
  top: 10,
  minutes: 15,
  perDay: 2,
  speedKmh: 5,
  roundTrip: true,
  start: null,
  area: null,
  k: 5,
  cameraType: 'fixed',
  proposed: [],
  candidates: null,
  helpDistanceM: 300,
};

export const PLANNER_PERIODS = HOTSPOT_PERIODS.filter((p) => p.value !== 'all');
export const TOP_SPOT_CHOICES = [5, 8, 10, 15, 20] as const;
export const MINUTE_CHOICES = [10, 15, 20, 30] as const;
export const PER_DAY_CHOICES = [1, 2, 3, 4] as const;
export const SPEED_CHOICES = [
  { value: 5, label: 'On foot (5 km/h)' },
  { value: 15, label: 'Bicycle (15 km/h)' },
  { value: 30, label: 'Vehicle (30 km/h)' },
] as const;
export const K_CHOICES = [1, 2, 3, 5, 8, 10] as const;
/** Camera types in few words, for narrow selects: "PTZ (150 m)". */
export const CAMERA_SHORT_LABELS: Record<CameraType, string> = { fixed: 'Fixed', ptz: 'PTZ', redeployable: 'Re-deployable', anpr: 'ANPR' };

/** The box around the start and the stops, with a margin, to show a whole plan. */
export function planBounds(plan: PatrolPlan, marginDeg = 0.004): BBox {
  const lons = [plan.start.lon, ...plan.stops.map((s) => s.lon)];
  const lats = [plan.start.lat, ...plan.stops.map((s) => s.lat)];
  return [Math.min(...lons) - marginDeg, Math.min(...lats) - marginDeg * 0.6, Math.max(...lons) + marginDeg, Math.max(...lats) + marginDeg * 0.6];
}

/** The box around some points, with a margin (degrees of longitude; a little less of latitude). */
export function pointsBounds(points: readonly Position[], marginDeg = 0.006): BBox | null {
  if (points.length === 0) return null;
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lons) - marginDeg, Math.min(...lats) - marginDeg * 0.6, Math.max(...lons) + marginDeg, Math.max(...lats) + marginDeg * 0.6];
}

/** "3.2 km × 2.1 km" for a box. */
export function boxSize(b: BBox): string {
  const kx = 111_320 * Math.cos((((b[1] + b[3]) / 2) * Math.PI) / 180);
  return `${formatDistance((b[2] - b[0]) * kx)} × ${formatDistance((b[3] - b[1]) * 110_574)}`;
}

export function plannerPeriod(choice: HotspotPeriod, dataset: { firstMonth: string | null; lastMonth: string | null } | null): MonthRange | null {
  return resolveHotspotPeriod(choice, dataset);
}

/** The product's one distance format (850 → "850 m", 1,234 → "1.2 km"), kept here for the planner's imports. */
export { formatDistance };

/** 45 → "45 min", 150 → "2 h 30 min", 120 → "2 h". */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? `${formatInteger(h)} h` : `${formatInteger(h)} h ${rest} min`;
}

export function formatLonLat(p: Position): string {
  return `${p[1].toFixed(5)}° N, ${Math.abs(p[0]).toFixed(5)}° ${p[0] < 0 ? 'W' : 'E'}`;
}

/* ---------------------------------------------------------------- candidate sites from a file */

export type CandidateParse = { ok: true; sites: Position[]; skipped: string[] } | { ok: false; error: string };

function checkPosition(lon: number, lat: number): string | null {
  const r = pointSchema.safeParse({ type: 'Point', coordinates: [lon, lat] });
  return r.success ? null : (r.error.issues[0]?.message ?? 'not a UK position');
}

/** A site list's cells: commas, semicolons or tabs, trimmed. */
function splitCsv(line: string): string[] {
  return csvCells(line, ',;\t').map((c) => c.trim());
}

/**
 * Feasible camera sites from a file the user chose: GeoJSON points (a FeatureCollection, a Feature, a Point or
 * MultiPoint) or CSV with longitude and latitude columns (named lon/lng/longitude/x and lat/latitude/y, or the first
 * two columns when there is no header). Rows that are not UK positions are skipped and named.
 */
export function parseCandidateSites(text: string, fileName = ''): CandidateParse {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return { ok: false, error: 'The file is empty.' };
  const sites: Position[] = [];
  const skipped: string[] = [];
  const add = (lon: number, lat: number, where: string) => {
    const problem = checkPosition(lon, lat);
    if (problem) skipped.push(`${where}: ${problem}`);
    else sites.push([lon, lat]);
  };
  if (/\.(geo)?json$/i.test(fileName) || trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      return { ok: false, error: 'The file is not valid JSON.' };
    }
    const geometries: { g: Geometry | { type: 'MultiPoint'; coordinates: Position[] }; where: string }[] = [];
    const d = doc as { type?: string; features?: { geometry?: unknown }[]; geometry?: unknown };
    if (d.type === 'FeatureCollection' && Array.isArray(d.features)) d.features.forEach((f, i) => geometries.push({ g: f.geometry as Geometry, where: `feature ${i + 1}` }));
    else if (d.type === 'Feature') geometries.push({ g: d.geometry as Geometry, where: 'the feature' });
    else geometries.push({ g: d as Geometry, where: 'the geometry' });
    for (const { g, where } of geometries) {
      if (g?.type === 'Point' && Array.isArray(g.coordinates)) add(Number(g.coordinates[0]), Number(g.coordinates[1]), where);
      else if (g?.type === 'MultiPoint' && Array.isArray(g.coordinates)) g.coordinates.forEach((c, k) => add(Number(c[0]), Number(c[1]), `${where}, point ${k + 1}`));
      else skipped.push(`${where}: not a point`);
    }
  } else {
    const lines = trimmed.split(/\r?\n/);
    const head = splitCsv(lines[0]!).map((h) => h.toLowerCase());
    const lonCol = head.findIndex((h) => ['lon', 'lng', 'long', 'longitude', 'x'].includes(h));
    const latCol = head.findIndex((h) => ['lat', 'latitude', 'y'].includes(h));
    const hasHeader = lonCol >= 0 && latCol >= 0;
    if (!hasHeader && head.some((h) => h !== '' && !Number.isFinite(Number(h)))) {
      return { ok: false, error: 'The CSV needs longitude and latitude columns (headed lon and lat, or longitude and latitude).' };
    }
    const [lc, ac] = hasHeader ? [lonCol, latCol] : [0, 1];
    lines.slice(hasHeader ? 1 : 0).forEach((line, i) => {
      if (!line.trim()) return;
      const cells = splitCsv(line);
      const lon = Number(cells[lc]), lat = Number(cells[ac]);
      const where = `line ${i + (hasHeader ? 2 : 1)}`;
      if (cells[lc] === '' || cells[ac] === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) skipped.push(`${where}: no longitude and latitude`);
      else add(lon, lat, where);
    });
  }
  if (sites.length === 0) return { ok: false, error: skipped.length > 0 ? `No usable sites: ${skipped.slice(0, 3).join('; ')}.` : 'No sites found in the file.' };
  if (sites.length > MAX_CANDIDATE_SITES) return { ok: false, error: `The file lists ${formatInteger(sites.length)} sites; the limit is ${formatInteger(MAX_CANDIDATE_SITES)}.` };
  return { ok: true, sites, skipped };
}

/* ---------------------------------------------------------------- the map and its legend */

export type PlannerLegendRow =
  | { kind: 'icon'; icon: string; label: string; count?: number }
  | { kind: 'fill'; colour: string; label: string; count?: number }
  | { kind: 'line'; colour: string; dashed: boolean; label: string };

export interface PlannerLegend {
  title: string;
  rows: PlannerLegendRow[];
  note?: string;
  source: string;
}

export interface PlanningMapState {
  features: FeatureCollection;
  legend: PlannerLegend | null;
}

type Props = Record<string, unknown>;
const point = (p: Position, props: Props): Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { kind: 'point', ...props } });
const circle = (p: Position, radiusM: number, colour: string, key: string, view: { bearing?: number | null; fieldOfView?: number | null } = {}): Feature => ({
  type: 'Feature',
  geometry: cameraViewPolygon(p, radiusM, { ...(view.bearing != null && view.fieldOfView != null && { bearing: view.bearing, fieldOfView: view.fieldOfView }) }, 48),
  properties: { kind: 'circle', colour, key },
});
/** A numbered marker: the rank icons (1–20) of a slot, or the plain slot marker beyond. */
const rankIcon = (slot: number, n: number) => hotspotRankIconId(slot, Math.min(n, MAX_RANK_ICON));
const sourceOf = (d: { dataset: { name: string; synthetic: boolean } }) =>
  `${d.dataset.name}${d.dataset.synthetic && !/synthetic/i.test(d.dataset.name) ? ' (synthetic demo data)' : ''}`;
const periodOf = (d: { period: { from: string; to: string } }) => periodLabel(d.period.from, d.period.to);

/** Before a plan exists: the start point chosen so far. */
export function startMapState(start: Position | null): PlanningMapState {
  return {
    features: { type: 'FeatureCollection', features: start ? [point(start, { icon: PLANNING_ICONS.start, key: 'start', label: 'Start' })] : [] },
    legend: start ? { title: 'Patrol plan', rows: [{ kind: 'icon', icon: PLANNING_ICONS.start, label: 'Start (police station or depot)' }], source: '' } : null,
  };
}

export function patrolMapState(plan: PatrolPlan, selected: number | null = null): PlanningMapState {
  const start: Position = [plan.start.lon, plan.start.lat];
  const path: Position[] = [start, ...plan.stops.map((s) => [s.lon, s.lat] as Position)];
  if (plan.roundTrip) path.push(start);
  return {
    features: {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'LineString', coordinates: path } as unknown as Geometry, properties: { kind: 'route', key: 'route' } },
        point(start, { icon: PLANNING_ICONS.start, key: 'start', label: 'Start' }),
        ...plan.stops.map((s) => point([s.lon, s.lat], { icon: rankIcon(0, s.visit), key: `stop-${s.visit}`, order: s.visit, selected: selected === s.visit, label: s.location ?? '' })),
      ],
    },
    legend: {
      title: `Patrol plan: top ${plan.stops.length} hot spots, ${plan.categories.map((c) => c.label).join(', ')}, ${periodOf(plan)}`,
      rows: [
        { kind: 'icon', icon: PLANNING_ICONS.start, label: 'Start (police station or depot)' },
        { kind: 'icon', icon: rankIcon(0, 1), label: 'Hot spot, numbered in visiting order', count: plan.stops.length },
        { kind: 'line', colour: PLANNING_COLOURS.route, dashed: false, label: `Route, straight lines: ${formatDistance(plan.distance.totalM)}${plan.roundTrip ? ' round trip' : ''}` },
      ],
      note: 'Order: nearest neighbour + 2-opt.',
      source: sourceOf(plan),
    },
  };
}

function proposedFeatures(proposed: readonly ProposedCameraBody[]): Feature[] {
  return proposed.flatMap((p, i) => {
    const r = p.coverageRadiusM ?? DEFAULT_COVERAGE_RADIUS_M[p.type];
    return [
      circle(p.location.coordinates, r, PLANNING_COLOURS.proposed, `proposed-${i}`, { bearing: p.bearingDeg ?? null, fieldOfView: p.fieldOfViewDeg ?? null }),
      point(p.location.coordinates, { icon: cameraIconId(p.type), key: `proposed-${i}`, label: `Proposed ${CAMERA_TYPE_LABELS[p.type]}` }),
    ];
  });
}

export function gapsMapState(gaps: CoverageGaps, proposed: readonly ProposedCameraBody[]): PlanningMapState {
  const cells = gaps.gapCells.features.map((f) => ({ ...f, properties: { ...f.properties, kind: 'cell', colour: PLANNING_COLOURS.gap, key: `cell-${String(f.properties.cell)}` } }));
  const spots = gaps.spots.map((s) => point([s.lon, s.lat], { icon: rankIcon(s.gap ? 0 : 1, s.rank), key: `spot-${s.rank}`, order: s.rank, label: s.location ?? '' }));
  const figures = gaps.after ?? gaps.before;
  return {
    features: { type: 'FeatureCollection', features: [...(cells as Feature[]), ...proposedFeatures(proposed), ...spots] },
    legend: {
      title: `CCTV coverage gaps: ${gaps.categories.map((c) => c.label).join(', ')}, ${periodOf(gaps)}`,
      rows: [
        { kind: 'fill', colour: PLANNING_COLOURS.gap, label: `Hot cell (${gaps.grid.cellSizeM} m) no camera covers`, count: figures.gapCells },
        { kind: 'icon', icon: rankIcon(0, 1), label: 'Top hot spot, not covered', count: figures.spotGaps },
        { kind: 'icon', icon: rankIcon(1, 1), label: 'Top hot spot, covered', count: figures.spots - figures.spotGaps },
        ...(proposed.length > 0 ? [{ kind: 'line' as const, colour: PLANNING_COLOURS.proposed, dashed: true, label: `Proposed camera's view ("what if")` }] : []),
      ],
      note: 'Turn on CCTV cameras and coverage circles in the layer list to see existing cameras.',
      source: sourceOf(gaps),
    },
  };
}

export function sitesMapState(sites: CandidateSites, proposed: readonly ProposedCameraBody[]): PlanningMapState {
  return {
    features: {
      type: 'FeatureCollection',
      features: [
        ...sites.picks.map((p) => circle([p.lon, p.lat], p.radiusM, PLANNING_COLOURS.site, `site-${p.rank}`)),
        ...proposedFeatures(proposed),
        ...sites.picks.map((p) => point([p.lon, p.lat], { icon: rankIcon(1, p.rank), key: `site-${p.rank}`, order: p.rank, label: p.location ?? '' })),
      ],
    },
    legend: {
      title: `New camera sites (${sites.camera.typeLabel}, ${formatInteger(sites.camera.radiusM)} m): ${sites.categories.map((c) => c.label).join(', ')}, ${periodOf(sites)}`,
      rows: [
        { kind: 'icon', icon: rankIcon(1, 1), label: 'Site, numbered in order of pick', count: sites.picks.length },
        { kind: 'line', colour: PLANNING_COLOURS.site, dashed: true, label: `Its ${formatInteger(sites.camera.radiusM)} m coverage` },
      ],
      note: 'Greedy selection: each pick covers the most crimes not yet covered.',
      source: sourceOf(sites),
    },
  };
}

export function rotationMapState(rotation: RotationSuggestions): PlanningMapState {
  const colour = (pattern: unknown) => (pattern === 'emerging' ? PLANNING_COLOURS.emerging : PLANNING_COLOURS.persistent);
  const numbered = rotationSiteNumbers(rotation);
  const suggestions = rotation.cameras.flatMap((c) => c.suggestions.map((s) => ({ s, n: numbered.get(s.cell)! })));
  const cells = rotation.eligibleCells.features.map((f) => ({ ...f, properties: { ...f.properties, kind: 'cell', colour: colour(f.properties.pattern), key: `cell-${String(f.properties.cell)}` } }));
  const count = (p: string) => rotation.eligibleCells.features.filter((f) => f.properties.pattern === p).length;
  return {
    features: {
      type: 'FeatureCollection',
      features: [
        ...(cells as Feature[]),
        ...suggestions.map(({ s, n }) => circle([s.lon, s.lat], rotation.radiusM, PLANNING_COLOURS.rotation, `rotation-${n}`)),
        ...suggestions.map(({ s, n }) => point([s.lon, s.lat], { icon: rankIcon(2, n), key: `rotation-${n}`, order: n, label: s.location ?? '' })),
      ],
    },
    legend: {
      title: `Re-deployable cameras: next sites, ${rotation.categories.map((c) => c.label).join(', ')}`,
      rows: [
        { kind: 'fill', colour: PLANNING_COLOURS.emerging, label: 'Emerging hot spot cell, not otherwise covered', count: count('emerging') },
        { kind: 'fill', colour: PLANNING_COLOURS.persistent, label: 'Persistent hot spot cell, not otherwise covered', count: count('persistent') },
        { kind: 'icon', icon: rankIcon(2, 1), label: 'Suggested site, numbered', count: suggestions.length },
        { kind: 'line', colour: PLANNING_COLOURS.rotation, dashed: true, label: `Coverage there (${formatInteger(rotation.radiusM)} m)` },
      ],
      note: `Cells of ${rotation.grid.cellSizeM} m over ${rotation.grid.periods} sub-periods; crimes counted ${periodLabel(rotation.recent.from, rotation.recent.to)}.`,
      source: sourceOf(rotation),
    },
  };
}

/** Site numbers across all cameras, in the server's ranking order (the order the sites were dealt out). */
export function rotationSiteNumbers(rotation: RotationSuggestions): Map<number, number> {
  const all = rotation.cameras.flatMap((c) => c.suggestions).sort((a, b) => b.crimes - a.crimes || a.cell - b.cell);
  return new Map(all.map((s, i) => [s.cell, i + 1]));
}

export function helpPointsMapState(h: HelpPointSuggestions, helpPoints: readonly { coordinates: Position }[]): PlanningMapState {
  const suggestedAreas = h.areas.filter((a) => a.suggest && a.busiestPoint);
  return {
    features: {
      type: 'FeatureCollection',
      features: [
        ...helpPoints.map((p, i) => circle(p.coordinates, h.distanceM, PLANNING_COLOURS.helpReach, `reach-${i}`)),
        ...h.spots.map((s) => point([s.lon, s.lat], { icon: rankIcon(s.suggest ? 0 : 1, s.rank), key: `help-spot-${s.rank}`, order: s.rank, label: s.location ?? '' })),
        ...suggestedAreas.map((a) => point([a.busiestPoint!.lon, a.busiestPoint!.lat], { icon: PLANNING_ICONS.helpSuggested, key: `help-area-${a.id}`, label: a.name })),
      ],
    },
    legend: {
      title: `Help points: VAWG-related hot spots, ${periodOf(h)}`,
      rows: [
        { kind: 'icon', icon: rankIcon(0, 1), label: `Hot spot over ${formatInteger(h.distanceM)} m from a help point`, count: h.spots.filter((s) => s.suggest).length },
        { kind: 'icon', icon: rankIcon(1, 1), label: `Hot spot within ${formatInteger(h.distanceM)} m`, count: h.spots.filter((s) => !s.suggest).length },
        { kind: 'icon', icon: PLANNING_ICONS.helpSuggested, label: 'Suggested in a VAWG-themed area', count: suggestedAreas.length },
        { kind: 'line', colour: PLANNING_COLOURS.helpReach, dashed: true, label: `${formatInteger(h.distanceM)} m around each help point` },
      ],
      note: 'Violence and sexual offences and public order: police.uk has no VAWG category.',
      source: sourceOf(h),
    },
  };
}

export function dosageMapState(report: DosageReport): PlanningMapState {
  return {
    features: {
      type: 'FeatureCollection',
      features: report.spots.flatMap((s, i) => [
        circle([s.lon, s.lat], s.radiusM, PLANNING_COLOURS.route, `dosage-${i}`),
        point([s.lon, s.lat], { icon: rankIcon(0, i + 1), key: `dosage-${i + 1}`, order: i + 1, label: s.spotName }),
      ]),
    },
    legend: report.spots.length
      ? {
          title: `Patrolled spots, ${monthLabelLong(report.month)}`,
          rows: [
            { kind: 'icon', icon: rankIcon(0, 1), label: 'Patrolled spot, numbered as in the report', count: report.spots.length },
            { kind: 'line', colour: PLANNING_COLOURS.route, dashed: true, label: 'Its radius, where crimes are counted' },
          ],
          source: sourceOf(report),
        }
      : null,
  };
}

/* ---------------------------------------------------------------- the printable patrol sheet */

export interface SheetMap {
  width: number;
  height: number;
  start: { x: number; y: number };
  stops: { x: number; y: number; visit: number }[];
  /** SVG path of the route. */
  path: string;
  scale: { lengthPx: number; label: string };
}

/**
 * The patrol sheet's route map: start, stops and route in a local equirectangular projection (true to scale within a
 * town), fitted into width × height with a margin, and a scale bar of a round length.
 */
export function sheetMap(plan: PatrolPlan, width: number, height: number, margin = 28): SheetMap {
  const pts: Position[] = [[plan.start.lon, plan.start.lat], ...plan.stops.map((s) => [s.lon, s.lat] as Position)];
  const lat0 = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const ky = 110_574;
  const xs = pts.map((p) => p[0] * kx), ys = pts.map((p) => p[1] * ky);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const spanX = Math.max(maxX - minX, 50), spanY = Math.max(maxY - minY, 50);
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY); // px per metre
  const ox = margin + (width - 2 * margin - spanX * scale) / 2 - minX * scale + (maxX - minX < 50 ? ((50 - (maxX - minX)) / 2) * scale : 0);
  const oy = margin + (height - 2 * margin - spanY * scale) / 2 + maxY * scale + (maxY - minY < 50 ? ((50 - (maxY - minY)) / 2) * scale : 0);
  const project = (p: Position) => ({ x: Math.round((ox + p[0] * kx * scale) * 10) / 10, y: Math.round((oy - p[1] * ky * scale) * 10) / 10 });
  const start = project(pts[0]!);
  const stops = plan.stops.map((s) => ({ ...project([s.lon, s.lat]), visit: s.visit }));
  const route = [start, ...stops, ...(plan.roundTrip ? [start] : [])];
  const path = route.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
  // A 1-2-5 round length near a quarter of the width.
  const target = width / 4 / scale;
  const magnitude = 10 ** Math.floor(Math.log10(target));
  const length = [1, 2, 5, 10].map((f) => f * magnitude).filter((l) => l <= target).pop() ?? magnitude;
  return { width, height, start, stops, path, scale: { lengthPx: Math.round(length * scale), label: formatDistance(length) } };
}

/* ---------------------------------------------------------------- requests and what is on the map */

export interface PlannerAnswers {
  patrol?: { key: string; result: PatrolPlan };
  gaps?: { key: string; result: CoverageGaps };
  sites?: { key: string; result: CandidateSites };
  rotation?: { key: string; result: RotationSuggestions };
  help?: { key: string; result: HelpPointSuggestions };
  dosage?: { key: string; result: DosageReport };
}

interface DatasetLike {
  id: string;
  version: string;
  firstMonth: string | null;
  lastMonth: string | null;
}

/** The crimes and months part of every request (the whole dataset's months for rotation). */
export function plannerSelection(query: PlannerQuery, dataset: DatasetLike, allMonths = false, scope: string | null = null) {
  const range = allMonths ? (dataset.firstMonth && dataset.lastMonth ? { from: dataset.firstMonth, to: dataset.lastMonth } : null) : plannerPeriod(query.period, dataset);
  return {
    dataset: dataset.id,
    ...(scope && { scope }),
    categories: query.categories,
    ...(range && { from: range.from, to: range.to }),
  };
}

/**
 * What the active tab asks the server, as a stable key: an answer is shown only while its key matches, and a changed
 * key loads again. Null when the tab cannot ask yet (a patrol plan needs a start point).
 */
export function plannerRequestKey(
  tab: PlannerTab,
  query: PlannerQuery,
  dataset: DatasetLike,
  extra: { dosageMonth?: string | null; version?: number; assets?: string; scope?: string | null } = {},
): string | null {
  const sel = { v: dataset.version, ...plannerSelection(query, dataset, tab === 'rotation', extra.scope ?? null) };
  // Answers that depend on the organisation's cameras, help points, visits or deployments load again when they change.
  const own = { assets: extra.assets ?? '', n: extra.version ?? 0 };
  switch (tab) {
    case 'patrol':
      return query.start ? JSON.stringify({ tab, ...sel, top: query.top, minutes: query.minutes, perDay: query.perDay, speedKmh: query.speedKmh, roundTrip: query.roundTrip, start: query.start, area: query.area }) : null;
    case 'gaps':
      return JSON.stringify({ tab, ...sel, ...own, top: query.top, proposed: query.proposed });
    case 'sites':
      return JSON.stringify({ tab, ...sel, ...own, k: query.k, cameraType: query.cameraType, candidates: query.candidates?.sites ?? null, proposed: query.proposed });
    case 'rotation':
      return JSON.stringify({ tab, ...sel, ...own });
    case 'help':
      return JSON.stringify({ tab, v: dataset.version, dataset: dataset.id, scope: extra.scope ?? null, ...own, ...(plannerPeriod(query.period, dataset) ?? {}), top: query.top, distanceM: query.helpDistanceM });
    case 'dosage':
      return JSON.stringify({ tab, v: dataset.version, dataset: dataset.id, month: extra.dosageMonth ?? null, n: own.n });
  }
}

/** Everything the planner shows on the map for the active tab: its answer when current, else what the user has set. */
export function plannerMapState(
  tab: PlannerTab,
  query: PlannerQuery,
  answers: PlannerAnswers,
  keys: { current: string | null },
  helpPoints: readonly { coordinates: Position }[],
  selected: number | null = null,
): PlanningMapState {
  const current = <T,>(a: { key: string; result: T } | undefined) => (a && a.key === keys.current ? a.result : null);
  switch (tab) {
    case 'patrol': {
      const plan = current(answers.patrol);
      return plan ? patrolMapState(plan, selected) : startMapState(query.start);
    }
    case 'gaps': {
      const gaps = current(answers.gaps);
      return gaps ? gapsMapState(gaps, query.proposed) : { features: { type: 'FeatureCollection', features: proposedFeatures(query.proposed) }, legend: null };
    }
    case 'sites': {
      const sites = current(answers.sites);
      return sites ? sitesMapState(sites, query.proposed) : { features: { type: 'FeatureCollection', features: [] }, legend: null };
    }
    case 'rotation': {
      const r = current(answers.rotation);
      return r ? rotationMapState(r) : { features: { type: 'FeatureCollection', features: [] }, legend: null };
    }
    case 'help': {
      const h = current(answers.help);
      return h ? helpPointsMapState(h, helpPoints) : { features: { type: 'FeatureCollection', features: [] }, legend: null };
    }
    case 'dosage': {
      const d = current(answers.dosage);
      return d ? dosageMapState(d) : { features: { type: 'FeatureCollection', features: [] }, legend: null };
    }
  }
}

/** A proposed camera dropped at `at`, with the type's default radius (and a view when both bearing and width are set). */
export function proposedCamera(at: Position, type: CameraType, view: { bearingDeg?: number; fieldOfViewDeg?: number } = {}): ProposedCameraBody {
  const lonLat: Position = [Math.round(at[0] * 1e6) / 1e6, Math.round(at[1] * 1e6) / 1e6];
  return {
    location: { type: 'Point', coordinates: lonLat },
    type,
    ...(view.bearingDeg !== undefined && view.fieldOfViewDeg !== undefined && { bearingDeg: view.bearingDeg, fieldOfViewDeg: view.fieldOfViewDeg }),
  };
}

/** A coverage figure for people: "1,234 of 10,000 crimes (12 %)". */
export function coveredText(covered: number, total: number, share: number | null): string {
  return `${formatInteger(covered)} of ${formatInteger(total)} crimes${share === null ? '' : ` (${formatNumber(share * 100, share < 0.1 ? 1 : 0)} %)`}`;
}

/** Today as YYYY-MM-DD in the UK (for the visit date). */
export function todayIso(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
