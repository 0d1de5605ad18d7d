import type { EligibilityCriteria, EligibilityResult, Lsoa, Principal } from '@safer-places/schemas';
import { AREA_SCOPE_MIN_SHARE, bidSelectionLabel } from '@safer-places/schemas';
import { ValidationError } from '../errors';
import { addMonths, monthRange, periodLabel } from '@safer-places/schemas';
import type { ReferenceService } from '../reference';
import type { ResolvedScope, ScopeResolver } from '../scope';
import { categoryMask, categoryNotes } from './categories';
import { evaluateCriteria } from './eligibility';
import { placeName } from '../crime-selection';
import { periodEnding, type BidTopology, type PersistentScope, type Topology } from './topology';

export interface EligibilityUseCaseDeps {
  data: BidTopology;
  reference: ReferenceService;
  /** The one scope resolver: the criteria's scope means what every other analysis's scope means. */
  scopes: ScopeResolver;
}

/**
 * Which LSOAs meet a round's criteria: the criteria's scope (or an OPCC list), the crime counts of the 12 months ending
 * `criteria.to` and of the 12 before, the persistent hot-spot shares when a rule asks for them (over the scope's LSOAs,
 * reading only the scope's partitions, priced first: BidTopology.persistentShares), then the rules (evaluateCriteria).
 */
export class EligibilityUseCase {
  constructor(private readonly deps: EligibilityUseCaseDeps) {}

  async eligibility(principal: Principal, criteria: EligibilityCriteria, datasetId?: string): Promise<EligibilityResult> {
    const dataset = await this.deps.data.datasetWithCrime(datasetId);
    const to = periodEnding(dataset, criteria.to, 'criteria.to');
    const topo = await this.deps.data.topology(dataset);
    const n = topo.lsoas.length;
    const notes: string[] = [];
    if (dataset.synthetic) notes.push('Synthetic demo data: generated figures, not real crime. Do not use them in a bid.');

    const scope = await this.scopeMask(principal, topo, criteria.scope, notes);
    const inScope = scope.mask;
    let inList: Uint8Array | null = null;
    if (criteria.lsoaList) {
      inList = new Uint8Array(n);
      const unknown: string[] = [];
      let outside = 0;
      for (const raw of new Set(criteria.lsoaList.map((c) => c.toUpperCase()))) {
        const i = topo.index.get(raw);
        if (i === undefined) unknown.push(raw);
        else {
          inList[i] = 1;
          if (!inScope[i]) outside++;
        }
      }
      notes.push('An OPCC list of LSOAs was given: eligibility is that list (within the scope); the rules are shown for information.');
      if (unknown.length > 0) notes.push(`${unknown.length} listed code(s) are not LSOAs of this dataset and are ignored: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ' …' : ''}.`);
      if (outside > 0) notes.push(`${outside} listed LSOA(s) are outside the chosen scope and are not shown.`);
    }

    const wanted = categoryMask(criteria.categories);
    const current = monthRange(addMonths(to, -11), to);
    const previous = monthRange(addMonths(to, -23), addMonths(to, -12));
    const [cur, prev] = await Promise.all([this.deps.data.sums(dataset, topo, current, wanted), this.deps.data.sums(dataset, topo, previous, wanted)]);
    const usesPersistent = criteria.rules.some((r) => r.kind === 'persistent-hotspot-share');
    const persistentShare = usesPersistent ? await this.deps.data.persistentShares(dataset, topo, scope, wanted, to) : null;

    const out = evaluateCriteria({
      lsoas: topo.lsoas.map((l) => ({ code: l.code, name: l.name, ward: l.wardName, district: l.districtName, cspName: l.cspName, population: l.population, decile: l.imdDecile })),
      current: cur.sums,
      previous: prev.sums,
      persistentShare,
      inScope,
      inList,
      rules: criteria.rules,
      combine: criteria.combine,
    });

    notes.push(...categoryNotes(criteria.categories));
    notes.push('Rates are crimes per 1,000 usual residents over the 12 months; the force-area average is over every LSOA of the dataset with a population.');
    if (cur.available.length < current.length) notes.push(`Only ${cur.available.length} of the 12 months (${periodLabel(current[0]!, to)}) have crime data.`);
    if (prev.available.length < previous.length) notes.push(`The previous 12 months have data for ${prev.available.length} months only: the previous counts are partial.`);
    const noPopulation = out.lsoas.filter((l) => l.population === null).length;
    if (noPopulation > 0) notes.push(`${noPopulation} LSOA(s) in scope have no population, so no rate: they fail rate rules.`);
    if (usesPersistent) notes.push(PERSISTENT_NOTE);
    if (criteria.rules.length === 0 && !inList) notes.push('No rules: every LSOA in scope is listed as eligible.');
    const decileSource = decileSourceOf(topo.lsoas, inScope);
    if (criteria.rules.some((r) => r.kind === 'max-decile') && decileSource) notes.push(`Deciles: ${decileSource}. Decile 1 = the most deprived 10 % of England.`);

    return {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      period: { from: current[0]!, to },
      previousPeriod: { from: previous[0]!, to: previous[previous.length - 1]! },
      categories: criteria.categories.map((c) => ({ key: c, label: bidSelectionLabel(c) })),
      averageRate: out.averageRate,
      scopeLsoas: out.scopeLsoas,
      eligible: out.eligible,
      decileSource,
      lsoas: out.lsoas,
      notes,
    };
  }

  /**
   * The criteria's scope, resolved by the one scope resolver every analysis uses: its LSOAs (a mask over the topology)
   * and how a limit message names it. The persistent hot-spot rule reads only this place's crimes.
   */
  private async scopeMask(principal: Principal, topo: Topology, scope: EligibilityCriteria['scope'], notes: string[]): Promise<PersistentScope> {
    const n = topo.lsoas.length;
    const mask = new Uint8Array(n);
    const dataset = await this.deps.reference.resolveDataset(topo.datasetId);
    const names: string[] = [];
    const mark = (resolved: ResolvedScope) => {
      for (const code of resolved.lsoaCodes) {
        const i = topo.index.get(code);
        if (i !== undefined) mask[i] = 1;
      }
      names.push(placeName(resolved));
      return resolved;
    };
    const done = (): PersistentScope => ({ mask, what: names.join(', ') });
    if (scope.kind === 'all') {
      mark(await this.deps.scopes.resolve(principal, dataset, { kind: 'study-area' }));
      return done();
    }
    if (scope.kind === 'area' || scope.kind === 'partnership') {
      const resolved = mark(await this.deps.scopes.resolve(principal, dataset, scope.kind === 'area' ? { kind: 'area', id: scope.areaId } : { kind: 'partnership', id: scope.id }));
      notes.push(
        scope.kind === 'area'
          ? `Scope: the LSOAs with at least ${AREA_SCOPE_MIN_SHARE * 100} % of their area inside the drawn area "${resolved.summary.label.replace(/^Drawn area: /, '')}".`
          : `Scope: the partnership area "${resolved.summary.label}" (${resolved.lsoas.length} LSOAs).`,
      );
      return done();
    }
    const field = scope.kind === 'districts' ? 'districtCode' : 'cspCode';
    const wanted = [...new Set(scope.codes.map((c) => c.toUpperCase()))];
    const known = new Set(topo.lsoas.map((l) => l[field]).filter((c): c is string => !!c));
    const unknown = wanted.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      const what = scope.kind === 'districts' ? 'district' : 'CSP';
      throw new ValidationError(
        `invalid criteria.scope.codes: no ${what} ${unknown.join(', ')} in dataset "${topo.datasetId}"`,
        unknown.map((c) => ({ path: 'criteria.scope.codes', message: `unknown ${what} code ${c}` })),
      );
    }
    if (scope.kind === 'districts') mark(await this.deps.scopes.resolve(principal, dataset, { kind: 'districts', codes: wanted.sort() }));
    else for (const code of wanted) mark(await this.deps.scopes.resolve(principal, dataset, { kind: 'csp', code }));
    return done();
  }
}

const PERSISTENT_NOTE =
  'Persistent hot-spot share: the share of each LSOA’s crimes (chosen types, the 24 months ending with the period) that lie in grid cells classified "persistent hotspot" — significant Gi* hot spots (FDR-corrected, p < 0.05) in at least 8 of 10 sub-periods — on the hot-spot map’s default grid over the scope’s LSOAs, as the hot-spot map shows with the same scope (the analysis stops at the scope’s edge).';

function decileSourceOf(lsoas: readonly Lsoa[], mask: Uint8Array): string | null {
  const tally = new Map<string, number>();
  lsoas.forEach((l, i) => {
    if (!mask[i]) return;
    const s = l.imdDecile === null ? 'no decile' : (l.deprivationSource ?? 'source not recorded');
    tally.set(s, (tally.get(s) ?? 0) + 1);
  });
  if (tally.size === 0) return null;
  return [...tally].sort((a, b) => b[1] - a[1]).map(([s, n]) => (tally.size === 1 ? s : `${s} (${n} LSOAs)`)).join('; ');
}
