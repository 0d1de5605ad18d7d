import type {
  AreaGeometry,
  Bid,
  BidPresetList,
  DatasetSummary,
  EligibilityCriteria,
  EligibilityResult,
  EvaluationQuery,
  EvaluationResult,
  Month,
  OwnBidPreset,
  Principal,
  SelectionResult,
} from '@safer-places/schemas';
import { BID_PRESET_NOTE } from '@safer-places/schemas';
import type { AssetService } from '../assets';
import type { CrimePointsCache } from '../crime-points';
import type { Clock } from '../ports';
import type { ReferenceService } from '../reference';
import type { ScopeResolver } from '../scope';
import { EligibilityUseCase } from './eligibility-use-case';
import { EvaluationUseCase } from './evaluation';
import { EvidenceUseCase } from './evidence';
import type { BidPack } from './pack';
import { BUILT_IN_BID_PRESETS } from './presets';
import type { BidReportInput } from './report';
import { SelectionUseCase, type SelectionInput } from './selection';
import { BidTopology, type PersistentScope, type Topology } from './topology';

export interface BidServiceDeps {
  reference: ReferenceService;
  points: CrimePointsCache;
  assets: AssetService;
  clock: Clock;
  /** The one scope resolver: the criteria's scope means what every other analysis's scope means. */
  scopes: ScopeResolver;
}

/**
 * The bid writer's workflow: which LSOAs meet a round's criteria (EligibilityUseCase), the target area made of the
 * chosen ones (SelectionUseCase), the report and pack of a saved bid (EvidenceUseCase), and after funding a
 * before/after evaluation of a Safer Streets area (EvaluationUseCase). This class only composes them over one shared
 * BidTopology, so every step reuses the same cached topology, counts and hot-spot shares.
 */
export class BidService {
  private readonly data: BidTopology;
  private readonly eligibilityUseCase: EligibilityUseCase;
  private readonly selectionUseCase: SelectionUseCase;
  private readonly evidenceUseCase: EvidenceUseCase;
  private readonly evaluationUseCase: EvaluationUseCase;

  constructor(private readonly deps: BidServiceDeps) {
    const data = new BidTopology({ reference: deps.reference, points: deps.points });
    this.data = data;
    this.eligibilityUseCase = new EligibilityUseCase({ data, reference: deps.reference, scopes: deps.scopes });
    this.selectionUseCase = new SelectionUseCase({ data, assets: deps.assets });
    this.evidenceUseCase = new EvidenceUseCase({ data, assets: deps.assets, clock: deps.clock, eligibility: this.eligibilityUseCase, selection: this.selectionUseCase });
    this.evaluationUseCase = new EvaluationUseCase({ data, points: deps.points, assets: deps.assets });
  }

  /** LSOAs of one dataset version with their adjacency (cached per version). */
  topology(dataset: DatasetSummary): Promise<Topology> {
    return this.data.topology(dataset);
  }

  /**
   * Share of each LSOA's crimes in persistent hot spots, over the scope's LSOAs and reading only its partitions (see
   * BidTopology.persistentShares).
   */
  persistentShares(dataset: DatasetSummary & { firstMonth: Month }, topo: Topology, scope: PersistentScope, wanted: Uint8Array, to: Month): Promise<Float64Array> {
    return this.data.persistentShares(dataset, topo, scope, wanted, to);
  }

  eligibility(principal: Principal, criteria: EligibilityCriteria, datasetId?: string): Promise<EligibilityResult> {
    return this.eligibilityUseCase.eligibility(principal, criteria, datasetId);
  }

  selection(principal: Principal, input: SelectionInput): Promise<SelectionResult> {
    return this.selectionUseCase.selection(principal, input);
  }

  /** The built-in presets of each round, then the organisation's own, by name. */
  async presets(principal: Principal): Promise<BidPresetList> {
    const own = await this.deps.assets.list(principal, 'bid-presets');
    const mine: OwnBidPreset[] = own.map((p) => ({ ...p, builtIn: false as const, note: BID_PRESET_NOTE })).sort((a, b) => a.name.localeCompare(b.name));
    return { items: [...BUILT_IN_BID_PRESETS, ...mine], note: BID_PRESET_NOTE };
  }

  bid(principal: Principal, id: string): Promise<Bid> {
    return this.evidenceUseCase.bid(principal, id);
  }

  /** Everything the report and the pack of a saved bid need. */
  evidence(principal: Principal, id: string, datasetId?: string): Promise<{ input: BidReportInput; lsoaGeometry: Map<string, AreaGeometry>; comparisonGeometry: Map<string, AreaGeometry> }> {
    return this.evidenceUseCase.evidence(principal, id, datasetId);
  }

  reportHtml(principal: Principal, id: string, datasetId?: string): Promise<string> {
    return this.evidenceUseCase.reportHtml(principal, id, datasetId);
  }

  pack(principal: Principal, id: string, datasetId?: string): Promise<BidPack> {
    return this.evidenceUseCase.pack(principal, id, datasetId);
  }

  evaluation(principal: Principal, areaId: string, query: EvaluationQuery): Promise<EvaluationResult> {
    return this.evaluationUseCase.evaluation(principal, areaId, query);
  }
}
