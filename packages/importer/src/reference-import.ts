import { readFile } from 'node:fs/promises';
import type { AreaGeometry, DataSource, Lsoa, Position } from '@safer-places/schemas';
import { findSelfIntersection, geometryBBox } from '@safer-places/geo';
import { readCsvRows } from './csv';
import type { DetectedFile } from './detect';

/** The LSOA 2011 → 2021 relationships the importer needs again later (retired codes in older police.uk months). */
export interface Lsoa11Lookup {
  /** LSOA 2021 code → its 2011 parents with the ONS change indicator (U unchanged, S split, M merged, X irregular). */
  parents: Record<string, { code11: string; chgind: string }[]>;
  /** 2011 codes that no longer exist in 2021 → the 2021 codes that replaced them. */
  retired: Record<string, string[]>;
}

export interface ReferenceReport {
  lsoas: number;
  boundaryFiles: number;
  invalidBoundaries: string[];
  deprivation: { iod2025: number; imd2019Unchanged: number; imd2019Split: number; imd2019Merged: number; none: number };
  population: { census2021: number; mid2020Carried: number; none: number };
  /** Rows in attribute files for LSOAs that are not in this dataset's boundaries (e.g. an all-England file). */
  rowsOutsideDataset: number;
  warnings: string[];
}

/** Deciles from an IMD 2019 rank: 32,844 LSOAs in England, rank 1 = most deprived. */
const IMD2019_LSOAS = 32_844;
const decileFromRank = (rank: number) => Math.min(10, Math.max(1, Math.ceil((rank / IMD2019_LSOAS) * 10)));

const OGL = 'Open Government Licence v3.0';
const OS_NOTICE = 'Contains OS data © Crown copyright and database right';

const SOURCE_BY_KIND: Partial<Record<DetectedFile['kind'], DataSource>> = {
  'lsoa21-boundaries': { name: 'LSOA (December 2021) boundaries', publisher: `Office for National Statistics; ${OS_NOTICE}`, licence: OGL },
  iod2025: { name: 'English Indices of Deprivation 2025', publisher: 'Ministry of Housing, Communities and Local Government', licence: OGL },
  imd2019: { name: 'English Indices of Deprivation 2019 (carried to 2021 LSOAs)', publisher: 'Ministry of Housing, Communities and Local Government', licence: OGL },
  'population-lsoa21': { name: 'Census 2021 usual residents', publisher: 'Office for National Statistics', licence: OGL },
  'population-lsoa11': { name: 'ONS mid-2020 population estimates (carried to 2021 LSOAs)', publisher: 'Office for National Statistics', licence: OGL },
  'lookup-lsoa11-lsoa21': { name: 'LSOA 2011 to 2021 lookup', publisher: 'Office for National Statistics', licence: OGL },
  'lookup-lsoa21-ward-lad': { name: 'LSOA 2021 to ward and district lookup', publisher: 'Office for National Statistics', licence: OGL },
  'lookup-lad-csp': { name: 'District to Community Safety Partnership lookup', publisher: 'Office for National Statistics', licence: OGL },
};

export function sourcesFor(files: DetectedFile[]): DataSource[] {
  const out = new Map<string, DataSource>();
  for (const f of files) {
    const s = SOURCE_BY_KIND[f.kind];
    if (s) out.set(s.name, s);
  }
  return [...out.values()];
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
function roundGeometry(g: AreaGeometry): AreaGeometry {
  const ring = (r: Position[]) => r.map(([x, y]) => [round6(x), round6(y)] as Position);
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
}

function prop(props: Record<string, unknown>, pattern: RegExp): string | null {
  const key = Object.keys(props).find((k) => pattern.test(k));
  const v = key ? props[key] : null;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

const num = (s: string | undefined) => {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
};

async function* rowsOf(file: DetectedFile) {
  let first = true;
  for await (const row of readCsvRows(file.path)) {
    if (first) {
      first = false;
      continue;
    }
    const get = (field: string) => {
      const i = file.columns?.[field];
      return i === undefined ? undefined : row.values[i]?.trim();
    };
    yield get;
  }
}

/**
 * Builds the dataset's LSOAs from boundary, lookup, deprivation and population files, on top of what is stored.
 * Deprivation: IoD 2025 joins on 2021 codes directly. IMD 2019 (2011 codes) is carried through the ONS lookup only
 * where an LSOA has no IoD 2025 decile: unchanged → same decile; split → each part takes its parent's decile; merged
 * (or irregular) → decile of the population-weighted mean rank of its parents. Split and merged values are marked
 * approximate in the deprivation source shown to users.
 */
export async function importReference(files: DetectedFile[], existing: Lsoa[], storedLookup: Lsoa11Lookup | null) {
  const report: ReferenceReport = {
    lsoas: 0,
    boundaryFiles: 0,
    invalidBoundaries: [],
    deprivation: { iod2025: 0, imd2019Unchanged: 0, imd2019Split: 0, imd2019Merged: 0, none: 0 },
    population: { census2021: 0, mid2020Carried: 0, none: 0 },
    rowsOutsideDataset: 0,
    warnings: [],
  };
  const lsoas = new Map<string, Lsoa>(existing.map((l) => [l.code, { ...l }]));
  const of = (kind: DetectedFile['kind']) => files.filter((f) => f.kind === kind);
  let changed = false;

  for (const f of of('lsoa21-boundaries')) {
    report.boundaryFiles++;
    const fc = JSON.parse(await readFile(f.path, 'utf8')) as { features: { properties: Record<string, unknown>; geometry: AreaGeometry | null }[] };
    for (const feature of fc.features) {
      const props = feature.properties ?? {};
      const code = prop(props, /^lsoa21cd$/i);
      const geometry = feature.geometry;
      if (!code) continue;
      if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
        report.invalidBoundaries.push(`${code}: geometry is ${(geometry as { type?: string } | null)?.type ?? 'missing'}, not a polygon`);
        continue;
      }
      const rounded = roundGeometry(geometry);
      if (findSelfIntersection(rounded)) report.warnings.push(`${code}: boundary crosses itself; kept as published`);
      const before = lsoas.get(code);
      lsoas.set(code, {
        code,
        name: prop(props, /^lsoa21nm$/i) ?? before?.name ?? code,
        districtCode: prop(props, /^lad\d\dcd$/i) ?? before?.districtCode ?? '',
        districtName: prop(props, /^lad\d\dnm$/i) ?? before?.districtName ?? '',
        wardName: prop(props, /^wd\d\dnm$/i) ?? before?.wardName ?? null,
        cspCode: before?.cspCode ?? null,
        cspName: before?.cspName ?? null,
        population: before?.population ?? null,
        imdDecile: before?.imdDecile ?? null,
        deprivationSource: before?.deprivationSource ?? null,
        geometry: rounded,
        bbox: geometryBBox(rounded),
      });
      changed = true;
    }
  }

  const inDataset = (code: string | undefined): Lsoa | undefined => {
    const l = code ? lsoas.get(code) : undefined;
    if (code && !l) report.rowsOutsideDataset++;
    return l;
  };

  for (const f of of('lookup-lsoa21-ward-lad')) {
    for await (const get of rowsOf(f)) {
      const l = inDataset(get('lsoa21cd'));
      if (!l) continue;
      l.wardName = get('wd24nm') || l.wardName;
      l.districtCode = get('lad24cd') || l.districtCode;
      l.districtName = get('lad24nm') || l.districtName;
      changed = true;
    }
  }

  const csp = new Map<string, { code: string; name: string }>();
  for (const f of of('lookup-lad-csp')) {
    for await (const get of rowsOf(f)) {
      const lad = get('lad24cd');
      if (lad) csp.set(lad, { code: get('csp24cd') ?? '', name: get('csp24nm') ?? '' });
    }
  }
  if (csp.size > 0) {
    for (const l of lsoas.values()) {
      const c = csp.get(l.districtCode);
      if (c) {
        l.cspCode = c.code;
        l.cspName = c.name;
        changed = true;
      }
    }
  }

  let lookup = storedLookup;
  for (const f of of('lookup-lsoa11-lsoa21')) {
    const parents: Lsoa11Lookup['parents'] = {};
    const children = new Map<string, Set<string>>();
    for await (const get of rowsOf(f)) {
      const code11 = get('lsoa11cd');
      const code21 = get('lsoa21cd');
      if (!code11 || !code21) continue;
      (parents[code21] ??= []).push({ code11, chgind: (get('chgind') ?? 'U').toUpperCase() });
      if (!children.has(code11)) children.set(code11, new Set());
      children.get(code11)!.add(code21);
    }
    const codes21 = new Set(Object.keys(parents));
    const retired: Lsoa11Lookup['retired'] = {};
    for (const [code11, kids] of children) if (!codes21.has(code11)) retired[code11] = [...kids].sort();
    lookup = { parents, retired };
  }

  const populationSet = new Set<string>();
  for (const f of of('population-lsoa21')) {
    for await (const get of rowsOf(f)) {
      const l = inDataset(get('lsoa21cd'));
      const n = num(get('population'));
      if (!l || n === null) continue;
      l.population = n;
      populationSet.add(l.code);
      changed = true;
    }
  }
  report.population.census2021 = populationSet.size;

  const iodSet = new Set<string>();
  for (const f of of('iod2025')) {
    for await (const get of rowsOf(f)) {
      const l = inDataset(get('lsoa21cd'));
      const d = num(get('imd_decile'));
      if (!l || d === null) continue;
      l.imdDecile = d;
      l.deprivationSource = 'IMD 2025 (English Indices of Deprivation 2025, MHCLG)';
      iodSet.add(l.code);
      changed = true;
    }
  }
  report.deprivation.iod2025 = iodSet.size;

  const imd2019 = new Map<string, { rank: number; population: number | null }>();
  for (const f of of('imd2019')) {
    for await (const get of rowsOf(f)) {
      const code = get('lsoa11cd');
      const rank = num(get('imd_rank'));
      if (code && rank !== null) imd2019.set(code, { rank, population: null });
    }
  }
  const mid2020 = new Map<string, number>();
  for (const f of of('population-lsoa11')) {
    for await (const get of rowsOf(f)) {
      const code = get('lsoa11cd');
      const n = num(get('population'));
      if (code && n !== null) mid2020.set(code, n);
    }
  }
  if ((imd2019.size > 0 || mid2020.size > 0) && !lookup) {
    report.warnings.push('IMD 2019 / mid-2020 population are on 2011 LSOAs: without the LSOA 2011→2021 lookup they join only where the code is unchanged');
  }
  const parentsOf = (code21: string) => lookup?.parents[code21] ?? [{ code11: code21, chgind: 'U' }];
  const childCount = new Map<string, number>();
  if (lookup) for (const ps of Object.values(lookup.parents)) for (const p of ps) childCount.set(p.code11, (childCount.get(p.code11) ?? 0) + 1);

  for (const l of lsoas.values()) {
    const parents = parentsOf(l.code);
    if (imd2019.size > 0 && !iodSet.has(l.code) && !(l.deprivationSource ?? '').startsWith('IMD 2025')) {
      const known = parents.map((p) => ({ ...p, imd: imd2019.get(p.code11) })).filter((p) => p.imd);
      if (known.length === parents.length && known.length > 0) {
        if (known.length === 1 && (childCount.get(known[0]!.code11) ?? 1) <= 1) {
          l.imdDecile = decileFromRank(known[0]!.imd!.rank);
          l.deprivationSource = 'IMD 2019 (English Indices of Deprivation 2019, MHCLG; LSOA unchanged since 2011)';
          report.deprivation.imd2019Unchanged++;
        } else if (known.length === 1) {
          l.imdDecile = decileFromRank(known[0]!.imd!.rank);
          l.deprivationSource = `IMD 2019, approximate: this LSOA was split from ${known[0]!.code11} in 2021 and takes its decile`;
          report.deprivation.imd2019Split++;
        } else {
          const weights = known.map((p) => mid2020.get(p.code11) ?? 1);
          const total = weights.reduce((a, b) => a + b, 0);
          const rank = known.reduce((s, p, i) => s + p.imd!.rank * weights[i]!, 0) / total;
          l.imdDecile = decileFromRank(rank);
          l.deprivationSource = `IMD 2019, approximate: population-weighted mean rank of ${known.map((p) => p.code11).join(', ')}, merged in 2021`;
          report.deprivation.imd2019Merged++;
        }
        changed = true;
      }
    }
    if (mid2020.size > 0 && !populationSet.has(l.code)) {
      const known = parents.filter((p) => mid2020.has(p.code11));
      if (known.length === parents.length && known.length > 0) {
        // Split: an equal share of the parent; merged: the sum of the parents.
        l.population = Math.round(known.reduce((s, p) => s + mid2020.get(p.code11)! / (childCount.get(p.code11) ?? 1), 0));
        report.population.mid2020Carried++;
        changed = true;
      }
    }
  }
  report.lsoas = lsoas.size;
  report.deprivation.none = [...lsoas.values()].filter((l) => l.imdDecile === null).length;
  report.population.none = [...lsoas.values()].filter((l) => l.population === null).length;
  return { lsoas: [...lsoas.values()].sort((a, b) => a.code.localeCompare(b.code)), changed, lookup, report };
}
