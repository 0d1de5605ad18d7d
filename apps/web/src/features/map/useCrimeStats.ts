import { useMemo, useRef } from 'react';
import type { CategorySelection, DatasetSummary, LsoaStats } from '@safer-places/schemas';
import type { ApiClient } from '../../api/client';
import { resolvePeriod, type PeriodChoice } from '../../shared/period';
import { useRemote } from '../../shared/remote';

export interface CrimeStatsInput {
  api: ApiClient;
  dataset: DatasetSummary | null;
  /** The place; null while it is being resolved (the last figures stay until the new ones arrive). */
  scopeKey: string | null;
  category: CategorySelection;
  periodChoice: PeriodChoice;
  custom: { from: string; to: string };
}

/**
 * The LSOA crime figures for the chosen category and period within the place. The last figures stay on screen while
 * new ones load, after a failure and while the period is not valid; `settled` says whether the map may count as ready.
 */
export function useCrimeStats({ api, dataset, scopeKey, category, periodChoice, custom }: CrimeStatsInput) {
  const period = useMemo(() => (dataset ? resolvePeriod(periodChoice, dataset, custom) : null), [dataset, periodChoice, custom]);
  const range = period?.ok ? period.range : null;
  const inputsReady = !!dataset && !!scopeKey;
  const key = inputsReady && range ? JSON.stringify([dataset.id, scopeKey, category, range.from, range.to]) : null;
  const { remote, value } = useRemote(key, (signal) => api.stats({ dataset: dataset!.id, scope: scopeKey!, category, from: range!.from, to: range!.to }, signal));

  const last = useRef<LsoaStats | null>(null);
  if (value) last.current = value;
  const stats = value ?? last.current;

  // Ready: figures arrived (or failed), or there is no valid period to ask for; while the place is resolved, as before.
  const settledRef = useRef(false);
  if (inputsReady) settledRef.current = range === null || remote.state === 'done' || remote.state === 'error';
  const error = key !== null && remote.state === 'error' ? `Crime figures could not be loaded: ${remote.message}` : null;

  return { period, range, stats, settled: settledRef.current, error };
}
