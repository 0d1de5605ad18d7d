import type { BBox } from '@safer-places/schemas';
import type { HotspotAnswer } from '../hotspots/hotspots';
import { CHANGE_CLASSES, GI_CLASSES, spotKey } from '../hotspots/layers';
import { placeText } from '../scope/place';
import { formatInteger, formatMetres, formatNumber } from '../../shared/format';
import { periodLabel } from '../../shared/period';
import { geometryBox } from './lsoaRows';
import type { Column, Identified } from './tableModel';

/*
 * The hot spot answer as table rows: its cells (Gi* classes, change categories or density classes) and, for Gi*, its
 * numbered top spots with the place each lies in. Pure: tested as data.
 */

/** How close the map zooms to a top spot chosen in the table: about 1.5 km across, as the hot spot panel does. */
export const SPOT_BOX = { dLon: 0.011, dLat: 0.0065 };

export interface CellRow extends Identified {
  cell: number;
  /** Crimes in the cell (Gi* and change); null for density. */
  count: number | null;
  /** Gi* z-score, change category or density value: what the mode measures. */
  value: number | string;
  classLabel: string;
  /** Gi* adjusted p-value; change pattern; null for density. */
  detail: string | number | null;
  lon: number | null;
  lat: number | null;
  bbox: BBox | null;
}

export interface SpotRow extends Identified {
  /** The spot's key on the map (crime type slot and rank). */
  key: string;
  crimeType: string;
  rank: number;
  location: string;
  lsoa: string | null;
  place: string | null;
  count: number;
  radiusM: number;
  lon: number;
  lat: number;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function cellRows(answer: HotspotAnswer): CellRow[] {
  return answer.result.cells.features.map((f) => {
    const bbox = geometryBox(f.geometry);
    const centre = bbox ? { lon: round6((bbox[0] + bbox[2]) / 2), lat: round6((bbox[1] + bbox[3]) / 2) } : { lon: null, lat: null };
    const p = f.properties as Record<string, unknown>;
    const cell = Number(p.cell);
    const base = { id: String(cell), cell, bbox, ...centre };
    if (answer.mode === 'gi') {
      const cls = Number(p.class);
      return { ...base, count: Number(p.count), value: Number(p.z), classLabel: GI_CLASSES.find((c) => c.value === cls)?.label ?? 'Not significant', detail: Number(p.pAdjusted) };
    }
    if (answer.mode === 'change') {
      const category = String(p.category);
      return { ...base, count: Number(p.count), value: CHANGE_CLASSES.find((c) => c.value === category)?.label ?? category, classLabel: `${formatInteger(Number(p.hotPeriods))} hot, ${formatInteger(Number(p.coldPeriods))} cold sub-periods`, detail: String(p.pattern) };
    }
    const cls = Number(p.class);
    const share = answer.result.classes[cls - 1]?.topShare;
    return { ...base, count: null, value: Number(p.value), classLabel: share === undefined ? '—' : `Densest ${formatNumber(share * 100)} %`, detail: null };
  });
}

export function spotRows(answer: HotspotAnswer): SpotRow[] {
  if (answer.mode !== 'gi') return [];
  return answer.result.top.flatMap((group, slot) =>
    group.spots.map((s) => ({
      id: spotKey(slot, s.rank),
      key: spotKey(slot, s.rank),
      crimeType: group.label,
      rank: s.rank,
      location: s.location ?? `Hot spot ${s.rank}`,
      lsoa: s.lsoaName ? `${s.lsoaName}${s.lsoaCode ? ` (${s.lsoaCode})` : ''}` : (s.lsoaCode ?? null),
      place: placeText(s),
      count: s.count,
      radiusM: s.radiusM,
      lon: s.lon,
      lat: s.lat,
    })),
  );
}

const dash = (v: string | null) => v ?? '—';
const coord = (v: number | null) => (v === null ? '—' : v.toFixed(5));

/** The cell columns for the answer's mode, with units (z-score, crimes, density unit). */
export function cellColumns(answer: HotspotAnswer): Column<CellRow>[] {
  const cell: Column<CellRow> = { key: 'cell', label: 'Cell', numeric: true, searchable: true, value: (r) => r.cell, text: (r) => String(r.cell) };
  const count: Column<CellRow> = { key: 'count', label: 'Crimes (number)', numeric: true, value: (r) => r.count, text: (r) => (r.count === null ? '—' : formatInteger(r.count)) };
  const where: Column<CellRow>[] = [
    { key: 'lon', label: 'Centre longitude', numeric: true, value: (r) => r.lon, text: (r) => coord(r.lon) },
    { key: 'lat', label: 'Centre latitude', numeric: true, value: (r) => r.lat, text: (r) => coord(r.lat) },
  ];
  if (answer.mode === 'gi') {
    return [
      cell,
      count,
      { key: 'value', label: 'Gi* z-score', numeric: true, value: (r) => r.value, text: (r) => formatNumber(Number(r.value), 2) },
      { key: 'detail', label: 'Adjusted p-value', numeric: true, value: (r) => r.detail, text: (r) => (typeof r.detail === 'number' ? (r.detail < 0.001 ? '< 0.001' : r.detail.toFixed(3)) : '—') },
      { key: 'class', label: 'Class', numeric: false, searchable: true, value: (r) => r.classLabel, text: (r) => r.classLabel },
      ...where,
    ];
  }
  if (answer.mode === 'change') {
    return [
      cell,
      count,
      { key: 'value', label: 'Change category', numeric: false, searchable: true, value: (r) => r.value, text: (r) => String(r.value) },
      { key: 'class', label: 'Significant in', numeric: false, value: (r) => r.classLabel, text: (r) => r.classLabel },
      { key: 'detail', label: 'Pattern (oldest first; H hot, C cold)', numeric: false, value: (r) => r.detail, text: (r) => String(r.detail ?? '—') },
      ...where,
    ];
  }
  return [
    cell,
    { key: 'value', label: `Density (${answer.result.unit})`, numeric: true, value: (r) => r.value, text: (r) => formatNumber(Number(r.value), 2) },
    { key: 'class', label: 'Density class', numeric: false, searchable: true, value: (r) => r.classLabel, text: (r) => r.classLabel },
    ...where,
  ];
}

export const SPOT_COLUMNS: Column<SpotRow>[] = [
  { key: 'rank', label: 'Rank (1 = most crimes)', numeric: true, value: (r) => r.rank, text: (r) => String(r.rank) },
  { key: 'crimeType', label: 'Crime type', numeric: false, searchable: true, value: (r) => r.crimeType, text: (r) => r.crimeType },
  { key: 'location', label: 'Location (police.uk map point)', numeric: false, searchable: true, value: (r) => r.location, text: (r) => r.location },
  { key: 'lsoa', label: 'LSOA', numeric: false, searchable: true, value: (r) => r.lsoa, text: (r) => dash(r.lsoa) },
  { key: 'place', label: 'Ward and district', numeric: false, searchable: true, value: (r) => r.place, text: (r) => dash(r.place) },
  { key: 'count', label: 'Crimes within the radius (number)', numeric: true, value: (r) => r.count, text: (r) => formatInteger(r.count) },
  { key: 'radius', label: 'Radius (m)', numeric: true, value: (r) => r.radiusM, text: (r) => formatMetres(r.radiusM) },
  { key: 'lon', label: 'Longitude', numeric: true, value: (r) => r.lon, text: (r) => r.lon.toFixed(5) },
  { key: 'lat', label: 'Latitude', numeric: true, value: (r) => r.lat, text: (r) => r.lat.toFixed(5) },
];

/** What a hot spot table and its CSV are: method, crimes, period, grid, place and dataset. */
export function hotspotTableAbout(answer: HotspotAnswer, what: 'cells' | 'spots'): string[] {
  const r = answer.result;
  const method = answer.mode === 'gi' ? 'Gi* hot and cold spots' : answer.mode === 'change' ? 'Hot-spot change over time' : 'Kernel density';
  const head = what === 'spots' ? `Top hot spots of ${r.scope.label}` : `${method} cells of ${r.scope.label}`;
  return [
    `${head}: ${r.categories.map((c) => c.label).join(', ')}, ${periodLabel(r.period.from, r.period.to)}`,
    `Grid: ${r.grid.shape === 'hex' ? 'hexagons' : 'squares'} of ${r.grid.cellSizeM} m; dataset: ${r.dataset.name}${r.dataset.synthetic ? ' (synthetic demo data, not real crime)' : ''}`,
  ];
}
