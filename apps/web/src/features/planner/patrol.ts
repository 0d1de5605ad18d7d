import type { BBox, Geometry, Position } from '@safer-places/schemas';
import type { PatrolPlan } from './api';
import { formatDistance } from '../../shared/format';
import { PLANNING_COLOURS, PLANNING_ICONS } from './layers';
import { periodOf, point, rankIcon, sourceOf, type PlanningMapState } from './mapFeatures';

/*
 * The patrol plan on the map, in its legend and on the printable sheet. Pure: tested as data.
 */

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

/** The box around the start and the stops, with a margin, to show a whole plan. */
export function planBounds(plan: PatrolPlan, marginDeg = 0.004): BBox {
  const lons = [plan.start.lon, ...plan.stops.map((s) => s.lon)];
  const lats = [plan.start.lat, ...plan.stops.map((s) => s.lat)];
  return [Math.min(...lons) - marginDeg, Math.min(...lats) - marginDeg * 0.6, Math.max(...lons) + marginDeg, Math.max(...lats) + marginDeg * 0.6];
}

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
