import type { Position } from '@safer-places/schemas';
import { gapsMapState, sitesMapState } from './coverage';
import { dosageMapState } from './dosage';
import { helpPointsMapState } from './helpPoints';
import { EMPTY_MAP_STATE, proposedFeatures, type PlanningMapState } from './mapFeatures';
import { patrolMapState, startMapState } from './patrol';
import type { PlannerAnswers, PlannerQuery, PlannerTab } from './query';
import { rotationMapState } from './rotation';

/** Everything the planner shows on the map for the active tab: its answer when current, else what the user has set. */
export function plannerMapState(
  tab: PlannerTab,
  query: PlannerQuery,
  answers: PlannerAnswers,
  keys: { current: string | null },
  helpPoints: readonly { coordinates: Position }[],
  selected: number | null = null,
): PlanningMapState {
  const current = <T,>(a: { key: string; result: T } | undefined) => (a && a.key === keys.current ? a.result : null);
  switch (tab) {
    case 'patrol': {
      const plan = current(answers.patrol);
      return plan ? patrolMapState(plan, selected) : startMapState(query.start);
    }
    case 'gaps': {
      const gaps = current(answers.gaps);
      return gaps ? gapsMapState(gaps, query.proposed) : { features: { type: 'FeatureCollection', features: proposedFeatures(query.proposed) }, legend: null };
    }
    case 'sites': {
      const sites = current(answers.sites);
      return sites ? sitesMapState(sites, query.proposed) : EMPTY_MAP_STATE;
    }
    case 'rotation': {
      const r = current(answers.rotation);
      return r ? rotationMapState(r) : EMPTY_MAP_STATE;
    }
    case 'help': {
      const h = current(answers.help);
      return h ? helpPointsMapState(h, helpPoints) : EMPTY_MAP_STATE;
    }
    case 'dosage': {
      const d = current(answers.dosage);
      return d ? dosageMapState(d) : EMPTY_MAP_STATE;
    }
  }
}
