import type { Lsoa, StudyArea, StudyAreaMethod } from '@safer-places/schemas';
import { ImportInputError } from './errors';
import { forceKey, listNames, nameKey, plural, type DistrictLookupRow } from './places';

/** A study area named on the command line (`--districts`, `--csp`, `--force`): at most one of the three. */
export interface StudyAreaRequest {
  /** District (LAD) codes, e.g. ["E07000174", "E07000170"]; district names are accepted too. */
  districts?: string[];
  /** A Community Safety Partnership code (or name), e.g. "E22000366". */
  csp?: string;
  /** A police force area code or name, e.g. "E23000019", "Nottinghamshire" or "Nottinghamshire Police". */
  force?: string;
}

/** A district as the importer knows it: by its ONS code where known, and by name (an LSOA file may give names only). */
export interface District {
  /** Empty when only the name is known (an England-wide file of LSOA codes and names, with no lookup naming the code). */
  code: string;
  name: string;
}

/** A study area chosen, before its LSOAs are counted. `districts` null means every LSOA given is kept. */
export interface AreaChoice {
  method: StudyAreaMethod;
  /** Null: made from the districts when the LSOAs are counted. */
  label: string | null;
  reason: string;
  force: StudyArea['force'];
  districts: District[] | null;
  /** Why the usual choice was not made, for the report (e.g. "Falls within" naming no force of the lookup). */
  note?: string;
}

/** The share of located crimes a district must hold to be in a study area chosen by crime share. */
export const CRIME_SHARE_THRESHOLD = 0.01;

const byName = (a: District, b: District) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code);

/** Whether an LSOA is in a study area of these districts: by district code, or by name where either side lacks a code. */
export function studyAreaMembership(districts: District[] | null): (l: Pick<Lsoa, 'districtCode' | 'districtName'>) => boolean {
  if (!districts) return () => true;
  const codes = new Set(districts.filter((d) => d.code).map((d) => d.code));
  const names = new Set(districts.map((d) => nameKey(d.name)));
  const codelessNames = new Set(districts.filter((d) => !d.code).map((d) => nameKey(d.name)));
  return (l) => (l.districtCode ? codes.has(l.districtCode) || codelessNames.has(nameKey(l.districtName)) : names.has(nameKey(l.districtName)));
}

/** Districts known to the import: from the LAD lookup and from the LSOAs (stored and given). */
export function knownDistricts(lsoas: Iterable<Pick<Lsoa, 'districtCode' | 'districtName'>>, lookup: DistrictLookupRow[] | null): District[] {
  const byKey = new Map<string, District>();
  for (const d of lookup ?? []) byKey.set(d.lad, { code: d.lad, name: d.ladName || d.lad });
  const codeOfName = new Map([...byKey.values()].map((d) => [nameKey(d.name), d.code]));
  for (const l of lsoas) {
    if (l.districtCode) {
      if (!byKey.has(l.districtCode)) byKey.set(l.districtCode, { code: l.districtCode, name: l.districtName || l.districtCode });
      if (l.districtName && !codeOfName.has(nameKey(l.districtName))) codeOfName.set(nameKey(l.districtName), l.districtCode);
    }
  }
  for (const l of lsoas) {
    if (l.districtCode || !l.districtName) continue;
    const k = nameKey(l.districtName);
    if (!codeOfName.has(k) && !byKey.has(`name:${k}`)) byKey.set(`name:${k}`, { code: '', name: l.districtName });
  }
  return [...byKey.values()].sort(byName);
}

const csvList = (xs: string[]) => xs.join(',');

/**
 * The study area an import option names. An unknown district, partnership or force is an ImportInputError naming it
 * (nothing has been written yet).
 */
export function namedStudyArea(request: StudyAreaRequest, known: District[], lookup: DistrictLookupRow[] | null): AreaChoice {
  const given = (['districts', 'csp', 'force'] as const).filter((k) => request[k] !== undefined);
  if (given.length > 1) throw new ImportInputError(`name the study area with one of --districts, --csp or --force, not ${given.map((g) => `--${g}`).join(' and ')}`);
  const sample = (xs: string[]) => `${xs.slice(0, 12).join(', ')}${xs.length > 12 ? `, … (${xs.length} in all)` : ''}`;

  if (request.districts !== undefined) {
    const wanted = [...new Set(request.districts.map((d) => d.trim()).filter(Boolean))];
    if (wanted.length === 0) throw new ImportInputError('--districts names no district; give district (LAD) codes separated by commas, e.g. --districts E07000174,E07000170');
    const chosen: District[] = [];
    const unknown: string[] = [];
    for (const w of wanted) {
      const d = known.find((k) => k.code && k.code === w.toUpperCase()) ?? known.find((k) => nameKey(k.name) === nameKey(w));
      if (d) chosen.push(d);
      else unknown.push(w);
    }
    if (unknown.length > 0) {
      const knownCodes = known.filter((d) => d.code).map((d) => `${d.code} ${d.name}`);
      throw new ImportInputError(
        `--districts: unknown district ${unknown.length === 1 ? 'code' : 'codes'} ${unknown.join(', ')}: no LSOA boundary or LAD lookup row of this import or dataset names ${unknown.length === 1 ? 'it' : 'them'}` +
          (knownCodes.length ? ` (known: ${sample(knownCodes)})` : ' (no districts are known yet: import the LSOA boundaries, or the ONS LAD → CSP → PFA lookup, in the same command)'),
      );
    }
    const districts = [...new Map(chosen.map((d) => [d.code || nameKey(d.name), d])).values()].sort(byName);
    return {
      method: 'named',
      label: `${listNames(districts.map((d) => d.name))} (${plural(districts.length, 'district')})`,
      reason: `named on the command line: --districts ${csvList(wanted)}`,
      force: forceOf(districts, lookup),
      districts,
    };
  }

  if (request.csp !== undefined) {
    const wanted = request.csp.trim();
    const rows = (lookup ?? []).filter((r) => r.csp);
    if (rows.length === 0) throw new ImportInputError(`--csp ${wanted}: needs the ONS LAD → CSP → PFA lookup (e.g. lookups/lad24-to-csp24-pfa24-*.csv), in this import or an earlier one into the dataset`);
    const match = rows.filter((r) => r.csp === wanted.toUpperCase() || nameKey(r.cspName) === nameKey(wanted));
    if (match.length === 0) {
      const csps = [...new Map(rows.map((r) => [r.csp, `${r.csp} ${r.cspName}`])).values()].sort();
      throw new ImportInputError(`--csp: unknown Community Safety Partnership ${wanted}: the LAD → CSP lookup does not name it (known: ${sample(csps)})`);
    }
    const districts = match.map((r) => ({ code: r.lad, name: r.ladName || r.lad })).sort(byName);
    const name = match[0]!.cspName || match[0]!.csp;
    return {
      method: 'named',
      label: `${/\b(CSP|community safety partnership)$/i.test(name) ? name : `${name} CSP`} (${plural(districts.length, 'district')})`,
      reason: `named on the command line: --csp ${wanted} (${match[0]!.csp} ${name}; ONS LAD → CSP lookup)`,
      force: forceOf(districts, lookup),
      districts,
    };
  }

  if (request.force !== undefined) {
    const wanted = request.force.trim();
    const rows = (lookup ?? []).filter((r) => r.pfa);
    if (rows.length === 0) throw new ImportInputError(`--force ${wanted}: needs the ONS LAD → CSP → PFA lookup with its pfa24cd and pfa24nm columns, in this import or an earlier one into the dataset`);
    const match = rows.filter((r) => r.pfa === wanted.toUpperCase() || forceKey(r.pfaName) === forceKey(wanted));
    if (match.length === 0) {
      const forces = [...new Map(rows.map((r) => [r.pfa, `${r.pfa} ${r.pfaName}`])).values()].sort();
      throw new ImportInputError(`--force: unknown police force area ${wanted}: the LAD → PFA lookup does not name it (known: ${sample(forces)})`);
    }
    return { ...forceArea(match), method: 'named', reason: `named on the command line: --force ${wanted} (${match[0]!.pfa} ${match[0]!.pfaName}; ONS LAD → PFA lookup)` };
  }
  throw new ImportInputError('a study area option needs --districts, --csp or --force');
}

function forceArea(rows: DistrictLookupRow[]): AreaChoice {
  const districts = rows.map((r) => ({ code: r.lad, name: r.ladName || r.lad })).sort(byName);
  const { pfa, pfaName } = rows[0]!;
  return {
    method: 'police-force-area',
    label: `${pfaName} police force area (${plural(districts.length, 'district')})`,
    reason: '',
    force: { code: pfa, name: pfaName },
    districts,
  };
}

/** The police force area all the districts are in, if the lookup says so. */
function forceOf(districts: District[], lookup: DistrictLookupRow[] | null): StudyArea['force'] {
  const pfas = new Map<string, string>();
  for (const d of districts) {
    const row = lookup?.find((r) => r.lad === d.code && r.pfa);
    if (!row) return null;
    pfas.set(row.pfa, row.pfaName);
  }
  if (pfas.size !== 1) return null;
  const [code, name] = [...pfas][0]!;
  return { code, name };
}

/** The force most police.uk rows "Fall within", with how many rows name another force. */
export function dominantForce(fallsWithin: Map<string, number>): { name: string; rows: number; others: { name: string; rows: number }[] } | null {
  const sorted = [...fallsWithin].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (sorted.length === 0) return null;
  return { name: sorted[0]![0], rows: sorted[0]![1], others: sorted.slice(1).map(([name, rows]) => ({ name, rows })) };
}

/**
 * The default study area: the districts of the police force area the crimes "Fall within", from the ONS LAD → CSP →
 * PFA lookup. Null (with a note when a lookup was there but did not name the force) when that cannot be decided.
 */
export function policeForceArea(force: string | null, lookup: DistrictLookupRow[] | null): { choice: AreaChoice | null; note: string | null } {
  const rows = (lookup ?? []).filter((r) => r.pfa);
  if (!force || rows.length === 0) return { choice: null, note: null };
  const match = rows.filter((r) => forceKey(r.pfaName) === forceKey(force) || r.pfa === force.toUpperCase());
  if (match.length === 0) {
    const forces = [...new Set(rows.map((r) => r.pfaName))].sort();
    return { choice: null, note: `police.uk rows fall within "${force}", which the LAD → PFA lookup does not name (it names ${listNames(forces, 5)})` };
  }
  return { choice: { ...forceArea(match), reason: `police.uk rows fall within "${force}"; ONS LAD → CSP → PFA lookup` }, note: null };
}

/**
 * Without a force to go by: the districts holding at least 1 % of the crimes that fall in any LSOA given (every crime
 * with coordinates is located; no sample). Null when no crime falls in any LSOA.
 */
export function crimeShareArea(perDistrict: Map<string, { district: District; crimes: number }>, located: number, force: string | null, note: string | null): AreaChoice | null {
  if (located === 0) return null;
  const districts = [...perDistrict.values()]
    .filter((d) => d.crimes / located >= CRIME_SHARE_THRESHOLD)
    .map((d) => d.district)
    .sort(byName);
  if (districts.length === 0) return null;
  return {
    method: 'crime-share',
    label: `${listNames(districts.map((d) => d.name))} (${plural(districts.length, 'district')})`,
    reason: `${note ?? 'no ONS LAD → PFA lookup to match the force the crimes fall within'}; the districts holding at least ${CRIME_SHARE_THRESHOLD * 100} % of the ${located.toLocaleString('en-GB')} crimes that fall in an LSOA given`,
    force: force ? { code: null, name: force } : null,
    districts,
  };
}

/** Every LSOA given: for an import with no crimes to choose a place from (or none that fall in any LSOA). */
export function allBoundariesArea(reason: string, force: string | null): AreaChoice {
  return { method: 'all-boundaries', label: null, reason, force: force ? { code: null, name: force } : null, districts: null };
}

/** The stored study area, kept by a later import. */
export function storedArea(s: StudyArea): AreaChoice {
  return {
    method: s.method,
    // Every LSOA given: the label counts them, so it is made again.
    label: s.method === 'all-boundaries' ? null : s.label,
    reason: s.reason,
    force: s.force,
    districts: s.method === 'all-boundaries' ? null : s.districts.map(({ code, name }) => ({ code, name })),
  };
}

/** The study area as stored with the dataset, its LSOAs counted per district. */
export function finishStudyArea(choice: AreaChoice, lsoas: Lsoa[]): StudyArea {
  let districts: StudyArea['districts'];
  if (choice.districts) {
    districts = choice.districts.map((d) => {
      const members = lsoas.filter(studyAreaMembership([d]));
      // A district known by name only gets its code once its LSOAs all have the same one (e.g. a lookup imported later).
      const codes = new Set(members.map((l) => l.districtCode));
      const code = d.code || (codes.size === 1 ? [...codes][0]! : '');
      return { code, name: d.name, lsoaCount: members.length };
    });
  } else {
    const groups = new Map<string, { code: string; name: string; lsoaCount: number }>();
    for (const l of lsoas) {
      const key = l.districtCode || `name:${nameKey(l.districtName)}`;
      const g = groups.get(key);
      if (g) g.lsoaCount++;
      else groups.set(key, { code: l.districtCode, name: l.districtName || l.districtCode || 'unknown district', lsoaCount: 1 });
    }
    districts = [...groups.values()].sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code));
  }
  const label = choice.label ?? `Every LSOA given (${plural(lsoas.length, 'LSOA')} in ${plural(districts.length, 'district')})`;
  return { label, method: choice.method, reason: choice.reason, force: choice.force, districts, lsoaCount: lsoas.length };
}

/** Whether two study areas hold the same districts (the same place), whatever their labels. */
export function sameDistricts(a: AreaChoice, b: AreaChoice): boolean {
  if (!a.districts || !b.districts) return !a.districts && !b.districts;
  const key = (ds: District[]) => ds.map((d) => d.code || `name:${nameKey(d.name)}`).sort().join('|');
  return key(a.districts) === key(b.districts);
}
