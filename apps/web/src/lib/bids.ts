import {
  BID_RULE_LABELS,
  type AreaGeometry,
  type BidRule,
  type BidRuleKind,
  type EligibilityCriteriaInput,
  type EligibilityScope,
  type Feature,
  type FeatureCollection,
} from '@safer-places/schemas';
import { formatInteger, formatNumber, formatPercent } from './format';

/*
 * The bid panel's pure parts: default criteria and rules, the OPCC list parser, the lasso and the map collections.
 */

export const DEFAULT_BID_CRITERIA: EligibilityCriteriaInput = {
  scope: { kind: 'all' },
  categories: ['neighbourhood-crime'],
  combine: 'and',
  rules: [{ kind: 'rate-above-average', minPercent: 20 }],
};

/** A new rule of the kind with a sensible starting threshold. */
export function defaultRule(kind: BidRuleKind): BidRule {
  switch (kind) {
    case 'rate-above-average':
      return { kind, minPercent: 20 };
    case 'top-percent':
      return { kind, percent: 20 };
    case 'min-count':
      return { kind, count: 50 };
    case 'max-decile':
      return { kind, decile: 3 };
    case 'persistent-hotspot-share':
      return { kind, minShare: 0.25 };
  }
}

/** The one number a rule is set with, its unit and its allowed range, for the rule's input. */
export function ruleField(rule: BidRule): { value: number; unit: string; min: number; max: number; step: number } {
  switch (rule.kind) {
    case 'rate-above-average':
      return { value: rule.minPercent, unit: '% above', min: -100, max: 10_000, step: 5 };
    case 'top-percent':
      return { value: rule.percent, unit: '% of LSOAs', min: 1, max: 100, step: 1 };
    case 'min-count':
      return { value: rule.count, unit: 'crimes', min: 0, max: 1_000_000, step: 1 };
    case 'max-decile':
      return { value: rule.decile, unit: 'decile', min: 1, max: 10, step: 1 };
    case 'persistent-hotspot-share':
      return { value: Math.round(rule.minShare * 100), unit: '% of crimes', min: 0, max: 100, step: 5 };
  }
}

/** The rule with its number changed (the share rule's input is in %). */
export function withRuleValue(rule: BidRule, value: number): BidRule {
  switch (rule.kind) {
    case 'rate-above-average':
      return { ...rule, minPercent: value };
    case 'top-percent':
      return { ...rule, percent: value };
    case 'min-count':
      return { ...rule, count: Math.round(value) };
    case 'max-decile':
      return { ...rule, decile: Math.round(value) };
    case 'persistent-hotspot-share':
      return { ...rule, minShare: value / 100 };
  }
}

export function ruleLabel(kind: BidRuleKind): string {
  return BID_RULE_LABELS[kind];
}

/** How far an LSOA passes or fails a rule, in the rule's own unit: "+12.3", "−4". */
export function formatMargin(kind: BidRuleKind, margin: number | null): string {
  if (margin === null) return 'unknown';
  const sign = margin > 0 ? '+' : margin < 0 ? '−' : '±';
  const abs = Math.abs(margin);
  if (kind === 'persistent-hotspot-share') return `${sign}${formatPercent(abs)}`;
  if (kind === 'min-count' || kind === 'max-decile' || kind === 'top-percent') return `${sign}${formatInteger(abs)}`;
  return `${sign}${formatNumber(abs, 1)}`;
}

const LSOA_CODE = /\b[EW]01\d{6}\b/g;

/**
 * Codes from a pasted list or a CSV file (any column, any separators): every E01/W01 code once, in first-seen order.
 * `ignored` counts code-like tokens that are not valid codes, so the UI can say some were skipped.
 */
export function parseLsoaList(text: string): { codes: string[]; ignored: number } {
  const codes: string[] = [];
  const seen = new Set<string>();
  for (const m of text.toUpperCase().matchAll(LSOA_CODE)) {
    if (!seen.has(m[0])) {
      seen.add(m[0]);
      codes.push(m[0]);
    }
  }
  // Tokens that look like a code but are not a valid one (a digit short, a wrong prefix) are counted, not names.
  const rest = text.toUpperCase().replace(LSOA_CODE, ' ');
  const ignored = rest.split(/[\s,;\t"]+/).filter((t) => /^[A-Z]\d{5,}$/.test(t)).length;
  return { codes, ignored };
}

/** Adds the codes missing from the selection, or removes them all when every one is already in it. */
export function toggleCodes(selection: readonly string[], codes: readonly string[]): string[] {
  const set = new Set(selection);
  const allIn = codes.length > 0 && codes.every((c) => set.has(c));
  for (const c of codes) {
    if (allIn) set.delete(c);
    else set.add(c);
  }
  return [...set].sort();
}

/** The LSOA features whose code is in the set, as their own collection (for a map layer). */
export function lsoaSubset(lsoas: FeatureCollection | undefined, codes: ReadonlySet<string>): FeatureCollection {
  return { type: 'FeatureCollection', features: (lsoas?.features ?? []).filter((f) => codes.has(String(f.properties.code))) };
}

export function geometryCollection(geometry: AreaGeometry | null | undefined, properties: Record<string, unknown> = {}): FeatureCollection {
  return { type: 'FeatureCollection', features: geometry ? [{ type: 'Feature', geometry, properties } as Feature] : [] };
}

/** A point well inside a polygon's outer ring for lasso tests: the area-weighted centroid (vertex mean if degenerate). */
export function ringCentroid(ring: readonly (readonly number[])[]): [number, number] {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i]! as [number, number];
    const [x1, y1] = ring[i + 1]! as [number, number];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (Math.abs(a) < 1e-15) {
    const n = Math.max(1, ring.length - 1);
    return [ring.slice(0, n).reduce((s, p) => s + p[0]!, 0) / n, ring.slice(0, n).reduce((s, p) => s + p[1]!, 0) / n];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

function ringArea(ring: readonly (readonly number[])[]): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return Math.abs(a) / 2;
}

/** Even-odd ray casting: whether a point lies inside a closed ring. */
export function insideRing(point: readonly [number, number], ring: readonly (readonly number[])[]): boolean {
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]! as [number, number];
    const [xj, yj] = ring[j]! as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** LSOAs whose centroid (of their largest outer ring) lies inside the lasso. */
export function lassoCodes(lsoas: FeatureCollection | undefined, lasso: readonly (readonly number[])[]): string[] {
  const out: string[] = [];
  for (const f of lsoas?.features ?? []) {
    const g = f.geometry;
    const rings = g.type === 'Polygon' ? [g.coordinates[0]!] : g.type === 'MultiPolygon' ? g.coordinates.map((p) => p[0]!) : [];
    if (rings.length === 0) continue;
    const largest = rings.reduce((best, r) => (ringArea(r) > ringArea(best) ? r : best), rings[0]!);
    if (insideRing(ringCentroid(largest), lasso)) out.push(String(f.properties.code));
  }
  return out.sort();
}

/** What the scope select shows. */
export function scopeLabel(
  scope: EligibilityScope,
  names: { districts: Map<string, string>; csps: Map<string, string>; areas: Map<string, string>; partnerships?: Map<string, string> },
): string {
  switch (scope.kind) {
    case 'all':
      return 'All LSOAs in the dataset';
    case 'districts':
      return scope.codes.map((c) => names.districts.get(c) ?? c).join(', ');
    case 'csps':
      return scope.codes.map((c) => names.csps.get(c) ?? c).join(', ');
    case 'area':
      return `Drawn area: ${names.areas.get(scope.areaId) ?? scope.areaId}`;
    case 'partnership':
      return `Partnership area: ${names.partnerships?.get(scope.id) ?? scope.id}`;
  }
}
