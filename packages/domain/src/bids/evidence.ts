import type { AreaGeometry, Bid, EligibilityResult, Principal } from '@safer-places/schemas';
import { exportingAs, type AssetService } from '../assets';
import { DomainError, ValidationError } from '../errors';
import type { Clock } from '../ports';
import type { EligibilityUseCase } from './eligibility-use-case';
import { buildBidPack, type BidPack } from './pack';
import { renderBidReport, type BidReportInput } from './report';
import type { SelectionUseCase } from './selection';
import type { BidTopology } from './topology';

export interface EvidenceUseCaseDeps {
  data: BidTopology;
  assets: AssetService;
  clock: Clock;
  eligibility: EligibilityUseCase;
  selection: SelectionUseCase;
}

/**
 * The evidence of a saved bid: its target area and baseline (counted only from what every user of the organisation may
 * see, since a pack leaves the system) and its criteria's eligibility, as the printable report and the download pack.
 */
export class EvidenceUseCase {
  constructor(private readonly deps: EvidenceUseCaseDeps) {}

  async bid(principal: Principal, id: string): Promise<Bid> {
    return this.deps.assets.get(principal, 'bids', id);
  }

  /** Everything the report and the pack of a saved bid need. */
  async evidence(principal: Principal, id: string, datasetId?: string): Promise<{ input: BidReportInput; lsoaGeometry: Map<string, AreaGeometry>; comparisonGeometry: Map<string, AreaGeometry> }> {
    const bid = await this.bid(principal, id);
    if (bid.selection.length === 0) throw new ValidationError(`bid "${bid.name}" has no LSOAs selected: choose its target LSOAs first`);
    const dataset = await this.deps.data.datasetWithCrime(datasetId);
    const to = bid.criteria.to && bid.criteria.to <= dataset.lastMonth ? bid.criteria.to : undefined;
    // A pack leaves the system: it counts only what every user of the organisation may see.
    const selection = await this.deps.selection.selection(exportingAs(principal), {
      codes: bid.selection,
      dataset: dataset.id,
      to,
      bufferM: bid.bufferM,
      categories: bid.criteria.categories,
      comparison: bid.comparison && bid.comparison.length > 0 ? bid.comparison : undefined,
    });
    let eligibility: EligibilityResult | null = null;
    try {
      eligibility = await this.deps.eligibility.eligibility(principal, { ...bid.criteria, ...(to ? { to } : { to: undefined }) }, dataset.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      selection.notes.push(`The bid's criteria could not be evaluated on this data set (${err.message}); the "meets criteria" column is left empty.`);
    }
    const topo = await this.deps.data.topology(dataset);
    const geometryOf = (codes: string[]) => new Map(codes.map((c) => [c, topo.lsoas[topo.index.get(c)!]!.geometry]));
    const lsoaGeometry = geometryOf(selection.lsoas.map((l) => l.code));
    return {
      input: { bid, selection, eligibility, dataset, lsoaGeometries: [...lsoaGeometry.values()], generatedAt: this.deps.clock.now() },
      lsoaGeometry,
      comparisonGeometry: geometryOf(selection.comparison.lsoas.map((l) => l.code)),
    };
  }

  async reportHtml(principal: Principal, id: string, datasetId?: string): Promise<string> {
    return renderBidReport((await this.evidence(principal, id, datasetId)).input);
  }

  async pack(principal: Principal, id: string, datasetId?: string): Promise<BidPack> {
    const e = await this.evidence(principal, id, datasetId);
    return buildBidPack(e.input, e.lsoaGeometry, e.comparisonGeometry);
  }
}
