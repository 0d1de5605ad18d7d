import type { ProposedCameraView } from '@safer-places/schemas';
import { gapsMapState, sitesMapState } from './coverage';
import { dosageMapState } from './dosage';
import { helpPointsMapState } from './helpPoints';
import { EMPTY_MAP_STATE, knownViews, proposedFeatures, type PlanningMapState } from './mapFeatures';
import { patrolMapState, startMapState } from './patrol';
import type { PlannerAnswers, PlannerQuery, PlannerTab } from './query';
import { rotationMapState } from './rotation';

/**
 * Every proposed camera's view the planner knows: those asked for (`POST /api/planning/camera-views`) and those of the
 * coverage gaps and camera sites answers it holds, current or not.
 */
export function plannerKnownViews(answers: PlannerAnswers, cameraViews: readonly ProposedCameraView[]): ProposedCameraView[] {
  return [...cameraViews, ...(answers.gaps?.result.cameras.proposed ?? []), ...(answers.sites?.result.proposed ?? [])];
}

/**
 * Everything the planner shows on the map for the active tab: its answer when current, else what the user has set (on
 * the coverage gaps tab, the proposed cameras, each with its view when the planner knows it: see plannerKnownViews).
 */
export function plannerMapState(
  tab: PlannerTab,
  query: PlannerQuery,
  answers: PlannerAnswers,
  keys: { current: string | null },
  cameraViews: readonly ProposedCameraView[],
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
      if (gaps) return gapsMapState(gaps, query.proposed);
      const views = knownViews(query.proposed, plannerKnownViews(answers, cameraViews));
      return { features: { type: 'FeatureCollection', features: proposedFeatures(query.proposed, views) }, legend: null };
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
      return h ? helpPointsMapState(h) : EMPTY_MAP_STATE;
    }
    case 'dosage': {
      const d = current(answers.dosage);
      return d ? dosageMapState(d) : EMPTY_MAP_STATE;
    }
  }
}
