import { buildContextLayer, type SvgMapContext } from '@safer-places/geo';
import type { AreaGeometry, BBox, Bid, BoundaryLineFeature, EligibilityResult, Lsoa, Principal, SelectionResult } from '@safer-places/schemas';
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
    const { mapContext, mapLocator } = packMapContext(topo.lsoas, selection);
    return {
      input: { bid, selection, eligibility, dataset, lsoaGeometries: [...lsoaGeometry.values()], generatedAt: this.deps.clock.now(), mapContext, ...(mapLocator && { mapLocator }) },
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

/** How much wider than the target and its buffer the pack's map looks for neighbouring LSOAs (the frame's margin). */
const CONTEXT_MARGIN = 0.35;

/**
 * The pack map's context: the LSOAs around the target (outlines), the ward and district boundaries between them and
 * their names, and, when the comparison area lies beyond the frame, a locator of the districts involved.
 */
export function packMapContext(lsoas: readonly Lsoa[], selection: SelectionResult): { mapContext: SvgMapContext; mapLocator?: { background: AreaGeometry[]; caption: string } } {
  const targetCodes = new Set(selection.lsoas.map((l) => l.code));
  const targetBoxes = lsoas.filter((l) => targetCodes.has(l.code)).map((l) => l.bbox);
  const frame = grow(union(targetBoxes), CONTEXT_MARGIN + (selection.buffer ? 0.25 : 0));
  const near = lsoas.filter((l) => intersects(l.bbox, frame));
  const layer = buildContextLayer(near, { withoutLsoaLabels: true });
  const paths = (features: BoundaryLineFeature[]) => features.flatMap((f) => f.geometry.coordinates);
  const mapContext: SvgMapContext = {
    outlines: near.map((l) => l.geometry),
    lines: [
      { kind: 'minor', paths: paths(layer.wardBoundaries) },
      { kind: 'major', paths: paths(layer.districtBoundaries) },
    ],
    labels: layer.placeLabels
      .filter((f) => f.properties.kind === 'district' || f.properties.kind === 'ward')
      .map((f) => ({ at: [f.geometry.coordinates[0]!, f.geometry.coordinates[1]!], text: f.properties.name, kind: f.properties.kind === 'district' ? 'major' : 'minor' })),
  };
  const comparison = lsoas.filter((l) => selection.comparison.lsoas.some((c) => c.code === l.code));
  if (comparison.length === 0 || comparison.every((l) => inside(l.bbox, frame))) return { mapContext };
  const districts = new Set([...lsoas.filter((l) => targetCodes.has(l.code)), ...comparison].map((l) => l.districtCode));
  const [tx, ty] = centre(union(targetBoxes));
  const [cx, cy] = centre(union(comparison.map((l) => l.bbox)));
  const km = distanceKm(tx, ty, cx, cy);
  return {
    mapContext,
    mapLocator: {
      background: lsoas.filter((l) => districts.has(l.districtCode)).map((l) => l.geometry),
      caption: `Comparison area: ${km < 10 ? km.toFixed(1) : Math.round(km)} km ${compass(cx - tx, cy - ty, ty)} of the target`,
    },
  };
}

function union(boxes: readonly BBox[]): BBox {
  return boxes.reduce<BBox>((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity]);
}
function grow(b: BBox, f: number): BBox {
  const dx = (b[2] - b[0]) * f + 0.003, dy = (b[3] - b[1]) * f + 0.002;
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
}
const intersects = (a: BBox, b: BBox) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
const inside = (a: BBox, b: BBox) => a[0] >= b[0] && a[2] <= b[2] && a[1] >= b[1] && a[3] <= b[3];
const centre = (b: BBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const k = Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180));
  return Math.hypot((lon2 - lon1) * k, lat2 - lat1) * 111.32;
}
/** One of the 8 compass points from the target to the comparison area. */
function compass(dLon: number, dLat: number, lat: number): string {
  const angle = (Math.atan2(dLon * Math.cos((lat * Math.PI) / 180), dLat) * 180) / Math.PI;
  return ['north', 'north-east', 'east', 'south-east', 'south', 'south-west', 'west', 'north-west'][Math.round(((angle + 360) % 360) / 45) % 8]!;
}
