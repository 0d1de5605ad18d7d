import type { CrimeBlock, ReferenceRepository } from '@safer-places/domain';
import { createPolygonLocator } from '@safer-places/geo';
import type { BBox, DataSource, DatasetSummary } from '@safer-places/schemas';
import { CrimeCollector } from './crime-import';
import { detectFiles } from './detect';
import { ImportInputError } from './errors';
import { importReference, sourcesFor, type Lsoa11Lookup } from './reference-import';
import type { ImportReport } from './report';

export const DEFAULT_DATASET_ID = 'open-data';
const LOOKUP_DOCUMENT = 'lsoa11-lookup';

export interface ImportProgress {
  stage: 'detect' | 'reference' | 'crimes' | 'write' | 'done';
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
  onProgress?: (p: ImportProgress) => void;
  now?: () => Date;
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

/**
 * Imports boundary, lookup, deprivation, population and police.uk files into one dataset. Everything is read and
 * checked before anything is written; crimes are written month by month (each month replaces what was stored for it),
 * and the dataset summary goes last, so a dataset is listed only once its data is there.
 */
export async function importFiles(paths: string[], options: ImportOptions): Promise<ImportReport> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const repo = options.reference;
  const datasetId = options.datasetId ?? DEFAULT_DATASET_ID;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(datasetId)) throw new ImportInputError(`dataset id "${datasetId}" must be lower-case letters, digits and hyphens`);
  const progress = options.onProgress ?? (() => {});

  progress({ stage: 'detect', filesDone: 0, filesTotal: paths.length });
  const { files, skipped } = await detectFiles(paths);
  const existingSummary = await repo.getDataset(datasetId);
  if (existingSummary?.synthetic) throw new ImportInputError(`dataset "${datasetId}" holds synthetic demo data; import real data into another dataset`);

  const referenceFiles = files.filter((f) => f.kind !== 'police-street');
  const crimeFiles = files.filter((f) => f.kind === 'police-street');
  const warnings: string[] = [];
  for (const f of files) {
    if (f.kind === 'lsoa11-boundaries') warnings.push(`${f.path}: LSOA 2011 boundaries are not needed (the map uses 2021 LSOAs; 2011-based data is carried through the lookup); not imported`);
    if (f.kind === 'lad-boundaries') warnings.push(`${f.path}: district boundaries are derived from the LSOAs; not imported`);
  }

  progress({ stage: 'reference', filesDone: 0, filesTotal: referenceFiles.length });
  const storedLookup = await repo.getDocument<Lsoa11Lookup>(datasetId, LOOKUP_DOCUMENT);
  const reference = await importReference(referenceFiles, await repo.listLsoas(datasetId), storedLookup);
  warnings.push(...reference.report.warnings);
  const lsoas = reference.lsoas;

  let collector: CrimeCollector | null = null;
  if (crimeFiles.length > 0) {
    if (lsoas.length === 0) {
      throw new ImportInputError('police.uk crimes are placed in LSOAs by their coordinates: import LSOA 2021 boundaries first, or in the same command');
    }
    const locator = createPolygonLocator(lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
    const latestMonth = started.toISOString().slice(0, 7);
    collector = new CrimeCollector(locator, new Set(lsoas.map((l) => l.code)), reference.lookup, latestMonth);
    let done = 0;
    for (const f of crimeFiles) {
      progress({ stage: 'crimes', file: f.path, filesDone: done, filesTotal: crimeFiles.length, rows: collector.rowsRead });
      await collector.readFile(f, (rows) => progress({ stage: 'crimes', file: f.path, filesDone: done, filesTotal: crimeFiles.length, rows }));
      done++;
    }
    warnings.push(...collector.warnings);
  }

  // Everything is read and checked: from here on we write.
  if (reference.changed) await repo.putLsoas(datasetId, lsoas);
  if (reference.lookup && reference.lookup !== storedLookup) await repo.putDocument(datasetId, LOOKUP_DOCUMENT, reference.lookup);
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
    await repo.replaceCrimeMonth(datasetId, month, [...byLsoa.values()]);
    written++;
  }

  const allMonths = await repo.getMonthlyCounts(datasetId, '0000-01', '9999-12');
  const crimeCount = allMonths.reduce((s, m) => s + [...m.counts.values()].reduce((t, row) => t + row.reduce((a, b) => a + b, 0), 0), 0);
  const firstMonth = allMonths[0]?.month ?? null;
  const lastMonth = allMonths[allMonths.length - 1]?.month ?? null;
  const addedSources = sourcesFor(files);
  if (collector) {
    addedSources.push({
      name: 'police.uk street-level crime',
      publisher: 'Home Office and police forces (police.uk)',
      licence: 'Open Government Licence v3.0',
      ...(firstMonth && lastMonth && { coverage: `${firstMonth} to ${lastMonth}` }),
    });
  }
  const finished = now();
  const summary: DatasetSummary = {
    id: datasetId,
    name: options.datasetName ?? existingSummary?.name ?? 'Open data (imported)',
    synthetic: false,
    version: `import-${finished.toISOString()}`,
    firstMonth,
    lastMonth,
    lsoaCount: lsoas.length,
    crimeCount,
    bbox: unionBBox(lsoas.map((l) => l.bbox)),
    sources: mergeSources(existingSummary?.sources ?? [], addedSources),
    importedAt: finished.toISOString(),
    notes: [
      'Crime locations are police.uk anonymised snap points, never exact addresses.',
      'Crimes are placed in LSOAs by their coordinates; the LSOA code police.uk published is kept alongside.',
      ...(reference.report.deprivation.imd2019Split + reference.report.deprivation.imd2019Merged > 0 || (existingSummary?.notes ?? []).some((n) => n.includes('IMD 2019'))
        ? ['IMD 2019 deciles of LSOAs split or merged in 2021 are approximate (see each LSOA\'s deprivation source).']
        : []),
    ],
  };
  await repo.putDataset(summary);

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
  let crimes: ImportReport['crimes'] = null;
  if (collector) {
    const perFileMonth = [...collector.stats.values()].sort((a, b) => a.file.localeCompare(b.file) || a.month.localeCompare(b.month));
    const sum = (k: keyof (typeof perFileMonth)[number]) => perFileMonth.reduce((s, x) => s + (x[k] as number), 0);
    const imported = sum('imported');
    const located = imported - sum('noLocation');
    crimes = {
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
      perFileMonth,
      issues: collector.issues,
      issueCount: collector.issueCount,
      rowsPerSecond: collector.rowsRead / (durationMs / 1000),
    };
  }
  const report: ImportReport = {
    datasetId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs,
    files: files.map((f) => ({ path: f.path, kind: f.kind, label: f.label })),
    skippedFiles: skipped,
    reference: referenceFiles.length > 0 ? reference.report : null,
    crimes,
    coverage,
    warnings,
  };
  // Stored with the dataset for later reading; per-row issues are capped so the document stays small.
  await repo.putDocument(datasetId, `import-report#${report.finishedAt}`, { ...report, crimes: crimes && { ...crimes, issues: crimes.issues.slice(0, 50) } });
  progress({ stage: 'done', filesDone: files.length, filesTotal: files.length });
  return report;
}
