import { featuresBBox } from '../scope/scopeState';
import type { BBox, Feature, LsoaStats, Measure } from '@safer-places/schemas';
import type { Choropleth } from '../map/choropleth';
import { formatInteger, formatRate } from '../../shared/format';
import { periodLabel } from '../../shared/period';
import type { Column, Identified } from './tableModel';

/*
 * The LSOA table: one row per LSOA of the scope (the statistics answer's rows), joined with the names, ward and district
 * of the scope's LSOA layer, ranked within the scope, with the class the map shades it in. Pure: tested as data.
 */

/** What the table knows of an LSOA beyond its figures: names, place, where it is, and what the LSOA panel reads. */
export interface LsoaAttributes {
  code: string;
  name: string | null;
  ward: string | null;
  district: string | null;
  bbox: BBox | null;
  /** The layer feature's properties, handed to the LSOA panel when a row is chosen. */
  properties: Record<string, unknown>;
}

export interface LsoaRow extends Identified {
  code: string;
  name: string | null;
  ward: string | null;
  district: string | null;
  count: number;
  ratePer1000: number | null;
  population: number | null;
  imdDecile: number | null;
  /** Competition rank ("1, 2, 2, 4") within the scope, highest first. */
  countRank: number;
  rateRank: number | null;
  /** The map's class for the measure shown ("12–20 crimes"), or null when the LSOA has none (no data). */
  classLabel: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The box of a polygon feature's coordinates (the scope's helper: the web app does no geometry beyond boxes). */
export function geometryBox(geometry: Feature['geometry'] | null | undefined): BBox | null {
  return geometry && 'coordinates' in geometry ? featuresBBox([{ geometry: geometry as { type: string; coordinates: unknown } }]) : null;
}

/** The attributes of each LSOA of a layer answer (the scope's LSOAs as GeoJSON), by code. */
export function lsoaAttributes(features: readonly Feature[]): Map<string, LsoaAttributes> {
  const out = new Map<string, LsoaAttributes>();
  for (const f of features) {
    const p = f.properties;
    const code = str(p.code);
    if (!code) continue;
    out.set(code, {
      code,
      name: str(p.name),
      ward: str(p.wardName),
      district: str(p.districtName) ?? str(p.districtCode),
      bbox: geometryBox(f.geometry),
      properties: { ...p },
    });
  }
  return out;
}

/** Competition ranks, highest first, of each value (null values get no rank). */
function competitionRanks(values: readonly (number | null)[]): (number | null)[] {
  const order = values.map((v, i) => [v, i] as const).filter((x): x is readonly [number, number] => x[0] !== null).sort((a, b) => b[0] - a[0]);
  const ranks = new Array<number | null>(values.length).fill(null);
  order.forEach(([v, i], k) => {
    ranks[i] = k > 0 && order[k - 1]![0] === v ? ranks[order[k - 1]![1]]! : k + 1;
  });
  return ranks;
}

/** The table's rows: every statistics row, with the attributes known for it and its map class. */
export function lsoaRows(stats: Pick<LsoaStats, 'lsoas'>, attributes: ReadonlyMap<string, LsoaAttributes> | null, choropleth: Pick<Choropleth, 'classByCode' | 'legend'> | null): LsoaRow[] {
  const countRanks = competitionRanks(stats.lsoas.map((r) => r.count));
  const rateRanks = competitionRanks(stats.lsoas.map((r) => r.ratePer1000));
  return stats.lsoas.map((r, i) => {
    const a = attributes?.get(r.code);
    const cls = choropleth?.classByCode.get(r.code);
    return {
      id: r.code,
      code: r.code,
      name: a?.name ?? null,
      ward: a?.ward ?? null,
      district: a?.district ?? null,
      count: r.count,
      ratePer1000: r.ratePer1000,
      population: r.population,
      imdDecile: r.imdDecile,
      countRank: countRanks[i]!,
      rateRank: rateRanks[i] ?? null,
      classLabel: cls === undefined ? null : (choropleth?.legend[cls]?.label ?? null),
    };
  });
}

const dash = (v: string | null) => v ?? '—';

/** The map class column's measure, short enough for a column header. */
const MEASURE_SHORT: Record<Measure, string> = { count: 'number', rate: 'rate', 'imd-decile': 'IMD decile' };

/** The LSOA table's columns; `measure` names the map class column ("Map class: crimes per 1,000 residents"). */
export function lsoaColumns(measure: Measure): Column<LsoaRow>[] {
  return [
    { key: 'code', label: 'LSOA code', numeric: false, searchable: true, value: (r) => r.code, text: (r) => r.code },
    { key: 'name', label: 'LSOA name', numeric: false, searchable: true, value: (r) => r.name, text: (r) => dash(r.name) },
    { key: 'ward', label: 'Ward', numeric: false, searchable: true, value: (r) => r.ward, text: (r) => dash(r.ward) },
    { key: 'district', label: 'District', numeric: false, searchable: true, value: (r) => r.district, text: (r) => dash(r.district) },
    { key: 'count', label: 'Crimes (number)', numeric: true, value: (r) => r.count, text: (r) => formatInteger(r.count) },
    { key: 'rate', label: 'Crimes per 1,000 residents', numeric: true, value: (r) => r.ratePer1000, text: (r) => (r.ratePer1000 === null ? 'not known' : formatRate(r.ratePer1000)) },
    { key: 'countRank', label: 'Rank by number', numeric: true, value: (r) => r.countRank, text: (r) => formatInteger(r.countRank) },
    { key: 'rateRank', label: 'Rank by rate', numeric: true, value: (r) => r.rateRank, text: (r) => (r.rateRank === null ? '—' : formatInteger(r.rateRank)) },
    { key: 'population', label: 'Residents', numeric: true, value: (r) => r.population, text: (r) => (r.population === null ? 'not known' : formatInteger(r.population)) },
    { key: 'imdDecile', label: 'IMD decile (1 = most deprived)', numeric: true, value: (r) => r.imdDecile, text: (r) => (r.imdDecile === null ? 'not known' : String(r.imdDecile)) },
    { key: 'class', label: `Map class (${MEASURE_SHORT[measure]})`, numeric: false, value: (r) => r.classLabel, text: (r) => r.classLabel ?? 'no data' },
  ];
}

/** What the LSOA table and its CSV are: the dataset, the place, the crimes and period, and where residents come from. */
export function lsoaTableAbout(stats: Pick<LsoaStats, 'dataset' | 'scope' | 'categoryLabel' | 'from' | 'to' | 'months'>, populationSource: string): string[] {
  return [
    `LSOAs of ${stats.scope?.label ?? 'the study area'}: ${stats.categoryLabel}, ${periodLabel(stats.from, stats.to)}`,
    `Dataset: ${stats.dataset.name}${stats.dataset.synthetic ? ' (synthetic demo data, not real crime)' : ''}`,
    `Crimes: police.uk street-level crimes placed in each LSOA over the period; rate: crimes per 1,000 ${populationSource} over the whole period; ranks within the place, 1 = most; IMD decile 1 = most deprived 10 % of England`,
  ];
}
