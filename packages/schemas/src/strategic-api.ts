import * as z from 'zod';
import { datasetParam } from './fields';
import { monthSchema, type Month } from './months';
import { scopeSchema, type ScopeSummary } from './scope';

/*
 * The strategic assessment (`GET /api/strategic`, and inside every area's statistics): the 12 months ending `to`
 * against the 12 before, per police.uk category and for the two groups, with a suggested Reduce / Monitor target.
 */

export const STRATEGIC_GROUP_BY = ['district', 'csp', 'all'] as const;
export type StrategicGroupBy = (typeof STRATEGIC_GROUP_BY)[number];

export const strategicQuerySchema = z.strictObject({
  dataset: datasetParam,
  /** Which place: the table covers the LSOAs of this scope. */
  scope: scopeSchema.optional(),
  /** One table per district, per CSP, or one for the whole scope. */
  groupBy: z.enum(STRATEGIC_GROUP_BY).default('district'),
  to: monthSchema.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export interface StrategicRow {
  key: string;
  label: string;
  current: number;
  previous: number;
  change: number;
  /** % change to one decimal, halves away from zero (percentChange in numbers.ts); null when the previous 12 months
   * had none. */
  changePct: number | null;
  target: 'Reduce' | 'Monitor';
}

export interface StrategicTable {
  current: { from: Month; to: Month };
  previous: { from: Month; to: Month };
  /** Whether the previous 12 months are all in the data; if not, the comparison is partial. */
  previousComplete: boolean;
  rows: StrategicRow[];
  rule: string;
}

/** `GET /api/strategic`: one table per district or CSP of the scope, or one for the whole scope, by name. */
export interface StrategicAssessment {
  dataset: { id: string; name: string; synthetic: boolean };
  /** The place the tables cover. */
  scope?: ScopeSummary;
  groupBy: StrategicGroupBy;
  /** Last month of the current 12. */
  to: Month;
  tables: { code: string; name: string; table: StrategicTable }[];
}
