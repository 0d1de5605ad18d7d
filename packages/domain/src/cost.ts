import { areaSquareKilometres } from '@safer-places/geo';
import type { AreaGeometry, Month } from '@safer-places/schemas';
import { MAX_ANALYSIS_AREA_KM2, MAX_AREA_LSOAS, MAX_CRIMES_PER_ANALYSIS, MAX_PARTITION_READS_PER_ANALYSIS } from '@safer-places/schemas';
import type { CrimePartition } from './crime';
import { LimitExceededError } from './errors';

/** Crimes per month × partition, as `ReferenceRepository.crimePartitionSizes` reports them. */
export type PartitionSizes = Map<Month, Map<CrimePartition, number>>;

/** What a request would read: which months of which partitions, and how many crimes they hold. */
export interface ReadCost {
  months: number;
  partitions: number;
  /** months × partitions: the chunks of the store a read touches. */
  partitionReads: number;
  /** Crimes the partitions hold in those months (a month stored before partitions counts 0: its size is unknown). */
  crimes: number;
}

const n = (x: number) => Math.round(x).toLocaleString('en-GB');
const plural = (k: number, one: string, many = `${one}s`) => `${n(k)} ${k === 1 ? one : many}`;

/** Prices a read of `months` × `partitions` from the partitions' sizes, without reading any crime. */
export function readCost(sizes: PartitionSizes, months: readonly Month[], partitions: readonly CrimePartition[]): ReadCost {
  let crimes = 0;
  for (const m of months) {
    const perPartition = sizes.get(m);
    if (!perPartition) continue;
    for (const p of partitions) crimes += perPartition.get(p) ?? 0;
  }
  return { months: months.length, partitions: partitions.length, partitionReads: months.length * partitions.length, crimes };
}

/**
 * Refuses a read over MAX_CRIMES_PER_ANALYSIS or MAX_PARTITION_READS_PER_ANALYSIS with a LimitExceededError naming the
 * limit, the place (`what`, e.g. "the study area"), what it holds and what would fit.
 */
export function checkReadCost(cost: ReadCost, what: string): void {
  const period = plural(cost.months, 'month');
  if (cost.crimes > MAX_CRIMES_PER_ANALYSIS) {
    const monthsThatFit = cost.months > 0 ? Math.floor((MAX_CRIMES_PER_ANALYSIS / cost.crimes) * cost.months) : 0;
    throw new LimitExceededError(
      'MAX_CRIMES_PER_ANALYSIS',
      cost.crimes,
      MAX_CRIMES_PER_ANALYSIS,
      `${what} holds ${n(cost.crimes)} crimes in ${period}; the limit is ${n(MAX_CRIMES_PER_ANALYSIS)} crimes per analysis (MAX_CRIMES_PER_ANALYSIS): choose a district or CSP${monthsThatFit >= 1 ? `, or at most about ${plural(monthsThatFit, 'month')}` : ''}`,
    );
  }
  if (cost.partitionReads > MAX_PARTITION_READS_PER_ANALYSIS) {
    const monthsThatFit = cost.partitions > 0 ? Math.floor(MAX_PARTITION_READS_PER_ANALYSIS / cost.partitions) : 0;
    throw new LimitExceededError(
      'MAX_PARTITION_READS_PER_ANALYSIS',
      cost.partitionReads,
      MAX_PARTITION_READS_PER_ANALYSIS,
      `${what} spans ${plural(cost.partitions, 'district')} over ${period}, ${n(cost.partitionReads)} district-months to read; the limit is ${n(MAX_PARTITION_READS_PER_ANALYSIS)} per analysis (MAX_PARTITION_READS_PER_ANALYSIS): choose fewer districts${monthsThatFit >= 1 ? `, or at most ${plural(monthsThatFit, 'month')}` : ''}`,
    );
  }
}

/**
 * Refuses a drawn area or map view larger than MAX_ANALYSIS_AREA_KM2 (British National Grid km², geo's measure) with a
 * LimitExceededError naming the area, its size and the limit. Cheap: one pass over the vertices, before any clipping.
 */
export function checkAreaSize(geometry: AreaGeometry, what: string): number {
  const km2 = areaSquareKilometres(geometry);
  if (!(km2 <= MAX_ANALYSIS_AREA_KM2)) {
    throw new LimitExceededError(
      'MAX_ANALYSIS_AREA_KM2',
      Math.round(km2),
      MAX_ANALYSIS_AREA_KM2,
      `${what} covers ${n(km2)} km²; the limit is ${n(MAX_ANALYSIS_AREA_KM2)} km² per analysis (MAX_ANALYSIS_AREA_KM2): draw a smaller area or zoom the map in`,
    );
  }
  return km2;
}

/**
 * Refuses a drawn area or map view whose bounding box meets more than MAX_AREA_LSOAS LSOAs' boxes, before any clipping
 * (a thin band across the country is small in km² but would be clipped against every LSOA it passes).
 */
export function checkAreaLsoas(lsoasNear: number, what: string): void {
  if (lsoasNear > MAX_AREA_LSOAS) {
    throw new LimitExceededError(
      'MAX_AREA_LSOAS',
      lsoasNear,
      MAX_AREA_LSOAS,
      `${what} stretches over the boxes of ${n(lsoasNear)} LSOAs; the limit is ${n(MAX_AREA_LSOAS)} per analysis (MAX_AREA_LSOAS): draw a more compact area, or choose a district or CSP`,
    );
  }
}
