import { strToU8, zipSync } from 'fflate';
import type { AreaGeometry, BidGeoJson } from '@safer-places/schemas';
import { toCsv } from '../csv';
import { renderBidReport, type BidReportInput } from './report';

/** The evidence pack: report.html, lsoas.csv and the three areas as GeoJSON, zipped (fflate, deflate). */
export interface BidPack {
  filename: string;
  zip: Uint8Array;
}

export function bidLsoasCsv(input: BidReportInput): string {
  const passes = new Map((input.eligibility?.lsoas ?? []).map((l) => [l.code, l]));
  const header = ['lsoa_code', 'lsoa_name', 'ward', 'district', 'csp', 'area_group', 'area_km2', 'residents', 'deprivation_decile', 'crimes_12m', 'crimes_previous_12m', 'rate_per_1000', 'meets_criteria', 'period_from', 'period_to'];
  const s = input.selection;
  return toCsv([
    header,
    ...s.lsoas.map((l) => {
      const e = passes.get(l.code);
      return [l.code, l.name, l.ward, l.district, l.cspName, l.group + 1, l.areaKm2, l.population, l.decile, l.count, l.previousCount, l.rate, e ? (e.passes ? 'yes' : 'no') : 'out of scope', s.period.from, s.period.to];
    }),
  ]);
}

function featureCollection(features: { geometry: AreaGeometry | null; properties: Record<string, unknown> }[]): string {
  const fc: BidGeoJson = {
    type: 'FeatureCollection',
    features: features.filter((f) => f.geometry !== null).map((f) => ({ type: 'Feature', geometry: f.geometry!, properties: f.properties })),
  };
  return JSON.stringify(fc);
}

export function packFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return `${slug || 'bid'}-evidence-pack.zip`;
}

export function buildBidPack(input: BidReportInput, lsoaGeometry: Map<string, AreaGeometry>, comparisonGeometry: Map<string, AreaGeometry>): BidPack {
  const s = input.selection;
  const name = input.bid.name;
  const files: Record<string, Uint8Array> = {
    'report.html': strToU8(renderBidReport(input)),
    'lsoas.csv': strToU8(bidLsoasCsv(input)),
    'target.geojson': strToU8(
      featureCollection([
        { geometry: s.target, properties: { kind: 'target', bid: name, lsoas: s.totals.lsoas, areaKm2: s.totals.areaKm2 } },
        ...s.lsoas.map((l) => ({ geometry: lsoaGeometry.get(l.code) ?? null, properties: { kind: 'lsoa', code: l.code, name: l.name, group: l.group + 1 } })),
      ]),
    ),
    'comparison.geojson': strToU8(
      featureCollection([
        { geometry: s.comparison.geometry, properties: { kind: 'comparison', bid: name, lsoas: s.comparison.lsoas.length, suggested: s.comparison.suggested } },
        ...s.comparison.lsoas.map((l) => ({ geometry: comparisonGeometry.get(l.code) ?? null, properties: { kind: 'lsoa', code: l.code, name: l.name, score: l.score } })),
      ]),
    ),
    'buffer.geojson': strToU8(featureCollection([{ geometry: s.buffer, properties: { kind: 'buffer', bid: name, bufferM: s.bufferM } }])),
  };
  const mtime = input.generatedAt;
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [v, { mtime }]])), { level: 6 });
  return { filename: packFileName(name), zip };
}
