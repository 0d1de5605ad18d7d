import { CAMERA_TYPES, CRIME_GROUPS, type LayerName, type ScopeSummary } from '@safer-places/schemas';
import type { Choropleth } from './choropleth';
import { choroplethTitle } from './choropleth';
import { formatInteger } from '../../shared/format';
import { LAYER_LABELS } from '../../shared/labels';
import { cameraIconId, HELP_POINT_ICON, hotspotRankIconId } from '../../map/icons';
import type { HotspotLegend } from '../hotspots/hotspots';
import { BID_COLOURS, CAMERA_SYMBOLS, DRAWN_AREA_COLOUR, PSPO_COLOUR, SAFER_STREETS_COLOUR, SAFER_STREETS_FILL } from '../../map/palette';
import { BID_FILL_OPACITY, DRAWN_AREA_FILL_OPACITY, HOTSPOT_CELL_OPACITY, LSOA_FILL_OPACITY, SAFER_STREETS_FILL_OPACITY, COVERAGE_FILL_OPACITY } from '../../map/layers';
import { PLANNING_CELL_OPACITY } from '../planner/layers';
import type { PlannerLegend } from '../planner/mapFeatures';

/*
 * The map legend as data: the sections, rows, swatches, counts and notes the on-screen legend (Legend.tsx) shows, in
 * the same order and words, as a pure function of what is on the map. The map export draws its legend from this, and
 * a unit test renders Legend.tsx beside it so the two never drift apart.
 */

/** What a legend row's swatch looks like: enough to paint it again on a canvas. */
export type LegendSwatch =
  | { kind: 'fill'; colour: string; opacity: number }
  /** An area: an optional wash, an outline (dashed or solid, optionally with a white casing inside), an optional PSPO hatch. */
  | { kind: 'area'; fill?: string; fillOpacity?: number; line: string; lineWidth: number; dashed?: boolean; cased?: boolean; hatch?: boolean }
  /** A runtime map image by its id (camera, help point, numbered hot spot, planner markers). */
  | { kind: 'icon'; icon: string }
  /** A route (solid, on a white casing) or a dashed coverage circle. */
  | { kind: 'line'; colour: string; dashed: boolean }
  /** A dashed black edge (a hot cell where most crimes sit on one published point). */
  | { kind: 'dashed-edge' };

export interface LegendRow {
  label: string;
  swatch: LegendSwatch;
  /** The count shown at the row's end, already formatted, with what it counts. */
  count?: { text: string; title: string };
}

export interface LegendSection {
  id: 'bid' | 'planning' | 'hotspots' | 'lsoas' | 'cameras' | 'help-points' | 'areas';
  title: string;
  /** The column captions over the rows ("Quantile class" / "LSOAs"), when there are any. */
  caption?: [string, string];
  /** Rows shown side by side in two columns on screen (camera types, help point states). */
  grid?: boolean;
  /** Notes before the rows (the scope line) and after them (sources, warnings). */
  before: string[];
  rows: LegendRow[];
  notes: LegendNote[];
}

export interface LegendNote {
  text: string;
  warn?: boolean;
}

export interface LegendModel {
  sections: LegendSection[];
  /** "All layers are switched off." when nothing is on the map. */
  empty: string | null;
  /** Layers cut short because too many features were in view. */
  warning: string | null;
}

/** What the legend shows: the data part of Legend's props. */
export interface LegendModelInput {
  visible: Record<LayerName, boolean>;
  showCoverage: boolean;
  choropleth: Choropleth;
  period: { from: string; to: string } | null;
  categoryLabel: string;
  category: string;
  scope?: ScopeSummary | null;
  deprivationSource: string | null;
  truncated: readonly LayerName[];
  showAreas?: boolean;
  hotspots?: HotspotLegend | null;
  planning?: PlannerLegend | null;
  bid?: { eligible: number; selected: number; target: boolean; bufferM: number | null; comparison: number } | null;
}

export const CAMERA_SHORT_LABELS = { fixed: 'Fixed', ptz: 'PTZ', redeployable: 'Re-deployable', anpr: 'ANPR' } as const;

const count = (n: number, title: string) => ({ text: formatInteger(n), title });

function bidSection(bid: NonNullable<LegendModelInput['bid']>): LegendSection {
  const rows: LegendRow[] = [
    { label: 'Eligible LSOA', swatch: { kind: 'area', fill: BID_COLOURS.eligible, fillOpacity: BID_FILL_OPACITY.eligible + 0.1, line: BID_COLOURS.eligible, lineWidth: 1 }, count: count(bid.eligible, 'Eligible LSOAs') },
    { label: 'In the bid', swatch: { kind: 'area', fill: BID_COLOURS.selection, fillOpacity: BID_FILL_OPACITY.selection + 0.1, line: BID_COLOURS.selection, lineWidth: 1 }, count: count(bid.selected, 'LSOAs chosen') },
  ];
  if (bid.target) rows.push({ label: 'Target area (dissolved)', swatch: { kind: 'area', line: BID_COLOURS.target, lineWidth: 3 } });
  if (bid.bufferM !== null) {
    rows.push({
      label: `Displacement buffer, ${formatInteger(bid.bufferM)} m`,
      swatch: { kind: 'area', fill: BID_COLOURS.buffer, fillOpacity: BID_FILL_OPACITY.buffer + 0.1, line: BID_COLOURS.buffer, lineWidth: 2, dashed: true },
    });
  }
  if (bid.comparison > 0) {
    rows.push({
      label: 'Comparison area',
      swatch: { kind: 'area', fill: BID_COLOURS.comparison, fillOpacity: BID_FILL_OPACITY.comparison + 0.1, line: BID_COLOURS.comparison, lineWidth: 2, dashed: true },
      count: count(bid.comparison, 'Comparison LSOAs'),
    });
  }
  return { id: 'bid', title: 'Bid', before: [], rows, notes: [] };
}

function planningSection(legend: PlannerLegend): LegendSection {
  const rows = legend.rows.map((r): LegendRow => {
    const swatch: LegendSwatch =
      r.kind === 'icon' ? { kind: 'icon', icon: r.icon } : r.kind === 'fill' ? { kind: 'fill', colour: r.colour, opacity: PLANNING_CELL_OPACITY + 0.1 } : { kind: 'line', colour: r.colour, dashed: r.dashed };
    return { label: r.label, swatch, ...(r.kind !== 'line' && r.count !== undefined && { count: count(r.count, 'On the map') }) };
  });
  const notes: LegendNote[] = [];
  if (legend.note) notes.push({ text: legend.note });
  if (legend.source) notes.push({ text: `Source: ${legend.source}` });
  return { id: 'planning', title: legend.title, before: [], rows, notes };
}

function hotspotSection(hs: HotspotLegend): LegendSection {
  const rows: LegendRow[] = hs.rows.map((r) => ({ label: r.label, swatch: { kind: 'fill', colour: r.colour, opacity: HOTSPOT_CELL_OPACITY }, count: count(r.cells, 'Cells in this class') }));
  if (hs.snapCells !== null && hs.snapCells > 0) rows.push({ label: 'Most crimes on one published point', swatch: { kind: 'dashed-edge' }, count: count(hs.snapCells, 'Hot cells flagged') });
  hs.spotTypes.forEach((label, slot) => rows.push({ label: `Top hot spots: ${label}`, swatch: { kind: 'icon', icon: hotspotRankIconId(slot, 1) } }));
  return { id: 'hotspots', title: hs.title, caption: [hs.caption, 'Cells'], before: [], rows, notes: [{ text: `Source: ${hs.source}` }] };
}

function lsoaSection(p: LegendModelInput): LegendSection {
  const ch = p.choropleth;
  const before = p.scope ? [`${p.scope.label}: ${formatInteger(p.scope.lsoaCount)} ${p.scope.lsoaCount === 1 ? 'LSOA' : 'LSOAs'}; classes within it`] : [];
  const rows: LegendRow[] = ch.legend.map((c) => ({ label: c.label, swatch: { kind: 'fill', colour: c.colour, opacity: LSOA_FILL_OPACITY + 0.1 }, count: count(c.lsoas, 'LSOAs in this class') }));
  rows.push({ label: 'No data', swatch: { kind: 'fill', colour: ch.noDataColour, opacity: LSOA_FILL_OPACITY + 0.1 }, count: count(ch.noDataLsoas, 'LSOAs without a value') });
  const notes: LegendNote[] = [];
  if (ch.substitute) notes.push({ text: ch.substitute, warn: true });
  if (ch.measure === 'imd-decile' && p.deprivationSource) notes.push({ text: `Source: ${p.deprivationSource}` });
  if (p.category === 'neighbourhood-crime' && ch.measure !== 'imd-decile') notes.push({ text: CRIME_GROUPS['neighbourhood-crime'].note, warn: true });
  return {
    id: 'lsoas',
    title: choroplethTitle(ch.measure, p.categoryLabel, p.period),
    caption: [ch.measure === 'imd-decile' ? 'Decile' : 'Quantile class', 'LSOAs'],
    before,
    rows,
    notes,
  };
}

function cameraSection(showCoverage: boolean): LegendSection {
  const rows: LegendRow[] = CAMERA_TYPES.map((t) => ({ label: CAMERA_SHORT_LABELS[t], swatch: { kind: 'icon', icon: cameraIconId(t) } }));
  const section: LegendSection = { id: 'cameras', title: LAYER_LABELS.cameras, grid: true, before: [], rows, notes: [{ text: 'Faded: planned or decommissioned.' }] };
  if (showCoverage) {
    rows.push({
      label: 'Coverage circle',
      swatch: { kind: 'area', fill: CAMERA_SYMBOLS.fixed.colour, fillOpacity: COVERAGE_FILL_OPACITY + 0.1, line: CAMERA_SYMBOLS.fixed.colour, lineWidth: 1, dashed: true },
    });
  }
  return section;
}

/** The legend's sections in the on-screen order: bid, planner, hot spots (all drawn over the shading), LSOAs, points, areas. */
export function legendModel(p: LegendModelInput): LegendModel {
  const sections: LegendSection[] = [];
  if (p.bid) sections.push(bidSection(p.bid));
  if (p.planning) sections.push(planningSection(p.planning));
  if (p.hotspots) sections.push(hotspotSection(p.hotspots));
  if (p.visible.lsoas) sections.push(lsoaSection(p));
  if (p.visible.cameras) sections.push(cameraSection(p.showCoverage));
  if (p.visible['help-points']) {
    sections.push({
      id: 'help-points',
      title: LAYER_LABELS['help-points'],
      grid: true,
      before: [],
      rows: [
        { label: 'Live', swatch: { kind: 'icon', icon: HELP_POINT_ICON.live } },
        { label: 'Planned', swatch: { kind: 'icon', icon: HELP_POINT_ICON.planned } },
      ],
      notes: [],
    });
  }
  const areaRows: LegendRow[] = [];
  if (p.visible['pspo-zones']) areaRows.push({ label: 'PSPO zone', swatch: { kind: 'area', line: PSPO_COLOUR, lineWidth: 2, dashed: true, hatch: true } });
  if (p.visible['safer-streets-areas']) {
    areaRows.push({ label: 'Safer Streets area', swatch: { kind: 'area', fill: SAFER_STREETS_FILL, fillOpacity: SAFER_STREETS_FILL_OPACITY + 0.15, line: SAFER_STREETS_COLOUR, lineWidth: 2 } });
  }
  if (p.showAreas) areaRows.push({ label: 'Drawn area (yours)', swatch: { kind: 'area', fill: DRAWN_AREA_COLOUR, fillOpacity: DRAWN_AREA_FILL_OPACITY + 0.1, line: DRAWN_AREA_COLOUR, lineWidth: 3, cased: true } });
  if (areaRows.length > 0) sections.push({ id: 'areas', title: 'Areas', before: [], rows: areaRows, notes: [] });

  const anyVisible = Object.values(p.visible).some(Boolean) || !!p.showAreas || !!p.hotspots || !!p.bid || !!p.planning;
  return {
    sections,
    empty: anyVisible ? null : 'All layers are switched off.',
    warning: p.truncated.length > 0 ? `Too many features to show at once for ${p.truncated.map((l) => LAYER_LABELS[l]).join(', ')}: zoom in to see them all.` : null,
  };
}

/** Every colour a legend paints (fills, washes, lines), lower case: what a picture of the legend must contain. */
export function legendColours(model: LegendModel): string[] {
  const out = new Set<string>();
  for (const s of model.sections) {
    for (const r of s.rows) {
      const w = r.swatch;
      if (w.kind === 'fill' || w.kind === 'line') out.add(w.colour.toLowerCase());
      if (w.kind === 'area') {
        out.add(w.line.toLowerCase());
        if (w.fill) out.add(w.fill.toLowerCase());
      }
    }
  }
  return [...out];
}
