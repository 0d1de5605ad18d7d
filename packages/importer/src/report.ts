import type { MonthFileStats, RowCounts, RowIssue } from './crime-import';
import type { ReferenceReport } from './reference-import';

export interface ImportReport {
  datasetId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  files: { path: string; kind: string; label: string }[];
  skippedFiles: { path: string; reason: string }[];
  reference: ReferenceReport | null;
  crimes: (RowCounts & {
    /** Share of imported rows with coordinates that were placed in an LSOA. */
    placedShareOfLocated: number;
    retiredCodes: Record<string, number>;
    publishedCodesOutsideDataset: number;
    monthsReplaced: string[];
    perFileMonth: MonthFileStats[];
    issues: RowIssue[];
    issueCount: number;
    rowsPerSecond: number;
  }) | null;
  /** Placed crimes per month and district, for the months this import wrote. */
  coverage: { districts: string[]; months: { month: string; counts: number[] }[] } | null;
  warnings: string[];
}

const n = (x: number) => x.toLocaleString('en-GB');
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** The summary printed at the end of an import (and stored with the dataset). */
export function formatReport(r: ImportReport): string {
  const out: string[] = [];
  out.push(`Import into dataset "${r.datasetId}" finished in ${(r.durationMs / 1000).toFixed(1)} s`);
  out.push('', 'Files:');
  for (const f of r.files) out.push(`  ${f.label.padEnd(48)} ${f.path}`);
  for (const s of r.skippedFiles) out.push(`  skipped: ${s.path} (${s.reason})`);
  if (r.reference) {
    const d = r.reference.deprivation;
    const p = r.reference.population;
    out.push('', `LSOAs (2021): ${n(r.reference.lsoas)}`);
    out.push(`  deprivation: IoD 2025 ${n(d.iod2025)}; IMD 2019 unchanged ${n(d.imd2019Unchanged)}, split ${n(d.imd2019Split)}, merged ${n(d.imd2019Merged)} (approximate); none ${n(d.none)}`);
    out.push(`  population: Census 2021 ${n(p.census2021)}; mid-2020 carried ${n(p.mid2020Carried)}; none ${n(p.none)}`);
    if (r.reference.rowsOutsideDataset) out.push(`  rows for LSOAs outside these boundaries (ignored): ${n(r.reference.rowsOutsideDataset)}`);
    for (const b of r.reference.invalidBoundaries) out.push(`  not imported: ${b}`);
  }
  const c = r.crimes;
  if (c) {
    out.push('', 'police.uk crimes:');
    out.push(`  rows read ${n(c.rowsRead)}, imported ${n(c.imported)}, identical duplicates skipped ${n(c.duplicatesSkipped)}, rejected ${n(c.rejected)}`);
    if (c.sameIdDifferentRow) out.push(`  rows sharing a Crime ID with a different row (kept, police.uk publishes these): ${n(c.sameIdDifferentRow)}`);
    out.push(`  of those imported: no location ${n(c.noLocation)}, outside every known LSOA ${n(c.outsideLsoas)} (both stored as unplaced), placed ${pct(c.placedShareOfLocated)} of rows with coordinates`);
    out.push(`  published LSOA code differs from the LSOA the point falls in: ${n(c.publishedCodeDiffers)}`);
    const retired = Object.entries(c.retiredCodes);
    if (retired.length) out.push(`  retired 2011 LSOA codes seen: ${retired.length} codes, ${n(retired.reduce((s, [, k]) => s + k, 0))} rows (${retired.slice(0, 5).map(([code, k]) => `${code} ×${k}`).join(', ')}${retired.length > 5 ? ', …' : ''})`);
    out.push(`  months written (each replaces what was stored for that month): ${c.monthsReplaced.join(', ') || 'none'}`);
    out.push(`  ${n(Math.round(c.rowsPerSecond))} rows/s end to end`);
    out.push('', '  file / month                                    read  imported  dup  rejected  no-loc  outside  code≠  retired');
    for (const s of c.perFileMonth) {
      out.push(`  ${`${s.file} ${s.month}`.slice(0, 44).padEnd(44)} ${String(s.rowsRead).padStart(7)} ${String(s.imported).padStart(9)} ${String(s.duplicatesSkipped).padStart(4)} ${String(s.rejected).padStart(9)} ${String(s.noLocation).padStart(7)} ${String(s.outsideLsoas).padStart(8)} ${String(s.publishedCodeDiffers).padStart(6)} ${String(s.retiredCodes).padStart(8)}`);
    }
    if (c.issueCount) {
      out.push('', `Row problems (${n(c.issueCount)}${c.issueCount > c.issues.length ? `, first ${c.issues.length} shown` : ''}):`);
      for (const i of c.issues.slice(0, 20)) out.push(`  ${i.file}:${i.line}: ${i.reason}`);
    }
  }
  if (r.coverage) {
    out.push('', `Coverage (placed crimes per month and district): ${r.coverage.districts.join(' | ')}`);
    for (const m of r.coverage.months) out.push(`  ${m.month}  ${m.counts.map((k) => String(k).padStart(6)).join(' ')}`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join('\n');
}
