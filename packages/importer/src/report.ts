import type { CrimeAccounting, StudyArea } from '@safer-places/schemas';
import type { BoundarySet } from './boundaries';
import type { MonthFileStats, RowCounts, RowIssue } from './crime-import';
import type { CheckName, MonthChange } from './plausibility';
import type { PostcodeImportReport } from './postcodes';
import type { ReferenceReport } from './reference-import';

export interface ImportReport {
  datasetId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  files: { path: string; kind: string; label: string }[];
  skippedFiles: { path: string; reason: string }[];
  /** The place the dataset covers after this import, and what was left out to keep to it. */
  studyArea: {
    area: StudyArea;
    /** Named with an import option, kept from the dataset, or chosen by this import (from its crimes or boundaries). */
    how: 'named' | 'kept' | 'chosen';
    /** Whether it differs from the study area stored before (true for a new dataset). */
    changed: boolean;
    /** Why the usual choice could not be made (e.g. "Falls within" naming no force of the lookup), if so. */
    note: string | null;
    boundaries: {
      /** LSOAs in this import's boundary files (each counted once). */
      given: number;
      kept: number;
      /** Given but outside the study area: not kept. */
      outside: number;
      outsideReason: string;
      givenTwice: BoundarySet['givenTwice'];
      /** LSOAs stored earlier and outside a narrower study area named now: removed. */
      storedRemoved: number;
    };
    /** Months stored earlier whose crimes were placed again because the study area's LSOAs changed. */
    monthsPlacedAgain: { month: string; moved: number }[];
    /**
     * Months stored earlier and not replaced now, written again (the same crimes) because they were stored before
     * crime partitions or their LSOAs' districts changed (docs/table-design.md, "Crime partitions").
     */
    monthsRepartitioned: string[];
  };
  reference: ReferenceReport | null;
  crimes: (RowCounts & {
    /** Share of imported rows with coordinates that were placed in an LSOA of the study area. */
    placedShareOfLocated: number;
    retiredCodes: Record<string, number>;
    publishedCodesOutsideDataset: number;
    monthsReplaced: string[];
    /** Each stored month replaced: stored against new crimes and placed, and the plausibility checks' figures. */
    monthChanges: MonthChange[];
    /** Checks that failed and were overridden with --force-replace (empty otherwise: a failed check writes nothing). */
    checksOverridden: { month: string; check: CheckName; figures: string }[];
    perFileMonth: MonthFileStats[];
    issues: RowIssue[];
    issueCount: number;
    rowsPerSecond: number;
    /** police.uk "Falls within" (the force) of the rows imported, most first. */
    fallsWithin: Record<string, number>;
  }) | null;
  /**
   * Where every police.uk row went: this import's rows (null without crime files), and the dataset's, summed over the
   * months it holds (stored per month, replaced with the month).
   */
  accounting: { thisImport: CrimeAccounting | null; dataset: CrimeAccounting; derivedMonths: string[] };
  /** Placed crimes per month and district, for the months this import wrote. */
  coverage: { districts: string[]; months: { month: string; counts: number[] }[] } | null;
  warnings: string[];
  /** An ONS postcode file's rows, when one was given: what was kept for the search and why the rest was not. */
  postcodes?: PostcodeImportReport;
}

const n = (x: number) => x.toLocaleString('en-GB');
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const s = (k: number, one: string, many = `${one}s`) => `${n(k)} ${k === 1 ? one : many}`;

function accountingLines(a: CrimeAccounting): string[] {
  return [
    `rows read ${n(a.rowsRead)} = stored ${n(a.stored)} + identical duplicates ${n(a.duplicatesSkipped)} + rejected ${n(a.rejected)}`,
    `stored ${n(a.stored)} = placed in the study area ${n(a.placed)} + outside the study area ${n(a.outsideStudyArea)} + no location ${n(a.noLocation)}`,
  ];
}

/** The summary printed at the end of an import (and stored with the dataset). */
export function formatReport(r: ImportReport): string {
  const out: string[] = [];
  out.push(`Import into dataset "${r.datasetId}" finished in ${(r.durationMs / 1000).toFixed(1)} s`);
  out.push('', 'Files:');
  for (const f of r.files) out.push(`  ${f.label.padEnd(48)} ${f.path}`);
  for (const sk of r.skippedFiles) out.push(`  skipped: ${sk.path} (${sk.reason})`);

  const sa = r.studyArea;
  const how = { named: 'named with an import option', kept: 'kept from the dataset', chosen: 'chosen by this import' }[sa.how];
  out.push('', `Study area: ${sa.area.label}, ${s(sa.area.lsoaCount, 'LSOA')} (${sa.area.method}; ${how}${sa.how !== 'kept' && !sa.changed ? ', as before' : ''})`);
  out.push(`  why: ${sa.area.reason}`);
  if (sa.area.force) out.push(`  police force: ${sa.area.force.name}${sa.area.force.code ? ` (${sa.area.force.code})` : ''}`);
  const shown = sa.area.districts.slice(0, 20).map((d) => `${d.name}${d.code ? ` ${d.code}` : ''} ${n(d.lsoaCount)}`);
  out.push(`  districts (LSOAs): ${shown.join('; ')}${sa.area.districts.length > 20 ? `; … ${n(sa.area.districts.length - 20)} more` : ''}`);
  const b = sa.boundaries;
  if (b.given > 0) {
    out.push(`  LSOA boundaries given: ${n(b.given)}; kept in the study area: ${n(b.kept)}`);
    if (b.outside > 0) out.push(`  ${s(b.outside, 'LSOA')} outside the study area (${b.outsideReason}) not kept`);
    if (b.givenTwice.lsoas > 0) {
      const from = Object.entries(b.givenTwice.keptFrom)
        .sort(([a], [c]) => a.localeCompare(c))
        .map(([file, k]) => `${n(k)} from ${file.split('/').slice(-2).join('/')}`);
      out.push(`  ${s(b.givenTwice.lsoas, 'LSOA')} given more than once: the more detailed boundary kept (more vertices, then more decimal places): ${from.slice(0, 10).join(', ')}${from.length > 10 ? ', …' : ''}`);
    }
  }
  if (b.storedRemoved > 0) out.push(`  ${s(b.storedRemoved, 'stored LSOA')} outside the new study area removed`);
  for (const m of sa.monthsPlacedAgain) out.push(`  stored month ${m.month} placed again in the study area's LSOAs: ${s(m.moved, 'crime')} moved`);
  if (sa.monthsRepartitioned.length > 0) out.push(`  ${s(sa.monthsRepartitioned.length, 'stored month')} written again in their districts' partitions: ${sa.monthsRepartitioned.join(', ')}`);

  if (r.reference) {
    const d = r.reference.deprivation;
    const p = r.reference.population;
    out.push('', `LSOAs (2021): ${n(r.reference.lsoas)}`);
    out.push(`  deprivation: IoD 2025 ${n(d.iod2025)}; IMD 2019 unchanged ${n(d.imd2019Unchanged)}, split ${n(d.imd2019Split)}, merged ${n(d.imd2019Merged)} (approximate); none ${n(d.none)}`);
    out.push(`  population: Census 2021 ${n(p.census2021)}; mid-2020 carried ${n(p.mid2020Carried)}; none ${n(p.none)}`);
    for (const f of r.reference.attributeFiles) {
      if (f.outsideStudyArea > 0) out.push(`  ${f.path.split('/').pop()}: ${n(f.outsideStudyArea)} of ${s(f.rows, 'row')} for LSOAs outside the study area, not kept`);
    }
    for (const inv of r.reference.invalidBoundaries) out.push(`  not imported: ${inv}`);
  }
  const c = r.crimes;
  if (c) {
    out.push('', 'police.uk crimes:');
    out.push(`  rows read ${n(c.rowsRead)}, imported ${n(c.imported)}, identical duplicates skipped ${n(c.duplicatesSkipped)}, rejected ${n(c.rejected)}`);
    if (c.sameIdDifferentRow) out.push(`  rows sharing a Crime ID with a different row (kept, police.uk publishes these): ${n(c.sameIdDifferentRow)}`);
    // "outside every known LSOA": the dataset's LSOAs are those of its study area.
    out.push(`  of those imported: no location ${n(c.noLocation)}, outside every known LSOA ${n(c.outsideLsoas)} (both stored as unplaced), placed ${pct(c.placedShareOfLocated)} of rows with coordinates`);
    out.push(`  published LSOA code differs from the LSOA the point falls in: ${n(c.publishedCodeDiffers)}`);
    const retired = Object.entries(c.retiredCodes);
    if (retired.length) out.push(`  retired 2011 LSOA codes seen: ${retired.length} codes, ${n(retired.reduce((t, [, k]) => t + k, 0))} rows (${retired.slice(0, 5).map(([code, k]) => `${code} ×${k}`).join(', ')}${retired.length > 5 ? ', …' : ''})`);
    const forces = Object.entries(c.fallsWithin);
    if (forces.length) out.push(`  falls within: ${forces.slice(0, 5).map(([f, k]) => `${f} ${n(k)}`).join('; ')}${forces.length > 5 ? '; …' : ''}`);
    out.push(`  months written (each replaces what was stored for that month): ${c.monthsReplaced.join(', ') || 'none'}`);
    for (const m of c.monthChanges ?? []) {
      out.push(`  ${m.month} replaced: stored ${n(m.stored.crimes)} → new ${n(m.new.crimes)} crimes; placed ${n(m.stored.placed)} → ${n(m.new.placed)} (${pct(m.stored.placedShareOfLocated)} → ${pct(m.new.placedShareOfLocated)} of crimes with coordinates)`);
      for (const ch of m.checks) out.push(`    ${ch.passed ? 'ok' : 'FAILED'} ${ch.check}: ${ch.figures}`);
    }
    if ((c.checksOverridden ?? []).length > 0) {
      out.push(`  checks overridden with --force-replace: ${c.checksOverridden.map((o) => `${o.month} ${o.check}`).join(', ')}`);
    }
    out.push(`  ${n(Math.round(c.rowsPerSecond))} rows/s end to end`);
    out.push('', '  file / month                                    read  imported  dup  rejected  no-loc  outside  code≠  retired');
    for (const st of c.perFileMonth) {
      out.push(`  ${`${st.file} ${st.month}`.slice(0, 44).padEnd(44)} ${String(st.rowsRead).padStart(7)} ${String(st.imported).padStart(9)} ${String(st.duplicatesSkipped).padStart(4)} ${String(st.rejected).padStart(9)} ${String(st.noLocation).padStart(7)} ${String(st.outsideLsoas).padStart(8)} ${String(st.publishedCodeDiffers).padStart(6)} ${String(st.retiredCodes).padStart(8)}`);
    }
    if (c.issueCount) {
      out.push('', `Row problems (${n(c.issueCount)}${c.issueCount > c.issues.length ? `, first ${c.issues.length} shown` : ''}):`);
      for (const i of c.issues.slice(0, 20)) out.push(`  ${i.file}:${i.line}: ${i.reason}`);
    }
  }
  out.push('', 'Crime accounting:');
  if (r.accounting.thisImport) out.push(...accountingLines(r.accounting.thisImport).map((l) => `  this import: ${l}`));
  out.push(...accountingLines(r.accounting.dataset).map((l) => `  dataset (every month it holds): ${l}`));
  if (r.accounting.derivedMonths.length) out.push(`  months imported before rows were counted (rows read taken as stored): ${r.accounting.derivedMonths.join(', ')}`);
  if (r.coverage) {
    out.push('', `Coverage (placed crimes per month and district): ${r.coverage.districts.join(' | ')}`);
    for (const m of r.coverage.months) out.push(`  ${m.month}  ${m.counts.map((k) => String(k).padStart(6)).join(' ')}`);
  }
  if (r.postcodes) out.push('', ...postcodeLines(r.postcodes));
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join('\n');
}

function postcodeLines(p: PostcodeImportReport): string[] {
  const out = [`Postcodes: ${s(p.kept, 'live postcode')} in ${s(p.districts, 'postcode district')} kept for the search (replacing ${n(p.storedBefore)} stored)`];
  out.push(`  LSOA from the file's lsoa21 ${n(p.lsoaFromFile)}, from the point ${n(p.lsoaFromPoint)}`);
  for (const f of p.files) {
    out.push(`  ${f.path.split('/').pop()}: rows ${n(f.rowsRead)} = kept ${n(f.kept)} + repeated ${n(f.duplicates)} + terminated ${n(f.terminated)} + no location ${n(f.noLocation)} + outside the study area ${n(f.outsideStudyArea)} + rejected ${n(f.rejected)}`);
  }
  for (const i of p.issues.slice(0, 10)) out.push(`  ${i.file.split('/').pop()}:${i.line}: ${i.reason}`);
  return out;
}
