import type { Position } from '@safer-places/schemas';
import { ApiError, describeError, type AreaStats, type AreaStatsQuery } from '../../api/client';
import type { MonthRange } from '../../shared/period';
import { useRemote } from '../../shared/remote';
import type { AreaFiguresState } from './AreaFigures';
import { crossingMessage } from './areaErrors';
import type { AreaQueryState } from './areaQuery';

export interface AreaFiguresInput {
  /** Changes whenever the figures must be fetched again (another shape, another version). */
  statsKey: string;
  loadStats(q: AreaStatsQuery, signal: AbortSignal): Promise<AreaStats>;
  query: AreaQueryState;
  period: MonthRange | null;
  datasetId: string | null;
  /** Where the server found the shape's edges crossing (null once a shape is accepted). */
  onCrossing(point: Position | null): void;
}

const NO_PERIOD: AreaFiguresState = { state: 'error', message: 'Choose a valid period in the map controls, or another period here.' };

/** The area's figures for the panel's crime types and period, asked again whenever the shape, version or query changes. */
export function useAreaFigures({ statsKey, loadStats, query, period, datasetId, onCrossing }: AreaFiguresInput): AreaFiguresState {
  const key = period ? `${statsKey}|${query.categories.join(',')}|${period.from}:${period.to}|${datasetId ?? ''}` : null;
  const { remote } = useRemote(
    key,
    async (signal) => {
      try {
        const stats = await loadStats({ categories: query.categories, from: period!.from, to: period!.to, ...(datasetId && { dataset: datasetId }) }, signal);
        onCrossing(null);
        return stats;
      } catch (err) {
        if (!signal.aborted && err instanceof ApiError && err.point) onCrossing(err.point);
        throw err;
      }
    },
    (err) => crossingMessage(err) ?? `The figures could not be loaded: ${describeError(err)}`,
  );
  return period ? remote : NO_PERIOD;
}
