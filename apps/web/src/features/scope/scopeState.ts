import { parseScope, scopeKey, type BBox, type EligibilityScope, type Scope, type ScopeKind, type ScopeOption, type ScopeOptions, type ScopeSummary } from '@safer-places/schemas';
import { formatInteger } from '../../shared/format';

/*
 * The session's scope (the place every analysis runs on) as data: reading and writing it in the URL, the picker's
 * groups, where a user lands, and what the bid panel's eligibility scope starts from. Pure: tested as data.
 */

/** The URL parameter that keeps the scope, e.g. `?scope=district:E07000174`. */
export const SCOPE_PARAM = 'scope';

/** The picker's value for "use the map view now" (not a scope key: it becomes `view:w,s,e,n` when chosen). */
export const MAP_VIEW_CHOICE = 'map-view';

/** The scope the URL names, as its canonical key; null when it names none. A malformed one is reported, not used. */
export function scopeFromSearch(search: string): { key: string | null; problem: string | null } {
  const raw = new URLSearchParams(search).get(SCOPE_PARAM);
  if (raw === null || raw.trim() === '') return { key: null, problem: null };
  const parsed = parseScope(raw);
  if (!parsed.ok) return { key: null, problem: `The link's place could not be read (${parsed.message}).` };
  return { key: scopeKey(parsed.scope), problem: null };
}

/** A scope key written for a URL: only what must be escaped is, so `district:E07000174` stays readable. */
function encodeScopeValue(key: string): string {
  return encodeURIComponent(key).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/** The query string with the scope set (or removed when null), every other parameter kept in its place. */
export function searchWithScope(search: string, key: string | null): string {
  const parts = search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '' && decodeURIComponent(p.split('=')[0]!.replace(/\+/g, ' ')) !== SCOPE_PARAM);
  if (key !== null) parts.push(`${SCOPE_PARAM}=${encodeScopeValue(key)}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** A whole URL (or path) with the scope set: for history.replaceState. */
export function urlWithScope(href: string, key: string | null): string {
  const hashAt = href.indexOf('#');
  const hash = hashAt >= 0 ? href.slice(hashAt) : '';
  const noHash = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const qAt = noHash.indexOf('?');
  const path = qAt >= 0 ? noHash.slice(0, qAt) : noHash;
  const search = qAt >= 0 ? noHash.slice(qAt) : '';
  return `${path}${searchWithScope(search, key)}${hash}`;
}

/** The scope of a map view (degrees, rounded as the server keys them). */
export function viewScopeKey(bbox: BBox): string {
  return scopeKey({ kind: 'view', bbox });
}

export function parseKey(key: string): Scope | null {
  const r = parseScope(key);
  return r.ok ? r.scope : null;
}

/* ------------------------------------------------------------------------------------------------ picker groups */

export type ScopeGroupId = 'study-area' | 'csps' | 'districts' | 'partnerships' | 'areas' | 'view';

export interface PickerOption {
  /** A scope key, or {@link MAP_VIEW_CHOICE}. */
  value: string;
  /** What the list shows, e.g. "Mansfield (68 LSOAs)". */
  text: string;
  /** The place's own name, e.g. "Mansfield". */
  label: string;
  kind: ScopeKind;
}

export interface PickerGroup {
  id: ScopeGroupId;
  label: string;
  options: PickerOption[];
}

const GROUP_LABELS: Record<ScopeGroupId, string> = {
  'study-area': 'Study area',
  csps: 'Community Safety Partnerships',
  districts: 'Districts',
  partnerships: 'Partnership areas',
  areas: 'Drawn areas',
  view: 'Map view',
};

const byLabel = (a: ScopeOption, b: ScopeOption) => a.label.localeCompare(b.label, 'en-GB');

/** "Mansfield (68 LSOAs)"; the home area "Mansfield (home, 68 LSOAs)" (the name first: a narrow picker cuts the end). */
function optionText(o: ScopeOption, homeKey: string | null): string {
  const count = `${formatInteger(o.lsoaCount)} ${o.lsoaCount === 1 ? 'LSOA' : 'LSOAs'}`;
  return `${o.label} (${o.key === homeKey ? `home, ${count}` : count})`;
}

const toPicker = (o: ScopeOption, homeKey: string | null): PickerOption => ({ value: o.key, text: optionText(o, homeKey), label: o.label, kind: o.kind });

/**
 * The picker's groups in the order analysts think of places: the study area, the CSPs, the districts, the
 * organisation's partnership areas, its drawn areas, then the map view. Empty groups are left out. A current scope
 * that is in none of them (several districts from a link, a map view) is added to its group so the picker can show it.
 */
export function groupScopeOptions(options: ScopeOptions | null, current: { key: string; label: string } | null = null): PickerGroup[] {
  const home = options?.home.key ?? null;
  const groups: PickerGroup[] = [];
  const add = (id: ScopeGroupId, list: PickerOption[]) => {
    if (list.length > 0) groups.push({ id, label: GROUP_LABELS[id], options: list });
  };
  if (options) {
    add('study-area', [toPicker(options.studyArea, home)]);
    add('csps', [...options.csps].sort(byLabel).map((o) => toPicker(o, home)));
    add('districts', [...options.districts].sort(byLabel).map((o) => toPicker(o, home)));
    add('partnerships', [...options.partnerships].sort(byLabel).map((o) => toPicker(o, home)));
    add('areas', [...options.areas].sort(byLabel).map((o) => toPicker(o, home)));
  }
  const currentScope = current ? parseKey(current.key) : null;
  if (current && currentScope && currentScope.kind !== 'view' && !groups.some((g) => g.options.some((o) => o.value === current.key))) {
    const id: ScopeGroupId =
      currentScope.kind === 'study-area' ? 'study-area' : currentScope.kind === 'districts' ? 'districts' : currentScope.kind === 'csp' ? 'csps' : currentScope.kind === 'partnership' ? 'partnerships' : 'areas';
    const option: PickerOption = { value: current.key, text: current.label, label: current.label, kind: currentScope.kind };
    const group = groups.find((g) => g.id === id);
    if (group) group.options.unshift(option);
    else groups.push({ id, label: GROUP_LABELS[id], options: [option] });
  }
  const viewOptions: PickerOption[] = [];
  if (currentScope?.kind === 'view') viewOptions.push({ value: current!.key, text: 'Map view (as chosen)', label: 'Map view', kind: 'view' });
  viewOptions.push({ value: MAP_VIEW_CHOICE, text: currentScope?.kind === 'view' ? 'Map view (what the map shows now)' : 'Map view (what the map shows)', label: 'Map view', kind: 'view' });
  groups.push({ id: 'view', label: GROUP_LABELS.view, options: viewOptions });
  return groups;
}

/** Every scope key the options offer. */
export function optionKeys(options: ScopeOptions): Set<string> {
  return new Set([options.studyArea, ...options.csps, ...options.districts, ...options.partnerships, ...options.areas].map((o) => o.key));
}

const districtCode = (key: string) => key.replace(/^district:/, '');

/** Whether a key names a place these options hold (a map view always does; several districts when each is known). */
export function isKnownScope(key: string, options: ScopeOptions): boolean {
  const scope = parseKey(key);
  if (!scope) return false;
  if (scope.kind === 'view') return true;
  if (optionKeys(options).has(key)) return true;
  if (scope.kind === 'districts') {
    const known = new Set(options.districts.map((d) => districtCode(d.key)));
    return scope.codes.every((c) => known.has(c));
  }
  return false;
}

/** The words for a scope key: its option's label, or the districts' names, or "Map view". */
export function scopeLabelOf(key: string, options: ScopeOptions | null): string {
  const scope = parseKey(key);
  if (!scope) return key;
  if (scope.kind === 'view') return 'Map view';
  if (options) {
    if (options.home.key === key) return options.home.label;
    const all = [options.studyArea, ...options.csps, ...options.districts, ...options.partnerships, ...options.areas];
    const hit = all.find((o) => o.key === key);
    if (hit) return hit.label;
    if (scope.kind === 'districts') {
      const names = new Map(options.districts.map((d) => [districtCode(d.key), d.label]));
      if (scope.codes.every((c) => names.has(c))) return scope.codes.map((c) => names.get(c)!).sort((a, b) => a.localeCompare(b, 'en-GB')).join(', ');
    }
  }
  if (scope.kind === 'study-area') return 'Study area';
  if (scope.kind === 'districts') return scope.codes.join(', ');
  if (scope.kind === 'csp') return scope.code;
  return scope.kind === 'partnership' ? 'Partnership area' : 'Drawn area';
}

/**
 * Where a user lands: the place the URL names when these options hold it, else the organisation's home scope (the
 * study area when none is set). A link to a place this dataset does not hold says so.
 */
export function landingScope(urlKey: string | null, options: ScopeOptions): { key: string; source: 'url' | 'home'; problem: string | null } {
  if (urlKey && isKnownScope(urlKey, options)) return { key: urlKey, source: 'url', problem: null };
  const problem = urlKey ? `The place in the link (${urlKey}) is not in ${options.dataset.name}: showing ${options.home.label} instead.` : null;
  return { key: options.home.key, source: 'home', problem };
}

/** After the dataset changes: keep the place if the new dataset holds it, else go home. */
export function scopeForNewOptions(currentKey: string | null, options: ScopeOptions): string {
  return currentKey && isKnownScope(currentKey, options) ? currentKey : options.home.key;
}

/* ------------------------------------------------------------------------------------------------ bids */

/** The bid panel's eligibility scope: the schema's kinds and the organisation's partnership areas. */
export type BidScope = EligibilityScope | { kind: 'partnership'; id: string };

/**
 * The eligibility scope a bid starts from, given the session's scope: districts stay districts, a CSP is one CSP, a
 * partnership area and a drawn area are themselves, and the study area (or a map view, which bids have no kind for)
 * is every LSOA of the dataset.
 */
export function bidScopeFor(scope: Scope | null): BidScope {
  switch (scope?.kind) {
    case 'districts':
      return { kind: 'districts', codes: [...scope.codes] };
    case 'csp':
      return { kind: 'csps', codes: [scope.code] };
    case 'partnership':
      return { kind: 'partnership', id: scope.id };
    case 'area':
      return { kind: 'area', areaId: scope.id };
    default:
      return { kind: 'all' };
  }
}

/** The bid scope in words, e.g. "Mansfield" or "every LSOA in the dataset". */
export function bidScopeWords(
  scope: BidScope,
  names: { districts: readonly (readonly [string, string])[]; csps: readonly (readonly [string, string])[]; partnerships: readonly (readonly [string, string])[] },
  areas: readonly { id: string; name: string }[],
): string {
  const lookup = (list: readonly (readonly [string, string])[], code: string) => list.find(([c]) => c === code)?.[1] ?? code;
  switch (scope.kind) {
    case 'all':
      return 'every LSOA in the dataset';
    case 'districts':
      return scope.codes.map((c) => lookup(names.districts, c)).join(', ');
    case 'csps':
      return scope.codes.map((c) => lookup(names.csps, c)).join(', ');
    case 'partnership':
      return lookup(names.partnerships, scope.id);
    case 'area':
      return `Drawn area: ${areas.find((a) => a.id === scope.areaId)?.name ?? scope.areaId}`;
  }
}

/* ------------------------------------------------------------------------------------------------ answers */

/** The scope an answer says it ran on (answers carry `scope: ScopeSummary`), or null for an answer without one. */
export function answerScope(answer: unknown): ScopeSummary | null {
  const s = (answer as { scope?: unknown } | null | undefined)?.scope;
  if (!s || typeof s !== 'object') return null;
  const summary = s as Partial<ScopeSummary>;
  return typeof summary.label === 'string' && typeof summary.key === 'string' ? (summary as ScopeSummary) : null;
}

/** "Figures for Mansfield (68 LSOAs)". */
export function scopeSentence(summary: Pick<ScopeSummary, 'label' | 'lsoaCount' | 'kind'>): string {
  const n = `${formatInteger(summary.lsoaCount)} ${summary.lsoaCount === 1 ? 'LSOA' : 'LSOAs'}`;
  return `Figures for ${summary.label} (${n}${summary.kind === 'area' || summary.kind === 'view' ? ' at least half inside' : ''})`;
}

/**
 * Where the map goes for a request to show the whole place: the box the request knows (the home area's), else the box
 * of an answer for that place once it is in (`layerKey` says which place it is for): the scope summary of the LSOA
 * statistics (`scope.bbox`), or of a layer (its `scope.bbox`, or its features' box); null until then.
 */
export function scopeFitBox(
  fit: { key: string; seq: number; bbox: BBox | null } | null,
  answer: { scope?: { bbox: BBox } | undefined; features?: readonly { geometry: { type: string; coordinates: unknown } }[] } | null | undefined,
  layerKey: string | null,
): { bbox: BBox; seq: number } | null {
  if (!fit) return null;
  if (fit.bbox) return { bbox: fit.bbox, seq: fit.seq };
  if (!answer || layerKey !== fit.key) return null;
  const bbox = answer.scope?.bbox ?? (answer.features ? featuresBBox(answer.features) : null);
  return bbox ? { bbox, seq: fit.seq } : null;
}

/** The box around a layer's features (for fitting the map when a layer answer names no box). */
export function featuresBBox(features: readonly { geometry: { type: string; coordinates: unknown } }[]): BBox | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1]);
      n = Math.max(n, c[1]);
      return;
    }
    for (const x of c) visit(x);
  };
  for (const f of features) visit(f.geometry.coordinates);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
