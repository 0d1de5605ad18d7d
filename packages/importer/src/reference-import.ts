import type { DataSource, Lsoa } from '@safer-places/schemas';
import { findSelfIntersection, geometryBBox } from '@safer-places/geo';
import { compareDetail, type BoundarySet } from './boundaries';
import { readCsvRows } from './csv';
import type { DetectedFile } from './detect';
import { districtNameFromLsoaName, nameKey, type DistrictLookupRow } from './places';

/** The LSOA 2011 → 2021 relationships the importer needs again later (retired codes in older police.uk months). */
export interface Lsoa11Lookup {
  /** LSOA 2021 code → its 2011 parents with the ONS change indicator (U unchanged, S split, M merged, X irregular). */
  parents: Record<string, { code11: string; chgind: string }[]>;
  /** 2011 codes that no longer exist in 2021 → the 2021 codes that replaced them. */
  retired: Record<string, string[]>;
}

export interface ReferenceReport {
  /** LSOAs the dataset holds after the import (all in its study area). */
  lsoas: number;
  boundaryFiles: number;
  invalidBoundaries: string[];
  deprivation: { iod2025: number; imd2019Unchanged: number; imd2019Split: number; imd2019Merged: number; none: number };
  population: { census2021: number; mid2020Carried: number; none: number };
  /** Rows in attribute files for LSOAs that are not in this dataset (outside its study area, e.g. an all-England file). */
  rowsOutsideDataset: number;
  /** Per LSOA-keyed attribute or lookup file: its rows, and how many are for LSOAs outside the study area (not kept). */
  attributeFiles: { path: string; label: string; rows: number; outsideStudyArea: number }[];
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
  'onspd-postcodes': {
    name: 'ONS postcode directory (postcode search)',
    publisher: `Office for National Statistics; ${OS_NOTICE}; Contains Royal Mail data © Royal Mail copyright and database right`,
    licence: OGL,
  },
};

export function sourcesFor(files: DetectedFile[]): DataSource[] {
  const out = new Map<string, DataSource>();
  for (const f of files) {
    const s = SOURCE_BY_KIND[f.kind];
    if (s) out.set(s.name, s);
  }
  return [...out.values()];
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

/** One row of the LSOA 2021 → ward → district lookup. */
export interface WardRow {
  ward: string | null;
  lad: string | null;
  ladName: string | null;
}

/** Reads the LSOA 2021 → ward → district lookup files (a later file's row for an LSOA wins). */
export async function readWardLookup(files: DetectedFile[]): Promise<{ byCode: Map<string, WardRow>; rows: Map<string, string[]> }> {
  const byCode = new Map<string, WardRow>();
  /** Per file: the LSOA code of each row, to count later which were kept. */
  const rows = new Map<string, string[]>();
  for (const f of files) {
    const codes: string[] = [];
    for await (const get of rowsOf(f)) {
      const code = get('lsoa21cd');
      if (!code) continue;
      codes.push(code);
      byCode.set(code, { ward: get('wd24nm') || null, lad: get('lad24cd') || null, ladName: get('lad24nm') || null });
    }
    rows.set(f.path, codes);
  }
  return { byCode, rows };
}

/** Reads the ONS LAD → CSP (→ PFA) lookup files; null when none was given. */
export async function readDistrictLookup(files: DetectedFile[]): Promise<DistrictLookupRow[] | null> {
  if (files.length === 0) return null;
  const byLad = new Map<string, DistrictLookupRow>();
  for (const f of files) {
    for await (const get of rowsOf(f)) {
      const lad = get('lad24cd');
      if (!lad) continue;
      byLad.set(lad, { lad, ladName: get('lad24nm') ?? '', csp: get('csp24cd') ?? '', cspName: get('csp24nm') ?? '', pfa: get('pfa24cd') ?? '', pfaName: get('pfa24nm') ?? '' });
    }
  }
  return [...byLad.values()].sort((a, b) => a.lad.localeCompare(b.lad));
}

/**
 * Every LSOA the import could keep: those stored and those in this import's boundary files, with their districts
 * resolved (the ward lookup's district first, then the boundary file's, then what was stored, then, for a file with
 * LSOA codes and names only, the district named in the ONS LSOA name, its code found through the lookups by name).
 * Attributes (deprivation, population, CSP) are left as stored; a boundary given again replaces the stored one unless
 * the stored one is more detailed.
 */
export function draftLsoas(boundaries: BoundarySet, existing: Lsoa[], wards: Map<string, WardRow>, districts: DistrictLookupRow[] | null): Map<string, Lsoa> {
  const drafts = new Map<string, Lsoa>(existing.map((l) => [l.code, { ...l }]));
  for (const c of boundaries.byCode.values()) {
    const before = drafts.get(c.code);
    const geometry = before && compareDetail(before.geometry, c.geometry) > 0 ? before.geometry : c.geometry;
    drafts.set(c.code, {
      code: c.code,
      name: c.name ?? before?.name ?? c.code,
      districtCode: c.districtCode ?? before?.districtCode ?? '',
      districtName: c.districtName ?? before?.districtName ?? '',
      wardName: c.wardName ?? before?.wardName ?? null,
      cspCode: before?.cspCode ?? null,
      cspName: before?.cspName ?? null,
      population: before?.population ?? null,
      imdDecile: before?.imdDecile ?? null,
      deprivationSource: before?.deprivationSource ?? null,
      geometry,
      bbox: geometry === before?.geometry ? before.bbox : geometryBBox(geometry),
    });
  }
  for (const l of drafts.values()) {
    const w = wards.get(l.code);
    if (w) {
      l.wardName = w.ward ?? l.wardName;
      l.districtCode = w.lad ?? l.districtCode;
      l.districtName = w.ladName ?? l.districtName;
    }
  }
  // District codes and names known together, to fill in whichever an LSOA lacks.
  const nameOfCode = new Map<string, string>();
  const codesOfName = new Map<string, Set<string>>();
  const know = (code: string, name: string) => {
    if (!code || !name) return;
    if (!nameOfCode.has(code)) nameOfCode.set(code, name);
    const k = nameKey(name);
    if (!codesOfName.has(k)) codesOfName.set(k, new Set());
    codesOfName.get(k)!.add(code);
  };
  for (const d of districts ?? []) know(d.lad, d.ladName);
  for (const l of drafts.values()) know(l.districtCode, l.districtName);
  for (const l of drafts.values()) {
    if (!l.districtName) l.districtName = (l.districtCode && nameOfCode.get(l.districtCode)) || districtNameFromLsoaName(l.name) || '';
    if (!l.districtCode && l.districtName) {
      const codes = codesOfName.get(nameKey(l.districtName));
      if (codes?.size === 1) l.districtCode = [...codes][0]!;
    }
  }
  return drafts;
}

/**
 * Completes the LSOAs kept (those of the study area) from lookup, deprivation and population files; rows of those
 * files for LSOAs outside the study area are counted and left out.
 * Deprivation: IoD 2025 joins on 2021 codes directly. IMD 2019 (2011 codes) is carried through the ONS lookup only
 * where an LSOA has no IoD 2025 decile: unchanged → same decile; split → each part takes its parent's decile; merged
 * (or irregular) → decile of the population-weighted mean rank of its parents. Split and merged values are marked
 * approximate in the deprivation source shown to users. The LSOA 2011 → 2021 lookup is kept for the study area only.
 */
export async function importReference(
  files: DetectedFile[],
  kept: Lsoa[],
  inputs: { boundaries: BoundarySet; boundaryCodesKept: Set<string>; wardRows: Map<string, string[]>; districts: DistrictLookupRow[] | null; storedLookup: Lsoa11Lookup | null },
) {
  const report: ReferenceReport = {
    lsoas: 0,
    boundaryFiles: inputs.boundaries.files,
    invalidBoundaries: [...inputs.boundaries.invalid],
    deprivation: { iod2025: 0, imd2019Unchanged: 0, imd2019Split: 0, imd2019Merged: 0, none: 0 },
    population: { census2021: 0, mid2020Carried: 0, none: 0 },
    rowsOutsideDataset: 0,
    attributeFiles: [],
    warnings: [],
  };
  const lsoas = new Map<string, Lsoa>(kept.map((l) => [l.code, { ...l }]));
  const of = (kind: DetectedFile['kind']) => files.filter((f) => f.kind === kind);
  const fileCount = (f: DetectedFile) => {
    const entry = { path: f.path, label: f.label, rows: 0, outsideStudyArea: 0 };
    report.attributeFiles.push(entry);
    return entry;
  };
  const inDataset = (entry: { rows: number; outsideStudyArea: number }, code: string | undefined): Lsoa | undefined => {
    entry.rows++;
    const l = code ? lsoas.get(code) : undefined;
    if (code && !l) entry.outsideStudyArea++;
    return l;
  };

  for (const code of inputs.boundaryCodesKept) {
    const l = lsoas.get(code);
    if (l && findSelfIntersection(l.geometry)) report.warnings.push(`${code}: boundary crosses itself; kept as published`);
  }

  for (const f of of('lookup-lsoa21-ward-lad')) {
    const entry = fileCount(f);
    for (const code of inputs.wardRows.get(f.path) ?? []) inDataset(entry, code);
  }

  if (inputs.districts) {
    const csp = new Map(inputs.districts.filter((d) => d.csp).map((d) => [d.lad, d]));
    for (const l of lsoas.values()) {
      const c = csp.get(l.districtCode);
      if (c) {
        l.cspCode = c.csp;
        l.cspName = c.cspName;
      }
    }
  }

  let lookup = inputs.storedLookup;
  for (const f of of('lookup-lsoa11-lsoa21')) {
    const entry = fileCount(f);
    const parents: Lsoa11Lookup['parents'] = {};
    const children = new Map<string, Set<string>>();
    for await (const get of rowsOf(f)) {
      const code11 = get('lsoa11cd');
      const code21 = get('lsoa21cd');
      if (!code11 || !code21) continue;
      if (!inDataset(entry, code21)) continue;
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
    const entry = fileCount(f);
    for await (const get of rowsOf(f)) {
      const l = inDataset(entry, get('lsoa21cd'));
      const n = num(get('population'));
      if (!l || n === null) continue;
      l.population = n;
      populationSet.add(l.code);
    }
  }
  report.population.census2021 = populationSet.size;

  const iodSet = new Set<string>();
  for (const f of of('iod2025')) {
    const entry = fileCount(f);
    for await (const get of rowsOf(f)) {
      const l = inDataset(entry, get('lsoa21cd'));
      const d = num(get('imd_decile'));
      if (!l || d === null) continue;
      l.imdDecile = d;
      l.deprivationSource = 'IMD 2025 (English Indices of Deprivation 2025, MHCLG)';
      iodSet.add(l.code);
    }
  }
  report.deprivation.iod2025 = iodSet.size;

  const parentsOf = (code21: string) => lookup?.parents[code21] ?? [{ code11: code21, chgind: 'U' }];
  // 2011 LSOAs the kept 2021 LSOAs come from: rows of 2011-based files for any other are outside the study area.
  const needed11 = new Set<string>();
  for (const l of lsoas.values()) for (const p of parentsOf(l.code)) needed11.add(p.code11);
  const imd2019 = new Map<string, { rank: number; population: number | null }>();
  for (const f of of('imd2019')) {
    const entry = fileCount(f);
    for await (const get of rowsOf(f)) {
      const code = get('lsoa11cd');
      const rank = num(get('imd_rank'));
      entry.rows++;
      if (code && !needed11.has(code)) {
        entry.outsideStudyArea++;
        continue;
      }
      if (code && rank !== null) imd2019.set(code, { rank, population: null });
    }
  }
  const mid2020 = new Map<string, number>();
  for (const f of of('population-lsoa11')) {
    const entry = fileCount(f);
    for await (const get of rowsOf(f)) {
      const code = get('lsoa11cd');
      const n = num(get('population'));
      entry.rows++;
      if (code && !needed11.has(code)) {
        entry.outsideStudyArea++;
        continue;
      }
      if (code && n !== null) mid2020.set(code, n);
    }
  }
  if ((imd2019.size > 0 || mid2020.size > 0) && !lookup) {
    report.warnings.push('IMD 2019 / mid-2020 population are on 2011 LSOAs: without the LSOA 2011→2021 lookup they join only where the code is unchanged');
  }
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
      }
    }
    if (mid2020.size > 0 && !populationSet.has(l.code)) {
      const known = parents.filter((p) => mid2020.has(p.code11));
      if (known.length === parents.length && known.length > 0) {
        // Split: an equal share of the parent; merged: the sum of the parents.
        l.population = Math.round(known.reduce((s, p) => s + mid2020.get(p.code11)! / (childCount.get(p.code11) ?? 1), 0));
        report.population.mid2020Carried++;
      }
    }
  }
  report.rowsOutsideDataset = report.attributeFiles.reduce((s, f) => s + f.outsideStudyArea, 0);
  report.lsoas = lsoas.size;
  report.deprivation.none = [...lsoas.values()].filter((l) => l.imdDecile === null).length;
  report.population.none = [...lsoas.values()].filter((l) => l.population === null).length;
  return { lsoas: [...lsoas.values()].sort((a, b) => a.code.localeCompare(b.code)), lookup, report };
}
