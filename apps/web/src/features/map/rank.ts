import type { LsoaStatsRow } from '@safer-places/schemas';

/**
 * Competition ranking ("1, 2, 2, 4") of one LSOA among all LSOAs in the statistics, highest first, by count and by
 * rate. Rate rank is null where the LSOA has no rate (unknown population).
 */
export function rankOf(rows: readonly LsoaStatsRow[], code: string): { count: number | null; rate: number | null; of: number } {
  const row = rows.find((r) => r.code === code);
  if (!row) return { count: null, rate: null, of: rows.length };
  let countAbove = 0;
  let rateAbove = 0;
  for (const r of rows) {
    if (r.count > row.count) countAbove++;
    if (row.ratePer1000 !== null && r.ratePer1000 !== null && r.ratePer1000 > row.ratePer1000) rateAbove++;
  }
  return { count: countAbove + 1, rate: row.ratePer1000 === null ? null : rateAbove + 1, of: rows.length };
}
