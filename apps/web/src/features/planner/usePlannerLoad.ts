import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { RemoteRunner } from '../../shared/remote';
import { loadPlannerAnswer } from './requests';
import type { DatasetLike } from './query';
import type { PlannerLoad } from './shared';
import type { PlannerState } from './usePlanner';

/**
 * Loads the active tab's answer whenever its request key changes, unless the planner already holds the answer to that
 * key (coming back to a tab asks nothing). A new key aborts the request in flight, as does closing the panel.
 */
export function usePlannerLoad(api: ApiClient, planner: PlannerState, dataset: DatasetLike, scopeKey: string | null): PlannerLoad {
  const [load, setLoad] = useState<PlannerLoad>({ state: 'idle' });
  const runnerRef = useRef<RemoteRunner<void> | null>(null);
  if (runnerRef.current === null) runnerRef.current = new RemoteRunner<void>(setLoad);
  const runner = runnerRef.current;
  const { key, tab } = planner;

  useEffect(() => {
    if (!key) runner.reset();
    else if (planner.answers[tab]?.key === key) runner.set(undefined);
    else void runner.run((signal) => loadPlannerAnswer(api, { tab, query: planner.query, dataset, scopeKey, dosageMonth: planner.dosageMonth }, key, planner.setAnswer, signal));
  }, [key]);
  useEffect(() => () => runner.cancel(), [runner]);
  return load;
}
