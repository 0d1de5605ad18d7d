import type { CameraViews, Principal, ProposedCamera } from '@safer-places/schemas';
import type { AssetService } from '../assets';
import type { CrimeSelection } from '../crime-selection';
import type { Clock } from '../ports';
import { proposedCameraViews, proposedView, type PlanningContext } from './common';
import { coverageGaps, type CoverageGapRequest } from './coverage';
import { dosageReport, type DosageReportRequest } from './dosage';
import { helpPointSuggestions, type HelpPointRequest } from './help-points';
import { patrolPlan, type PatrolPlanRequest } from './patrol';
import { rotationSuggestions, type RotationRequest } from './rotation';
import { candidateSites, type CandidateSitesRequest } from './sites';

/**
 * The planner's workflow (police beat teams, community protection, the CCTV control room): hot-spot patrol plans and
 * their dosage log, CCTV coverage gaps, where new cameras would do most, where re-deployable cameras go next, and
 * where refuge help points are missing. It shares the hot spot analysis's crime selection and caches; every read of
 * cameras, help points, areas, visits and deployments is scoped to the caller's organisation.
 */
export class PlanningService {
  private readonly ctx: PlanningContext;

  constructor(selection: CrimeSelection, assets: AssetService, clock: Clock = { now: () => new Date() }) {
    this.ctx = { selection, assets, clock };
  }

  /** The shapes of cameras being placed ("what if"), as every answer draws them, before any analysis runs. */
  cameraViews(cameras: readonly ProposedCamera[]): CameraViews {
    return { views: proposedCameraViews(cameras).map(proposedView) };
  }

  patrolPlan(request: PatrolPlanRequest) {
    return patrolPlan(this.ctx, request);
  }

  coverageGaps(principal: Principal, request: CoverageGapRequest) {
    return coverageGaps(this.ctx, principal, request);
  }

  candidateSites(principal: Principal, request: CandidateSitesRequest) {
    return candidateSites(this.ctx, principal, request);
  }

  rotation(principal: Principal, request: RotationRequest) {
    return rotationSuggestions(this.ctx, principal, request);
  }

  helpPoints(principal: Principal, request: HelpPointRequest) {
    return helpPointSuggestions(this.ctx, principal, request);
  }

  dosageReport(principal: Principal, request: DosageReportRequest) {
    return dosageReport(this.ctx, principal, request);
  }
}
