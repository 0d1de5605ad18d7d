import { UNPLACED_LSOA, partitionOf, placementOf, unplacedPartitionOf, type CrimeBlock, type CrimePartition, type CrimeRecord, type PostcodeRepository, type ReferenceRepository } from '@safer-places/domain';
import { createPolygonLocator, type PolygonLocator } from '@safer-places/geo';
import type { BBox, CrimeAccounting, DataSource, DatasetSummary, Lsoa, StudyArea } from '@safer-places/schemas';
import { createHash } from 'node:crypto';
import { accountingProblem, derivedAccounting, monthAccountingDocument, MONTH_ACCOUNTING_PREFIX, sumAccounting, type MonthAccounting } from './accounting';
import { readBoundaries } from './boundaries';
import { CrimeCollector } from './crime-import';
import { detectFiles } from './detect';
import { ImportInputError } from './errors';
import { forceKey, nameKey, plural, type DistrictLookupRow } from './places';
import { POSTCODE_FILE_KIND, checkPostcodes, readPostcodeFiles } from './postcodes';
import { draftLsoas, importReference, readDistrictLookup, readWardLookup, sourcesFor, type Lsoa11Lookup } from './reference-import';
import { compareMonth, ImplausibleImportError, type MonthChange } from './plausibility';
import type { ImportReport } from './report';
import {
  allBoundariesArea,
  crimeShareArea,
  dominantForce,
  finishStudyArea,
  knownDistricts,
  namedStudyArea,
  policeForceArea,
  sameDistricts,
  storedArea,
  studyAreaMembership,
  CRIME_SHARE_THRESHOLD,
  type AreaChoice,
  type District,
  type StudyAreaRequest,
} from './study-area';

export const DEFAULT_DATASET_ID = 'open-data';
const LOOKUP_DOCUMENT = 'lsoa11-lookup';
/** The ONS LAD → CSP → PFA lookup, kept so a later import can name a partnership or force without the file. */
const DISTRICT_LOOKUP_DOCUMENT = 'district-lookup';

export interface ImportProgress {
  stage: 'detect' | 'reference' | 'crimes' | 'study-area' | 'write' | 'done';
  file?: string;
  /** Files of this stage done so far, and in all. */
  filesDone: number;
  filesTotal: number;
  rows?: number;
}

export interface ImportOptions {
  reference: ReferenceRepository;
  datasetId?: string;
  datasetName?: string;
  /**
   * Names the study area (method "named"), replacing a stored one. Without it a stored study area is kept; a dataset
   * without one gets the districts of the police force area its crimes fall within (or, without the ONS LAD → PFA
   * lookup, the districts holding at least 1 % of them).
   */
  studyArea?: StudyAreaRequest;
  onProgress?: (p: ImportProgress) => void;
  now?: () => Date;
  /**
   * Replaces stored months even when the new data fails the plausibility checks (plausibility.ts: far fewer crimes,
   * far fewer placed, other category shares, coordinates outside the UK); the report lists the checks overridden.
   * Without it such an import writes nothing and throws {@link ImplausibleImportError}.
   */
  forceReplace?: boolean;
  /**
   * One police force's part of a dataset that holds several (the national import, one force per run, in parallel):
   * its districts' LSOAs are added or replaced and no other LSOA is removed; its crimes are placed in its districts'
   * LSOAs only and written to its districts' partitions and its own unplaced partition (replaceCrimePartitions), so
   * other forces' months stay as they are; its accounting is kept per month and force; the dataset summary is merged
   * (months, study area, sources, accounting) with a conditional write, tried again when another force's import
   * wrote it meanwhile. Needs a repository with replaceCrimePartitions and putDatasetIf.
   */
  forceScope?: ForceScope;
  /**
   * Where an ONS postcode file's postcodes go (optional input, postcodes.ts): the live postcodes in the dataset's LSOAs
   * replace the stored ones whole. Needed only when such a file is given.
   */
  postcodes?: PostcodeRepository;
}

export interface ForceScope {
  /** police.uk force id, e.g. "nottinghamshire": names the force's unplaced partition and its documents. */
  force: string;
  /** The force's district (LAD) codes. */
  districts: string[];
}

/**
 * The study area of a dataset imported force by force: the districts stored before, with the force's own replaced by
 * what its import found now.
 */
function mergeStudyAreas(before: StudyArea | null, own: StudyArea, force: string): StudyArea {
  const ownCodes = new Set(own.districts.map((d) => d.code));
  const others = (before?.districts ?? []).filter((d) => !ownCodes.has(d.code));
  if (others.length === 0) return { ...own, reason: `${own.reason}; imported force by force (${force})`, byForce: true };
  const districts = [...others, ...own.districts].sort((a, b) => a.code.localeCompare(b.code));
  const lsoaCount = districts.reduce((n, d) => n + d.lsoaCount, 0);
  return {
    label: `${plural(districts.length, 'district')} imported force by force`,
    method: 'named',
    reason: `each police force's districts are added by its own import (the last: ${force})`,
    force: null,
    districts,
    lsoaCount,
    byForce: true,
  };
}

/** Tries of the merged summary's conditional write before giving up (each after another force's write). */
const SUMMARY_ATTEMPTS = 20;

/** A force's accounting document for a month (the whole month's is monthAccountingDocument). */
export const forceMonthAccountingDocument = (month: string, force: string) => `${monthAccountingDocument(month)}#${force}`;

/** Month → accounting: the whole month's document where there is one, else the sum of its forces' documents. */
function accountingByMonth(docs: { name: string; document: MonthAccounting }[]): Map<string, MonthAccounting> {
  const whole = new Map<string, MonthAccounting>();
  const perForce = new Map<string, MonthAccounting[]>();
  for (const d of docs) {
    const month = d.document.month;
    if (d.name === monthAccountingDocument(month)) whole.set(month, d.document);
    else perForce.set(month, [...(perForce.get(month) ?? []), d.document]);
  }
  const out = new Map(whole);
  for (const [month, list] of perForce) {
    if (out.has(month)) continue;
    out.set(month, { ...sumAccounting(list), month, files: list.flatMap((a) => a.files), ...(list.some((a) => a.derivedFromStoredCrimes) && { derivedFromStoredCrimes: true as const }) });
  }
  return out;
}

function mergeSources(existing: DataSource[], added: DataSource[]): DataSource[] {
  const byName = new Map(existing.map((s) => [s.name, s]));
  for (const s of added) byName.set(s.name, { ...byName.get(s.name), ...s });
  return [...byName.values()];
}

function unionBBox(boxes: BBox[]): BBox | null {
  if (boxes.length === 0) return null;
  return boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
}

const sameGeometry = (a: Lsoa, b: Lsoa) => JSON.stringify(a.geometry) === JSON.stringify(b.geometry);
function sameLsoa(a: Lsoa, b: Lsoa): boolean {
  return (
    a.name === b.name &&
    a.districtCode === b.districtCode &&
    a.districtName === b.districtName &&
    a.wardName === b.wardName &&
    a.cspCode === b.cspCode &&
    a.cspName === b.cspName &&
    a.population === b.population &&
    a.imdDecile === b.imdDecile &&
    a.deprivationSource === b.deprivationSource &&
    sameGeometry(a, b)
  );
}

const districtKey = (l: Pick<Lsoa, 'districtCode' | 'districtName'>) => l.districtCode || `name:${nameKey(l.districtName)}`;

/** Locates every crime with coordinates against all the LSOAs given (not only a study area) and counts them per district. */
function chooseByCrimeShare(crimes: readonly CrimeRecord[], lsoas: Lsoa[], force: string | null, note: string | null): AreaChoice | null {
  const locator = createPolygonLocator(lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
  const byCode = new Map(lsoas.map((l) => [l.code, l]));
  const perDistrict = new Map<string, { district: District; crimes: number }>();
  let located = 0;
  for (const c of crimes) {
    if (c.lon === null || c.lat === null) continue;
    const code = locator.locate(c.lon, c.lat);
    if (!code) continue;
    located++;
    const l = byCode.get(code)!;
    const key = districtKey(l);
    const entry = perDistrict.get(key);
    if (entry) entry.crimes++;
    else perDistrict.set(key, { district: { code: l.districtCode, name: l.districtName }, crimes: 1 });
  }
  return crimeShareArea(perDistrict, located, force, note);
}

/** Places a stored month's crimes again (the study area's LSOAs changed), counting the crimes that moved. */
function placeAgain(blocks: CrimeBlock[], locator: PolygonLocator): { blocks: CrimeBlock[]; moved: number } {
  const byLsoa = new Map<string, CrimeBlock>();
  let moved = 0;
  for (const b of blocks) {
    for (const crime of b.crimes) {
      const code = (crime.lon !== null && crime.lat !== null ? locator.locate(crime.lon, crime.lat) : null) ?? UNPLACED_LSOA;
      if (code !== b.lsoaCode) moved++;
      let block = byLsoa.get(code);
      if (!block) byLsoa.set(code, (block = { month: b.month, lsoaCode: code, crimes: [] }));
      block.crimes.push({ ...crime, lsoaCode: code });
    }
  }
  return { blocks: [...byLsoa.values()], moved };
}

const monthTotal = (counts: Map<string, number[]>, placedOnly: boolean) => {
  let n = 0;
  for (const [code, row] of counts) if (!placedOnly || code !== UNPLACED_LSOA) for (const k of row) n += k;
  return n;
};

/** Why LSOAs outside the study area were left out, in words for the report. */
function outsideReason(choice: AreaChoice, how: 'named' | 'kept' | 'chosen', label: string): string {
  if (choice.method === 'crime-share' && how === 'chosen') return `districts holding under ${CRIME_SHARE_THRESHOLD * 100} % of the crimes`;
  // The label without its count: "Nottinghamshire police force area", "South Nottinghamshire CSP", "Ashfield and Mansfield".
  const place = label.replace(/ \([^()]*\)$/, '');
  return /police force area$/.test(place) ? `districts outside ${place}` : `districts other than ${place}`;
}

/**
 * Stored months (of `months`) whose crimes are not stored in the partitions their LSOAs' districts give now, sorted: a
 * month stored before partitions (no sizes), or one with an LSOA in a partition other than `partitionOfLsoa` names.
 * Reads the months' pointers once and each stored partition's counts once (one query each over all the months).
 */
async function misPartitioned(repo: ReferenceRepository, datasetId: string, months: string[], partitionOfLsoa: (code: string) => CrimePartition): Promise<string[]> {
  if (months.length === 0) return [];
  const sorted = [...months].sort();
  const [from, to] = [sorted[0]!, sorted[sorted.length - 1]!];
  const sizes = await repo.crimePartitionSizes(datasetId, from, to);
  const wanted = new Set(months);
  const out = new Set<string>();
  const partitions = new Set<CrimePartition>();
  for (const m of sorted) {
    const stored = sizes.get(m);
    if (!stored) out.add(m);
    else for (const p of stored.keys()) partitions.add(p);
  }
  for (const p of [...partitions].sort()) {
    for (const { month, counts } of await repo.getMonthlyCounts(datasetId, from, to, [p])) {
      if (!wanted.has(month) || out.has(month) || !sizes.get(month)?.has(p)) continue;
      for (const code of counts.keys()) {
        if (partitionOfLsoa(code) !== p) {
          out.add(month);
          break;
        }
      }
    }
  }
  return [...out].sort();
}

/**
 * Imports boundary, lookup, deprivation, population and police.uk files into one dataset, kept to its study area.
 *
 * Everything is read and checked before anything is written: boundaries and lookups first, then every crime file; then
 * the study area is decided (named by an option, kept from the dataset, or chosen from the crimes), files larger than it
 * are clipped to it, and crimes are placed in its LSOAs only (a crime in none of them is stored unplaced, counted as
 * outside the study area). Crimes are written month by month (each month replaces what was stored for it, with its
 * accounting document), and the dataset summary goes last, so a dataset is listed only once its data is there.
 *
 * A stored month is replaced only if its new data passes the plausibility checks (plausibility.ts) against it; if any
 * month fails one, nothing at all is written and {@link ImplausibleImportError} names the checks, unless
 * {@link ImportOptions.forceReplace}. The store keeps each month's previous version readable until the new one is
 * complete (replaceCrimeMonth).
 */
export async function importFiles(paths: string[], options: ImportOptions): Promise<ImportReport> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const repo = options.reference;
  const datasetId = options.datasetId ?? DEFAULT_DATASET_ID;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(datasetId)) throw new ImportInputError(`dataset id "${datasetId}" must be lower-case letters, digits and hyphens`);
  const progress = options.onProgress ?? (() => {});
  const scope = options.forceScope ?? null;
  if (scope) {
    if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(scope.force)) throw new ImportInputError(`force "${scope.force}" must be a police.uk force id: lower-case letters, digits and hyphens`);
    if (options.studyArea) throw new ImportInputError('a force-scoped import takes its study area from the force\'s districts: do not name another');
    if (!repo.replaceCrimePartitions || !repo.putDatasetIf) throw new ImportInputError('this store cannot replace one force\'s part of a dataset (no replaceCrimePartitions/putDatasetIf)');
  }

  progress({ stage: 'detect', filesDone: 0, filesTotal: paths.length });
  const { files, skipped } = await detectFiles(paths);
  const existingSummary = await repo.getDataset(datasetId);
  if (existingSummary?.synthetic) throw new ImportInputError(`dataset "${datasetId}" holds synthetic demo data; import real data into another dataset`);

  const referenceFiles = files.filter((f) => f.kind !== 'police-street');
  const postcodeFiles = files.filter((f) => f.kind === POSTCODE_FILE_KIND);
  if (postcodeFiles.length > 0 && scope) throw new ImportInputError('postcodes are imported into a whole dataset, not force by force: import the postcode file on its own');
  if (postcodeFiles.length > 0 && !options.postcodes) throw new ImportInputError('this store cannot keep postcodes (no postcode repository); nothing was imported');
  const crimeFiles = files.filter((f) => f.kind === 'police-street');
  const of = (kind: (typeof files)[number]['kind']) => files.filter((f) => f.kind === kind);
  const warnings: string[] = [];
  for (const f of files) {
    if (f.kind === 'lsoa11-boundaries') warnings.push(`${f.path}: LSOA 2011 boundaries are not needed (the map uses 2021 LSOAs; 2011-based data is carried through the lookup); not imported`);
    if (f.kind === 'lad-boundaries') warnings.push(`${f.path}: district boundaries are derived from the LSOAs; not imported`);
  }

  progress({ stage: 'reference', filesDone: 0, filesTotal: referenceFiles.length });
  const boundaries = await readBoundaries(of('lsoa21-boundaries'));
  const wards = await readWardLookup(of('lookup-lsoa21-ward-lad'));
  const fileDistricts = await readDistrictLookup(of('lookup-lad-csp'));
  const storedDistricts = await repo.getDocument<DistrictLookupRow[]>(datasetId, DISTRICT_LOOKUP_DOCUMENT);
  const districtLookup = fileDistricts ?? storedDistricts;
  const storedLookup = await repo.getDocument<Lsoa11Lookup>(datasetId, LOOKUP_DOCUMENT);
  const existing = await repo.listLsoas(datasetId);
  // (A force's import needs only which months are stored, from the months' pointers: not every force's counts.)
  const storedMonths = scope ? [...(await repo.crimePartitionSizes(datasetId, '0000-01', '9999-12')).keys()] : (await repo.getMonthlyCounts(datasetId, '0000-01', '9999-12')).map((m) => m.month);
  const drafts = draftLsoas(boundaries, existing, wards.byCode, districtLookup);

  let collector: CrimeCollector | null = null;
  if (crimeFiles.length > 0) {
    collector = new CrimeCollector(started.toISOString().slice(0, 7));
    let done = 0;
    for (const f of crimeFiles) {
      progress({ stage: 'crimes', file: f.path, filesDone: done, filesTotal: crimeFiles.length, rows: collector.rowsRead });
      await collector.readFile(f, (rows) => progress({ stage: 'crimes', file: f.path, filesDone: done, filesTotal: crimeFiles.length, rows }));
      done++;
    }
    warnings.push(...collector.warnings);
  }

  // ---- The study area ----
  progress({ stage: 'study-area', filesDone: 0, filesTotal: 1 });
  const crimes = collector?.crimes() ?? [];
  const force = collector ? dominantForce(collector.fallsWithin) : null;
  const stored = existingSummary?.studyArea ?? null;
  let choice: AreaChoice;
  let how: 'named' | 'kept' | 'chosen';
  let note: string | null = null;
  if (scope) {
    choice = namedStudyArea({ districts: scope.districts }, knownDistricts(drafts.values(), districtLookup), districtLookup);
    how = 'named';
  } else if (options.studyArea) {
    choice = namedStudyArea(options.studyArea, knownDistricts(drafts.values(), districtLookup), districtLookup);
    how = 'named';
  } else if (stored && !(stored.method === 'all-boundaries' && crimes.length > 0)) {
    // A study area chosen for lack of crimes is chosen again once there are some; any other is kept.
    choice = storedArea(stored);
    how = 'kept';
  } else if (crimeFiles.length > 0) {
    const pfa = policeForceArea(force?.name ?? null, districtLookup);
    note = pfa.note;
    choice =
      pfa.choice ??
      chooseByCrimeShare(crimes, [...drafts.values()], force?.name ?? null, pfa.note) ??
      allBoundariesArea(`no police.uk crime with coordinates falls in any LSOA given${drafts.size === 0 ? ' (no LSOA boundaries)' : ''}: every LSOA given is kept`, force?.name ?? null);
    if (pfa.note) warnings.push(`${pfa.note}: the study area was chosen by crime share instead`);
    how = 'chosen';
  } else {
    choice = allBoundariesArea('no police.uk crimes to choose a place from: every LSOA given is kept', null);
    how = 'chosen';
    if (drafts.size > 0) {
      warnings.push(
        `no police.uk crimes in this import and no study area stored: all ${plural(drafts.size, 'LSOA')} given are kept; import the crimes with the ONS LAD → CSP → PFA lookup, or name the place with --districts, --csp or --force, to keep only the study area`,
      );
    }
  }
  if (force && choice.method === 'police-force-area') {
    const total = force.rows + force.others.reduce((s, o) => s + o.rows, 0);
    for (const o of force.others) {
      if (o.rows / total >= CRIME_SHARE_THRESHOLD) warnings.push(`${plural(o.rows, 'police.uk row')} fall within "${o.name}", not "${force.name}": the study area is ${choice.label}`);
    }
  }
  if (force && how === 'kept' && choice.force && forceKey(choice.force.name) !== forceKey(force.name)) {
    warnings.push(`police.uk rows fall within "${force.name}", but the dataset's study area is ${choice.label ?? 'another place'}: crimes outside it are stored unplaced (name another study area with --districts, --csp or --force, or import into another dataset)`);
  }
  const changed = !stored || choice.method !== stored.method || !sameDistricts(choice, storedArea(stored));

  // ---- Clip to the study area ----
  const inArea = studyAreaMembership(choice.districts);
  const keptDrafts = [...drafts.values()].filter(inArea);
  const keptCodes = new Set(keptDrafts.map((l) => l.code));
  // A force's import removes only LSOAs of its own districts: the others are other forces'.
  const scopeDistricts = new Set((choice.districts ?? []).map((d) => d.code).filter(Boolean));
  const removedStored = existing.filter((l) => !keptCodes.has(l.code) && (!scope || scopeDistricts.has(l.districtCode))).map((l) => l.code);
  const boundaryCodesKept = new Set([...boundaries.byCode.keys()].filter((c) => keptCodes.has(c)));
  const areaLabel = choice.label ?? 'every LSOA given';
  const reference = await importReference(referenceFiles, keptDrafts, { boundaries, boundaryCodesKept, wardRows: wards.rows, districts: districtLookup, storedLookup });
  warnings.push(...reference.report.warnings);
  const lsoas = reference.lsoas;
  if (crimeFiles.length > 0 && lsoas.length === 0) {
    if (drafts.size === 0) throw new ImportInputError('police.uk crimes are placed in LSOAs by their coordinates: import LSOA 2021 boundaries first, or in the same command');
    throw new ImportInputError(`none of the ${plural(drafts.size, 'LSOA')} given or stored is in the study area, ${areaLabel}: import its LSOA 2021 boundaries (or name another study area); nothing was imported`);
  }
  const studyArea = finishStudyArea(choice, lsoas);
  for (const d of studyArea.districts) {
    if (d.lsoaCount === 0) warnings.push(`the study area's district ${d.name}${d.code ? ` (${d.code})` : ''} has no LSOA boundaries in this dataset: import them to analyse it`);
  }

  // ---- Place the crimes in the study area's LSOAs only ----
  const locator = createPolygonLocator(lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
  // Each crime is stored in its LSOA's district's partition (crime.ts; docs/table-design.md, "Crime partitions").
  const districtOfLsoa = new Map(lsoas.map((l) => [l.code, l.districtCode]));
  const unplacedPartition = scope ? unplacedPartitionOf(scope.force) : undefined;
  const partitionOfLsoa = (code: string): CrimePartition => partitionOf(code, (c) => districtOfLsoa.get(c), unplacedPartition);
  // A force's partitions: its districts' and its own unplaced one; everything else in the dataset is another force's.
  const ownPartitions = scope ? [...new Set([...lsoas.map((l) => partitionOfLsoa(l.code)), unplacedPartition!])].sort() : null;
  const accountingName = (month: string) => (scope ? forceMonthAccountingDocument(month, scope.force) : monthAccountingDocument(month));
  const replaceMonth = (month: string, blocks: CrimeBlock[]) =>
    ownPartitions ? repo.replaceCrimePartitions!(datasetId, month, ownPartitions, blocks, partitionOfLsoa) : repo.replaceCrimeMonth(datasetId, month, blocks, partitionOfLsoa);
  collector?.place(locator, new Set(lsoas.map((l) => l.code)), reference.lookup);
  const existingByCode = new Map(existing.map((l) => [l.code, l]));
  const lsoasToWrite = lsoas.filter((l) => !existingByCode.has(l.code) || !sameLsoa(existingByCode.get(l.code)!, l));
  const placementChanged = removedStored.length > 0 || lsoas.some((l) => !existingByCode.has(l.code) || !sameGeometry(existingByCode.get(l.code)!, l));

  // ---- Plausibility: every stored month about to be replaced is compared with its new data, before any write ----
  const monthAccounting = collector?.monthAccounting() ?? new Map<string, MonthAccounting>();
  const monthChanges: MonthChange[] = [];
  if (collector) {
    for (const month of [...collector.months.keys()].sort()) {
      if (!storedMonths.includes(month)) continue;
      if (scope && (await repo.getDocument<MonthAccounting>(datasetId, monthAccountingDocument(month)))) {
        throw new ImportInputError(`dataset "${datasetId}": ${month} was imported whole, not force by force; import force by force into another dataset (or import the whole month again)`);
      }
      const storedCounts = (await repo.getMonthlyCounts(datasetId, month, month, ownPartitions ?? undefined))[0]?.counts ?? new Map<string, number[]>();
      const storedDoc = await repo.getDocument<MonthAccounting>(datasetId, accountingName(month));
      monthChanges.push(compareMonth(month, storedCounts, storedDoc, collector.months.get(month)!.values(), monthAccounting.get(month)!));
    }
  }
  const implausible = monthChanges.filter((m) => m.checks.some((c) => !c.passed));
  if (implausible.length > 0 && !options.forceReplace) throw new ImplausibleImportError(implausible);
  const checksOverridden = implausible.flatMap((m) => m.checks.filter((c) => !c.passed).map((c) => ({ month: m.month, check: c.check, figures: c.figures })));
  for (const o of checksOverridden) warnings.push(`${o.month}: the ${o.check} check failed and was overridden (--force-replace): ${o.figures}`);

  // ---- Postcodes (optional): read and checked against the dataset before any write ----
  const postcodeRead = postcodeFiles.length > 0 ? await readPostcodeFiles(postcodeFiles, lsoas) : null;
  const postcodesBefore = postcodeRead ? await checkPostcodes(options.postcodes!, datasetId, postcodeRead, lsoas.length, options.forceReplace ?? false) : 0;

  // Everything is read and checked: from here on we write.
  if (removedStored.length > 0) await repo.deleteLsoas(datasetId, removedStored);
  if (lsoasToWrite.length > 0) await repo.putLsoas(datasetId, lsoasToWrite);
  // The LSOA 2011 lookup document is the dataset's one: a force's import (which holds its own part of it) leaves it alone.
  if (reference.lookup && reference.lookup !== storedLookup) {
    if (scope) warnings.push('the LSOA 2011 lookup given is not kept with a force-scoped import (the dataset keeps one for every force)');
    else await repo.putDocument(datasetId, LOOKUP_DOCUMENT, reference.lookup);
  }
  if (fileDistricts && JSON.stringify(fileDistricts) !== JSON.stringify(storedDistricts)) await repo.putDocument(datasetId, DISTRICT_LOOKUP_DOCUMENT, fileDistricts);
  // The LSOA version names the LSOAs' content (a hash of them as stored, read back strongly consistent), and their packed
  // copy (a few items a new API instance reads instead of one per LSOA) is written under it before the summary names
  // it. So a copy always holds what its version's name says: a retry after a failed import, or a force's import racing
  // another's, can never leave the summary naming a copy of other LSOAs than the stored ones (it names them again).
  const packLsoas = async (): Promise<string> => {
    const listed = await repo.listLsoas(datasetId, { consistent: true });
    const version = lsoaContentVersion(listed);
    if (repo.putLsoaPack && !(await repo.hasLsoaPack!(datasetId, version, listed.length))) await repo.putLsoaPack(datasetId, version, listed);
    return version;
  };
  // A force's import lists again on each try of its merged summary (below), after reading the summary it merges with.
  let lsoaVersion = scope ? '' : await packLsoas();
  // Replaced whole, crash-safe (the store keeps the old set readable until the new one is complete).
  if (postcodeRead) await options.postcodes!.replacePostcodes(datasetId, postcodeRead.entries, now().toISOString());
  const monthsReplaced = collector ? [...collector.months.keys()].sort() : [];
  let written = 0;
  for (const month of monthsReplaced) {
    progress({ stage: 'write', file: month, filesDone: written, filesTotal: monthsReplaced.length });
    const byLsoa = new Map<string, CrimeBlock>();
    for (const crime of collector!.months.get(month)!.values()) {
      let block = byLsoa.get(crime.lsoaCode);
      if (!block) byLsoa.set(crime.lsoaCode, (block = { month, lsoaCode: crime.lsoaCode, crimes: [] }));
      block.crimes.push(crime);
    }
    await replaceMonth(month, [...byLsoa.values()]);
    await repo.putDocument(datasetId, accountingName(month), monthAccounting.get(month)!);
    written++;
  }
  // Months stored earlier and not replaced now: placed again when the study area's LSOAs changed.
  const replacedAgain: { month: string; moved: number }[] = [];
  if (placementChanged) {
    for (const month of storedMonths.filter((m) => !monthsReplaced.includes(m))) {
      const before = await repo.getCrimeBlocks(datasetId, [month], ownPartitions ? { partitions: ownPartitions } : undefined);
      const { blocks, moved } = placeAgain(before, locator);
      if (moved === 0) continue;
      await replaceMonth(month, blocks);
      const doc = await repo.getDocument<MonthAccounting>(datasetId, accountingName(month));
      const placement = placementOf(blocks);
      const updated: MonthAccounting = doc && !doc.derivedFromStoredCrimes && doc.stored === placement.stored ? { ...doc, ...placement } : derivedAccounting(month, blocks);
      await repo.putDocument(datasetId, accountingName(month), updated);
      replacedAgain.push({ month, moved });
    }
  }
  // Months stored earlier and not written now whose partitions are not their LSOAs' districts any more (a district
  // lookup changed), or stored before partitions: written again, the same crimes, in the right partitions.
  const repartitioned: string[] = [];
  const writtenNow = new Set([...monthsReplaced, ...replacedAgain.map((r) => r.month)]);
  // (Not for a force's import: it leaves other forces' partitions alone, and its own are written whole each time.)
  for (const month of scope ? [] : await misPartitioned(repo, datasetId, storedMonths.filter((m) => !writtenNow.has(m)), partitionOfLsoa)) {
    progress({ stage: 'write', file: month, filesDone: written + repartitioned.length, filesTotal: written + repartitioned.length + 1 });
    await repo.replaceCrimeMonth(datasetId, month, await repo.getCrimeBlocks(datasetId, [month]), partitionOfLsoa);
    repartitioned.push(month);
  }

  // ---- The dataset's accounting: the sum over the months it holds ----
  // A force's import reads only its own partitions' counts (the figures of its report); the dataset's accounting is
  // the sum of every month's documents, read again for each try of the merged summary below.
  const allMonths = await repo.getMonthlyCounts(datasetId, '0000-01', '9999-12', ownPartitions ?? undefined);
  const derivedMonths: string[] = [];
  let crimeAccounting: CrimeAccounting = sumAccounting([]);
  if (!scope) {
    const docs = accountingByMonth(await repo.listDocuments<MonthAccounting>(datasetId, MONTH_ACCOUNTING_PREFIX));
    const perMonth: MonthAccounting[] = [];
    for (const m of allMonths) {
      let a = docs.get(m.month);
      if (!a || a.stored !== monthTotal(m.counts, false) || a.placed !== monthTotal(m.counts, true)) {
        // A month stored before accounting was kept (or whose document a failed import left behind): what its crimes tell.
        a = derivedAccounting(m.month, await repo.getCrimeBlocks(datasetId, [m.month]));
        await repo.putDocument(datasetId, monthAccountingDocument(m.month), a);
      }
      if (a.derivedFromStoredCrimes) derivedMonths.push(m.month);
      perMonth.push(a);
    }
    crimeAccounting = sumAccounting(perMonth);
    const problem = accountingProblem(crimeAccounting);
    if (problem) throw new Error(`dataset "${datasetId}": crime accounting does not add up (${problem})`);
  }

  const addedSources = sourcesFor(files);
  const summaryOf = (before: DatasetSummary | null, months: string[], accounting: CrimeAccounting, area: StudyArea, lsoaCount: number, bbox: BBox | null): DatasetSummary => {
    const firstMonth = months[0] ?? null;
    const lastMonth = months[months.length - 1] ?? null;
    const sources = [...addedSources];
    if (collector) {
      sources.push({
        name: 'police.uk street-level crime',
        publisher: 'Home Office and police forces (police.uk)',
        licence: 'Open Government Licence v3.0',
        ...(firstMonth && lastMonth && { coverage: `${firstMonth} to ${lastMonth}` }),
      });
    }
    const finished = now();
    const version = `import-${finished.toISOString()}${scope ? `-${scope.force}` : ''}`;
    return {
      id: datasetId,
      name: options.datasetName ?? before?.name ?? 'Open data (imported)',
      synthetic: false,
      version,
      // Unchanged LSOAs keep their version: LSOA caches and the map's tiles survive an import of crime months.
      lsoaVersion,
      firstMonth,
      lastMonth,
      lsoaCount,
      crimeCount: accounting.stored,
      bbox,
      sources: mergeSources(before?.sources ?? [], sources),
      importedAt: finished.toISOString(),
      notes: [
        'Crime locations are police.uk anonymised snap points, never exact addresses.',
        'Crimes are placed in LSOAs by their coordinates; the LSOA code police.uk published is kept alongside.',
        `The study area is ${area.label}: only its LSOAs are kept; crimes that fall outside it (e.g. snapped just over the force boundary) are kept but placed in no LSOA.`,
        ...(reference.report.deprivation.imd2019Split + reference.report.deprivation.imd2019Merged > 0 || (before?.notes ?? []).some((n) => n.includes('IMD 2019'))
          ? ['IMD 2019 deciles of LSOAs split or merged in 2021 are approximate (see each LSOA\'s deprivation source).']
          : []),
        ...(derivedMonths.length > 0
          ? [`Rows read, duplicates and rejected rows are not known for months imported before they were counted (${derivedMonths.join(', ')}); their rows read are taken as the crimes stored.`]
          : []),
      ],
      studyArea: area,
      crimeAccounting: accounting,
    };
  };

  let summary: DatasetSummary;
  if (!scope) {
    summary = summaryOf(existingSummary, allMonths.map((m) => m.month), crimeAccounting, studyArea, lsoas.length, unionBBox(lsoas.map((l) => l.bbox)));
    await repo.putDataset(summary);
  } else {
    // Merged with what other forces' imports wrote: read, merge, write if nobody wrote meanwhile, else again. The
    // documents and months are read after the summary, so a force whose write lands first is always seen by the other.
    for (let attempt = 1; ; attempt++) {
      const before = await repo.getDataset(datasetId);
      // Listed after the summary is read: another force's LSOAs written before its summary are in the list, and one whose
      // summary lands after this read makes this try's conditional write fail and list again.
      lsoaVersion = await packLsoas();
      const docs = accountingByMonth(await repo.listDocuments<MonthAccounting>(datasetId, MONTH_ACCOUNTING_PREFIX));
      const months = [...new Set([...(await repo.crimePartitionSizes(datasetId, '0000-01', '9999-12')).keys(), ...docs.keys()])].sort();
      crimeAccounting = sumAccounting(months.map((m) => docs.get(m)).filter((a): a is MonthAccounting => a !== undefined));
      const area = mergeStudyAreas(before?.studyArea ?? null, studyArea, scope.force);
      const bbox = unionBBox([...(before?.bbox ? [before.bbox] : []), ...lsoas.map((l) => l.bbox)]);
      summary = summaryOf(before, months, crimeAccounting, area, area.lsoaCount, bbox);
      if (await repo.putDatasetIf!(summary, before?.version ?? null)) break;
      if (attempt >= SUMMARY_ATTEMPTS) throw new Error(`dataset "${datasetId}": its summary changed under ${SUMMARY_ATTEMPTS} tries of force ${scope.force}'s import; run the force again`);
    }
    const problem = accountingProblem(crimeAccounting);
    if (problem) warnings.push(`dataset "${datasetId}": crime accounting does not add up yet (${problem}); another force's import may be under way`);
  }
  // Packed copies of other LSOA versions are no longer named by the summary (read again: another force's import may have
  // written it since). A reader caught mid-way, or a concurrent import whose copy goes with them, falls back to the LSOA
  // items (a copy is only read whole); the next import packs again.
  try {
    const current = await repo.getDataset(datasetId);
    await repo.deleteLsoaPacks?.(datasetId, [...new Set([lsoaVersion, ...(current?.lsoaVersion ? [current.lsoaVersion] : [])])]);
  } catch (err) {
    warnings.push(`old packed copies of the LSOAs were not removed (${(err as Error).message}); the next import removes them`);
  }

  const districtOf = new Map(lsoas.map((l) => [l.code, l.districtName || l.districtCode || 'unknown']));
  const districts = [...new Set(districtOf.values())].sort();
  const coverage = collector
    ? {
        districts,
        months: allMonths
          .filter((m) => monthsReplaced.includes(m.month))
          .map((m) => {
            const counts = new Array<number>(districts.length).fill(0);
            for (const [code, row] of m.counts) {
              const d = districtOf.get(code);
              if (d) counts[districts.indexOf(d)]! += row.reduce((a, b) => a + b, 0);
            }
            return { month: m.month, counts };
          }),
      }
    : null;

  const durationMs = performance.now() - t0;
  let crimesReport: ImportReport['crimes'] = null;
  if (collector) {
    const perFileMonth = [...collector.stats.values()].sort((a, b) => a.file.localeCompare(b.file) || a.month.localeCompare(b.month));
    const sum = (k: keyof (typeof perFileMonth)[number]) => perFileMonth.reduce((s, x) => s + (x[k] as number), 0);
    const imported = sum('imported');
    const located = imported - sum('noLocation');
    crimesReport = {
      rowsRead: collector.rowsRead,
      imported,
      duplicatesSkipped: sum('duplicatesSkipped'),
      sameIdDifferentRow: sum('sameIdDifferentRow'),
      rejected: sum('rejected'),
      noLocation: sum('noLocation'),
      outsideLsoas: sum('outsideLsoas'),
      publishedCodeDiffers: sum('publishedCodeDiffers'),
      placedShareOfLocated: located > 0 ? (located - sum('outsideLsoas')) / located : 0,
      retiredCodes: Object.fromEntries([...collector.retiredSeen].sort()),
      publishedCodesOutsideDataset: [...collector.publishedOutside.values()].reduce((a, b) => a + b, 0),
      monthsReplaced,
      monthChanges,
      checksOverridden,
      perFileMonth,
      issues: collector.issues,
      issueCount: collector.issueCount,
      rowsPerSecond: collector.rowsRead / (durationMs / 1000),
      fallsWithin: Object.fromEntries([...collector.fallsWithin].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    };
  }
  const thisImport = collector
    ? {
        ...sumAccounting([...monthAccounting.values()]),
        // Rows of a file with no usable month count in no month; the import's own figures include them.
        rowsRead: collector.rowsRead,
        rejected: crimesReport!.rejected,
      }
    : null;
  const report: ImportReport = {
    datasetId,
    startedAt: started.toISOString(),
    finishedAt: summary.importedAt,
    durationMs,
    files: files.map((f) => ({ path: f.path, kind: f.kind, label: f.label })),
    skippedFiles: skipped,
    studyArea: {
      area: studyArea,
      how,
      changed,
      note,
      boundaries: {
        given: boundaries.byCode.size,
        kept: boundaryCodesKept.size,
        outside: boundaries.byCode.size - boundaryCodesKept.size,
        outsideReason: outsideReason(choice, how, studyArea.label),
        givenTwice: boundaries.givenTwice,
        storedRemoved: removedStored.length,
      },
      monthsPlacedAgain: replacedAgain,
      monthsRepartitioned: repartitioned,
    },
    reference: referenceFiles.length > 0 ? reference.report : null,
    crimes: crimesReport,
    accounting: { thisImport, dataset: crimeAccounting, derivedMonths },
    coverage,
    warnings,
    ...(postcodeRead && { postcodes: { ...postcodeRead.report, storedBefore: postcodesBefore } }),
  };
  // Stored with the dataset for later reading; per-row issues are capped so the document stays small.
  await repo.putDocument(datasetId, `import-report#${report.finishedAt}${scope ? `#${scope.force}` : ''}`, { ...report, crimes: crimesReport && { ...crimesReport, issues: crimesReport.issues.slice(0, 50) } });
  progress({ stage: 'done', filesDone: files.length, filesTotal: files.length });
  return report;
}

/**
 * The version of a dataset's LSOAs named by their content: a hash of each LSOA with its keys sorted (a store may list an
 * item's attributes in any order), in the order given (code order, as listed).
 */
export function lsoaContentVersion(lsoas: readonly Lsoa[]): string {
  const hash = createHash('sha256');
  for (const l of lsoas) hash.update(canonicalJson(l)).update('\n');
  return `lsoas-${hash.digest('hex').slice(0, 24)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
