import type { CategorySelection } from '@safer-places/schemas';
import type { DensityResult, HotspotChangeResult, HotspotQueryParams, HotspotResult } from '../../api/client';
import { CHANGE_CLASSES, GI_CLASSES, spotsCollection, type HotspotMode } from './layers';
import { DENSITY_5, GI_CLASS_COLOURS } from '../../map/palette';
import { formatInteger, formatNumber, formatPercent } from '../../shared/format';
import { lastNMonths, type MonthRange } from '../../shared/period';
import type { HotspotMapState } from '../../map/MapView';

/*
 * The hot spot panel's choices and what the map and legend make of the server's answer. Pure: tested as data.
 */

export const HOTSPOT_MODES: readonly { value: HotspotMode; label: string; hint: string }[] = [
  { value: 'gi', label: 'Hot and cold spots (Gi*)', hint: 'Cells with significantly more (or fewer) crimes than the area around them, and the top spots to patrol.' },
  { value: 'change', label: 'Change over time', hint: 'Whether each hot spot is emerging, persistent, intermittent or former across the period.' },
  { value: 'density', label: 'Density (KDE)', hint: 'A smoothed surface of where crime concentrates, per km² or per 1,000 residents.' },
];

export const HOTSPOT_PERIODS = [
  { value: 'last-12', label: 'Last 12 months', months: 12 },
  { value: 'last-3', label: 'Last 3 months', months: 3 },
  { value: 'last-24', label: 'Last 24 months', months: 24 },
  { value: 'all', label: 'All months in the dataset', months: null },
] as const;
export type HotspotPeriod = (typeof HOTSPOT_PERIODS)[number]['value'];

export const CELL_SIZES = [50, 100, 150, 200, 250, 300, 400, 500] as const;
export const BANDWIDTHS = [200, 300, 500, 750, 1000, 1500, 2000] as const;
export const TOP_CHOICES = [5, 10, 20] as const;
export const CORRECTIONS = [
  { value: 'fdr', label: 'Benjamini–Hochberg FDR (recommended)' },
  { value: 'holm', label: 'Holm (strictest)' },
  { value: 'none', label: 'None (many false hot spots)' },
] as const;

export interface HotspotQueryState {
  mode: HotspotMode;
  categories: CategorySelection[];
  period: HotspotPeriod;
  /** Metres, or 'auto' for the sfhotspot rule (about 50 cells on the shorter side). */
  cellSize: 'auto' | number;
  shape: 'square' | 'hex';
  correction: 'fdr' | 'holm' | 'none';
  top: number;
  bandwidth: 'auto' | number;
  perResidents: boolean;
  /** Sub-periods for the change classification. */
  periods: number;
}

export const DEFAULT_HOTSPOT_QUERY: HotspotQueryState = {
  mode: 'gi',
  categories: ['all-crime'],
  period: 'last-12',
  cellSize: 'auto',
  shape: 'square',
  correction: 'fdr',
  top: 10,
  bandwidth: 'auto',
  perResidents: false,
  periods: 10,
};

/** The months a hot spot query covers; null when the dataset has no crime months. */
export function resolveHotspotPeriod(choice: HotspotPeriod, dataset: { firstMonth: string | null; lastMonth: string | null } | null): MonthRange | null {
  if (!dataset?.lastMonth || !dataset.firstMonth) return null;
  const months = HOTSPOT_PERIODS.find((p) => p.value === choice)?.months ?? null;
  return months === null ? { from: dataset.firstMonth, to: dataset.lastMonth } : lastNMonths(dataset.lastMonth, months, dataset.firstMonth);
}

/** The request parameters every hot spot method shares: dataset, place, crimes, months, grid. */
export function hotspotParams(
  q: HotspotQueryState,
  on: { dataset: { firstMonth: string | null; lastMonth: string | null } | null; datasetId: string | null; scopeKey: string | null },
): HotspotQueryParams & { categories: CategorySelection[]; shape: 'square' | 'hex' } {
  const period = resolveHotspotPeriod(q.period, on.dataset);
  return {
    ...(on.datasetId && { dataset: on.datasetId }),
    ...(on.scopeKey && { scope: on.scopeKey }),
    categories: q.categories,
    ...(period && { from: period.from, to: period.to }),
    ...(q.cellSize !== 'auto' && { cellSize: q.cellSize }),
    shape: q.shape,
  };
}

export type HotspotAnswer =
  | { mode: 'gi'; result: HotspotResult }
  | { mode: 'change'; result: HotspotChangeResult }
  | { mode: 'density'; result: DensityResult };

/**
 * "LSOA Mansfield 001A (E01028001)": the LSOA a located spot lies in (top hot spots, patrol stops), so the same police.uk
 * text in two towns reads apart; null for an answer without it.
 */
export function spotLsoaText(row: { lsoaCode?: string | null; lsoaName?: string | null }): string | null {
  if (row.lsoaName) return `LSOA ${row.lsoaName}${row.lsoaCode ? ` (${row.lsoaCode})` : ''}`;
  return row.lsoaCode ? `LSOA ${row.lsoaCode}` : null;
}

/** What the map draws for an answer. */
export function hotspotMapState(answer: HotspotAnswer | null, selected: { cell: number | null; spot: string | null }): HotspotMapState | null {
  if (!answer) return null;
  return {
    mode: answer.mode,
    cells: answer.result.cells,
    spots: answer.mode === 'gi' ? spotsCollection(answer.result.top) : null,
    selectedCell: selected.cell,
    selectedSpot: selected.spot,
  };
}

export interface HotspotLegendRow {
  colour: string;
  label: string;
  /** Cells of this class on the map. */
  cells: number;
}

export interface HotspotLegend {
  title: string;
  /** What the rows are counted in, e.g. "cells of 200 m". */
  caption: string;
  rows: HotspotLegendRow[];
  /** Hot cells with a dashed edge (most crimes on one published point); null when the mode has none. */
  snapCells: number | null;
  /** The numbered top spots' crime types, in slot order. */
  spotTypes: string[];
  source: string;
}

function countBy<T>(features: readonly { properties: Record<string, unknown> }[], key: string, value: T): number {
  return features.filter((f) => f.properties[key] === value).length;
}

function gridText(grid: { shape: string; cellSizeM: number }): string {
  return `${grid.shape === 'hex' ? 'hexagons' : 'squares'} of ${formatInteger(grid.cellSizeM)} m`;
}

/** The legend block for an answer: a row per class with its colour and how many cells show it. */
export function hotspotLegend(answer: HotspotAnswer, periodText: string): HotspotLegend {
  const features = answer.result.cells.features as { properties: Record<string, unknown> }[];
  const crimes = `${answer.result.categories.map((c) => c.label).join(', ')}, ${periodText}`;
  const source = `${answer.result.dataset.name}${answer.result.dataset.synthetic ? ' (synthetic demo data)' : ''}`;
  if (answer.mode === 'gi') {
    return {
      title: `Gi* hot and cold spots: ${crimes}`,
      caption: `Cells (${gridText(answer.result.grid)}), ${answer.result.grid.correction === 'none' ? 'no correction' : answer.result.grid.correction === 'fdr' ? 'FDR-corrected' : 'Holm-corrected'}`,
      rows: GI_CLASSES.map((c) => ({ colour: GI_CLASS_COLOURS[String(c.value) as keyof typeof GI_CLASS_COLOURS], label: c.label, cells: countBy(features, 'class', c.value) })),
      snapCells: answer.result.snapPointCells,
      spotTypes: answer.result.top.map((t) => t.label),
      source,
    };
  }
  if (answer.mode === 'change') {
    return {
      title: `Hot spot change: ${crimes}`,
      caption: `Cells (${gridText(answer.result.grid)}) over ${answer.result.rules.periods} sub-periods`,
      rows: CHANGE_CLASSES.map((c) => ({ colour: c.colour, label: c.label, cells: countBy(features, 'category', c.value) })).filter((r) => r.cells > 0 || !/mixed/i.test(r.label)),
      snapCells: null,
      spotTypes: [],
      source,
    };
  }
  const r = answer.result;
  const digits = r.measure === 'per-1000-residents' ? 1 : 0;
  return {
    title: `Density, ${r.unit}: ${crimes}`,
    caption: `Cells (${gridText(r.grid)}), bandwidth ${formatInteger(r.bandwidthM)} m`,
    rows: r.classes
      .map((c, i) => ({ colour: DENSITY_5[i]!, label: `Top ${formatPercent(c.topShare)}: ≥ ${formatNumber(c.from, digits)}`, cells: countBy(features, 'class', i + 1) }))
      .reverse(),
    snapCells: null,
    spotTypes: [],
    source,
  };
}

/** The sentences that describe one cell when it is clicked. */
export function describeCell(answer: HotspotAnswer, cell: number): string[] | null {
  const f = (answer.result.cells.features as { properties: Record<string, unknown> }[]).find((x) => x.properties.cell === cell);
  if (!f) return null;
  const p = f.properties;
  const size = `${formatInteger(answer.result.grid.cellSizeM)} m cell`;
  if (answer.mode === 'gi') {
    const cls = GI_CLASSES.find((c) => c.value === p.class);
    const lines = [
      `${cls?.label ?? 'Not significant'} (${size}).`,
      `${formatInteger(Number(p.count))} crimes in the cell; Gi* z = ${formatNumber(Number(p.z), 2)}, adjusted p ${Number(p.pAdjusted) < 0.001 ? '< 0.001' : `= ${formatNumber(Number(p.pAdjusted), 3)}`}.`,
    ];
    if (p.busiestPointShare !== null && p.busiestPointShare !== undefined) {
      lines.push(
        p.snapPointWarning
          ? `Warning: ${formatPercent(Number(p.busiestPointShare))} of its crimes sit on one published point. Police.uk snaps crimes to map points, so this may be one address rather than a street problem.`
          : `${formatPercent(Number(p.busiestPointShare))} of its crimes sit on its busiest published point.`,
      );
    }
    return lines;
  }
  if (answer.mode === 'change') {
    const cls = CHANGE_CLASSES.find((c) => c.value === p.category);
    const pattern = String(p.pattern ?? '');
    return [
      `${cls?.label ?? String(p.category)} (${size}).`,
      `${formatInteger(Number(p.count))} crimes over the period; hot in ${p.hotPeriods} and cold in ${p.coldPeriods} of ${pattern.length} sub-periods.`,
      `Sub-periods, oldest first (H hot, C cold, · neither): ${pattern}`,
    ];
  }
  const r = answer.result;
  return [`${formatNumber(Number(p.value), r.measure === 'per-1000-residents' ? 1 : 0)} ${r.unit} (${size}, bandwidth ${formatInteger(r.bandwidthM)} m).`];
}
