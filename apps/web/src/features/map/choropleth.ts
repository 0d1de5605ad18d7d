import type { Measure } from '@safer-places/schemas';
import { quantileBreaks, classIndex } from './breaks';
import { formatInteger, formatRate } from '../../shared/format';
import { periodLabel } from '../../shared/period';
import { IMD_DECILE_10, NO_DATA_COLOUR, SEQUENTIAL_5, spreadColours } from '../../map/palette';

export const MEASURE_OPTIONS: readonly { value: Measure; label: string }[] = [
  { value: 'count', label: 'Crime count' },
  { value: 'rate', label: 'Crimes per 1,000 residents' },
  { value: 'imd-decile', label: 'IMD decile (deprivation)' },
];

/** The legend title's first part, with units. */
export const MEASURE_TITLES: Record<Measure, string> = {
  count: 'Number of crimes',
  rate: 'Crimes per 1,000 residents',
  'imd-decile': 'IMD decile (1 = most deprived 10 %)',
};

export interface MeasureRow {
  code: string;
  count?: number | null;
  ratePer1000?: number | null;
  imdDecile?: number | null;
}

export interface LegendClass {
  label: string;
  colour: string;
  /** How many LSOAs fall into the class. */
  lsoas: number;
}

export interface Choropleth {
  /** The measure shown: the one chosen, unless the data has none of it (see shownMeasure). */
  measure: Measure;
  /** Why another measure than the one chosen is shown, for the legend; absent when it is the one chosen. */
  substitute?: string;
  /** LSOA code → class index into colours. Codes not present have no data. */
  classByCode: Map<string, number>;
  colours: string[];
  legend: LegendClass[];
  noDataColour: string;
  noDataLsoas: number;
}

export function measureValue(measure: Measure, row: MeasureRow): number | null {
  const v = measure === 'count' ? row.count : measure === 'rate' ? row.ratePer1000 : row.imdDecile;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function rangeLabel(min: number, max: number, measure: 'count' | 'rate'): string {
  if (min === 0 && max === 0) return measure === 'count' ? '0 crimes' : '0 per 1,000';
  if (measure === 'count') {
    const unit = max === 1 ? 'crime' : 'crimes';
    return min === max ? `${formatInteger(min)} ${unit}` : `${formatInteger(min)}–${formatInteger(max)} ${unit}`;
  }
  return min === max ? `${formatRate(min)} per 1,000` : `${formatRate(min)}–${formatRate(max)} per 1,000`;
}

export function decileLabel(decile: number): string {
  if (decile === 1) return '1 – most deprived 10 %';
  if (decile === 10) return '10 – least deprived 10 %';
  return String(decile);
}

/**
 * The measure the map shows for the one chosen: a rate needs population figures and a decile deprivation figures, so
 * when no LSOA of the answer (the place's LSOAs) has one, as on a dataset imported without them, the map shows the
 * number of crimes rather than every LSOA as "no data", and says why.
 */
export function shownMeasure(chosen: Measure, rows: readonly MeasureRow[]): { measure: Measure; substitute?: string } {
  if (chosen === 'count' || rows.length === 0 || rows.some((r) => measureValue(chosen, r) !== null)) return { measure: chosen };
  const missing = chosen === 'rate' ? 'population figures, so no rate per 1,000 residents' : 'a deprivation decile';
  return { measure: 'count', substitute: `No LSOA of this place has ${missing}: the map shows the number of crimes instead.` };
}

/**
 * Classes for the chosen measure. Count and rate use 5 quantile classes (fewer when ties collapse them) on the
 * YlOrRd ramp, with 0 as a class of its own (the lightest) whenever some LSOAs have none and others some (see
 * quantileBreaks); IMD uses its 10 fixed deciles, decile 1 (most deprived) in the darkest red.
 * `allCodes` lists every LSOA on the map so that LSOAs without a row count as "no data".
 */
export function buildChoropleth(measure: Measure, rows: readonly MeasureRow[], allCodes?: readonly string[]): Choropleth {
  const classByCode = new Map<string, number>();
  const known = new Set<string>();
  let colours: string[];
  let legend: LegendClass[];

  if (measure === 'imd-decile') {
    colours = [...IMD_DECILE_10];
    const counts = new Array<number>(10).fill(0);
    for (const row of rows) {
      known.add(row.code);
      const d = measureValue(measure, row);
      if (d === null || !Number.isInteger(d) || d < 1 || d > 10) continue;
      classByCode.set(row.code, d - 1);
      counts[d - 1]!++;
    }
    legend = colours.map((colour, i) => ({ label: decileLabel(i + 1), colour, lsoas: counts[i]! }));
  } else {
    const values = rows.map((r) => measureValue(measure, r));
    const cls = quantileBreaks(values, 5);
    colours = spreadColours(SEQUENTIAL_5, cls.classes.length);
    rows.forEach((row, i) => {
      known.add(row.code);
      const idx = classIndex(values[i], cls.lowerBounds);
      if (idx >= 0) classByCode.set(row.code, idx);
    });
    legend = cls.classes.map((c, i) => ({ label: rangeLabel(c.min, c.max, measure), colour: colours[i]!, lsoas: c.count }));
  }

  let noDataLsoas = 0;
  const universe = allCodes ?? [...known];
  for (const code of universe) if (!classByCode.has(code)) noDataLsoas++;
  return { measure, classByCode, colours, legend, noDataColour: NO_DATA_COLOUR, noDataLsoas };
}

/** The legend title for the choropleth, e.g. "Crimes per 1,000 residents — All crime and ASB — Jan 2024 to Dec 2024 (12 months)". */
export function choroplethTitle(measure: Choropleth['measure'], categoryLabel: string, period: { from: string; to: string } | null): string {
  if (measure === 'imd-decile') return MEASURE_TITLES['imd-decile'];
  const parts = [MEASURE_TITLES[measure], categoryLabel];
  if (period) parts.push(periodLabel(period.from, period.to));
  return parts.join(' — ');
}
