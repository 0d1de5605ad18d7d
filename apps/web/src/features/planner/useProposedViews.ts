import type { ApiClient } from '../../api/client';
import { useRemote } from '../../shared/remote';
import type { ProposedCameraBody } from './api';
import { knownViews } from './mapFeatures';
import { plannerKnownViews } from './mapState';
import type { PlannerState } from './usePlanner';

/** The most cameras one camera views request may ask for. */
const MAX_CAMERA_VIEWS = 20;

/**
 * The proposed cameras the coverage gaps tab draws before its answer comes whose view the planner does not know yet
 * (none while the tab's answer is current, or on another tab): what to ask `POST /api/planning/camera-views` for.
 */
export function camerasWithoutView(planner: Pick<PlannerState, 'tab' | 'query' | 'answers' | 'key' | 'cameraViews'>): ProposedCameraBody[] {
  if (planner.tab !== 'gaps' || planner.answers.gaps?.key === planner.key) return [];
  const views = knownViews(planner.query.proposed, plannerKnownViews(planner.answers, planner.cameraViews));
  return planner.query.proposed.filter((_, i) => views[i] === undefined).slice(0, MAX_CAMERA_VIEWS);
}

/**
 * Asks the server for the views of "what if" cameras dropped on the map that no answer has drawn yet, so each shows its
 * view at once, and keeps them with the planner. A changed list aborts the request in flight; a failure leaves the
 * camera's symbol alone until the tab's answer draws its view.
 */
export function useProposedViews(api: ApiClient, planner: PlannerState): void {
  const missing = camerasWithoutView(planner);
  const key = missing.length > 0 ? JSON.stringify(missing) : null;
  useRemote(key, async (signal) => {
    const { views } = await api.cameraViews({ cameras: missing }, signal);
    planner.addCameraViews(views);
  });
}
