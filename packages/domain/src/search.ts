import { townsOfWards } from '@safer-places/geo';
import type { BBox, DatasetSummary, Lsoa, Position, SearchAnswer, SearchLsoa, SearchQuery, SearchResult, SearchResultKind } from '@safer-places/schemas';
import { lsoaVersionOf } from '@safer-places/schemas';
import type { CrimeSelection } from './crime-selection';
import { LimitExceededError, ValidationError } from './errors';
import type { PostcodeDistrict, PostcodeEntry, PostcodeRepository } from './ports';
import type { ReferenceService } from './reference';

/*
 * The search box's use case. Reference places (LSOAs, wards, districts, towns) come from the dataset's LSOAs; police.uk
 * location texts from the crimes in the map view the client sends (read through the shared crime selection, so priced
 * and bounded like every analysis); postcodes from the optional postcode port, one postcode district at a time.
 */

/** How well a text matches: lower is better. */
export const MATCH = { exact: 0, prefix: 1, wordPrefix: 2, substring: 3 } as const;
export type MatchScore = (typeof MATCH)[keyof typeof MATCH];

/** Case-, accent- and punctuation-insensitive form of a text: "St. Ann's" and "st anns" fold alike, "&" reads "and". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** How `folded` (a folded label) matches the folded query `q`: exact, prefix, a word's prefix, a substring, or null. */
export function matchScore(folded: string, q: string): MatchScore | null {
  if (q === '') return null;
  if (folded === q) return MATCH.exact;
  if (folded.startsWith(q)) return MATCH.prefix;
  const at = folded.indexOf(q);
  if (at < 0) return null;
  return folded.indexOf(` ${q}`) >= 0 ? MATCH.wordPrefix : MATCH.substring;
}

/** The best score of several folded texts (a name and a code, say). */
function bestScore(q: string, ...texts: string[]): MatchScore | null {
  let best: MatchScore | null = null;
  for (const t of texts) {
    const s = matchScore(t, q);
    if (s !== null && (best === null || s < best)) best = s;
  }
  return best;
}

export interface WardRef {
  districtCode: string;
  /** The district's name: a town of that name is never offered (the district is found already). */
  districtName?: string;
  wardName: string;
}

/**
 * Towns named by ward names, district by district, by the one rule the map's place labels use too (geo
 * `townsOfWards`): the leading words two or more wards of a district share, ending on a place word ("Hucknall" from
 * Hucknall North and South; "Bulwell" from Bulwell and Bulwell Forest), never a town with the district's own name.
 * ONS LSOA names ("Nottingham 001A") name only their district, so they add no town.
 */
export function deriveTowns(wards: readonly WardRef[]): { districtCode: string; name: string; wards: string[] }[] {
  const byDistrict = new Map<string, { districtName: string | undefined; names: Set<string> }>();
  for (const w of wards) {
    if (!w.wardName) continue;
    let d = byDistrict.get(w.districtCode);
    if (!d) byDistrict.set(w.districtCode, (d = { districtName: w.districtName, names: new Set() }));
    d.names.add(w.wardName);
  }
  const out: { districtCode: string; name: string; wards: string[] }[] = [];
  for (const [districtCode, d] of byDistrict) {
    for (const [name, wardNames] of townsOfWards(d.names, d.districtName)) out.push({ districtCode, name, wards: wardNames });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.districtCode.localeCompare(b.districtCode));
}

/** What a query says about postcodes: a whole postcode, a postcode district (and sector) prefix, or nothing. */
export type PostcodeQuery =
  | { kind: 'full'; outward: string; postcode: string }
  | { kind: 'partial'; compact: string; outward: string | null; inwardPrefix: string | null }
  | null;

const OUTWARD = /^[A-Z]{1,2}\d[A-Z\d]?$/;
const FULL_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/;

/** Upper case with one space before the inward code ("ng15dt" → "NG1 5DT"); null when it is no whole postcode. */
export function normalisePostcode(text: string): string | null {
  const m = FULL_POSTCODE.exec(text.toUpperCase().replace(/\s+/g, ''));
  return m ? `${m[1]} ${m[2]}` : null;
}

export function parsePostcodeQuery(text: string): PostcodeQuery {
  const t = text.trim().toUpperCase();
  const compact = t.replace(/\s+/g, '');
  const full = FULL_POSTCODE.exec(compact);
  if (full) return { kind: 'full', outward: full[1]!, postcode: `${full[1]} ${full[2]}` };
  const parts = t.split(/\s+/);
  if (parts.length === 2 && OUTWARD.test(parts[0]!) && /^\d[A-Z]{0,1}$/.test(parts[1]!)) return { kind: 'partial', compact, outward: parts[0]!, inwardPrefix: parts[1]! };
  if (parts.length === 1 && /^[A-Z]{1,2}\d[A-Z\d]{0,3}$/.test(compact)) return { kind: 'partial', compact, outward: null, inwardPrefix: null };
  return null;
}

/**
 * ONS area codes (E01028345, E07000174: a country letter and 8 digits), not place names: no location text is searched
 * for them. Postcode districts such as E14, N16 or S10 are not codes: their locations are searched.
 */
const AREA_CODE = /^[EWSNK]\d{8}$/i;

/** police.uk location texts start "On or near …": matched on the place they name. */
const ON_OR_NEAR = /^on or near\s+/;

/** The kind order among results that match equally well. */
const KIND_ORDER: Record<SearchResultKind, number> = { district: 0, place: 1, ward: 2, lsoa: 3, postcode: 4, location: 5 };

const unionBox = (boxes: BBox[]): BBox =>
  boxes.reduce<BBox>((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity]);
const centre = (b: BBox): Position => [round6((b[0] + b[2]) / 2), round6((b[1] + b[3]) / 2)];
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const roundBox = (b: BBox): BBox => b.map(round6) as BBox;
/** The box shown for a point: about 400 m × 450 m round it. */
const pointBox = ([lon, lat]: Position): BBox => roundBox([lon - 0.003, lat - 0.002, lon + 0.003, lat + 0.002]);
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

interface Candidate {
  score: MatchScore;
  result: SearchResult;
  /** Among equal scores and kinds: more crimes first (locations), then shorter labels. */
  weight: number;
}

/** A dataset version's places, folded for matching: built once per version. */
interface PlaceIndex {
  version: string;
  lsoas: { lsoa: Lsoa; name: string; code: string }[];
  byCode: Map<string, Lsoa>;
  wards: { id: string; name: string; folded: string; districtCode: string; districtName: string; bbox: BBox; lsoas: number }[];
  districts: { code: string; name: string; folded: string; cspName: string | null; bbox: BBox; lsoas: number }[];
  towns: { id: string; name: string; folded: string; districtName: string; wards: string[]; bbox: BBox }[];
}

export interface SearchServiceDeps {
  reference: ReferenceService;
  /** The shared crime selection (its caches and pricing): police.uk locations in the view are read through it. */
  selection: CrimeSelection;
  /** The dataset's postcodes, when the store keeps them. */
  postcodes?: PostcodeRepository;
  /** Milliseconds now (tests); Date.now by default. */
  now?: () => number;
}

/**
 * How long a dataset's postcode districts are kept before they are read again. The cache is keyed on the dataset
 * version too, but an import replaces the postcodes before it writes the dataset summary (a later write may fail and
 * leave the version as it was), and the postcode port does not expose its own pointer version: so a short expiry.
 */
export const POSTCODE_DISTRICTS_CACHE_MS = 60_000;

/** Months of crimes whose locations are searched when the query names no period. */
export const SEARCH_DEFAULT_MONTHS = 12;

export class SearchService {
  private readonly places = new Map<string, PlaceIndex>();
  private readonly postcodeDistrictCache = new Map<string, { districts: Promise<PostcodeDistrict[]>; readAt: number }>();

  constructor(private readonly deps: SearchServiceDeps) {}

  async search(query: SearchQuery): Promise<SearchAnswer> {
    const dataset = await this.deps.reference.resolveDataset(query.dataset);
    const index = await this.placeIndex(dataset);
    const q = foldText(query.q);
    const notes: string[] = [];
    const candidates: Candidate[] = [];
    if (q.length > 0) candidates.push(...this.matchPlaces(index, q));
    const postcode = parsePostcodeQuery(query.q);
    if (postcode) candidates.push(...(await this.matchPostcodes(dataset, index, postcode, query.limit, notes)));
    let period: SearchAnswer['period'];
    if (!AREA_CODE.test(query.q.trim()) && !(postcode && postcode.kind === 'full')) {
      const found = await this.matchLocations(dataset, index, query, notes);
      candidates.push(...found.candidates);
      period = found.period;
    }
    candidates.sort(
      (a, b) =>
        a.score - b.score ||
        KIND_ORDER[a.result.kind] - KIND_ORDER[b.result.kind] ||
        b.weight - a.weight ||
        a.result.label.length - b.result.label.length ||
        a.result.label.localeCompare(b.result.label) ||
        a.result.id.localeCompare(b.result.id),
    );
    const seen = new Set<string>();
    const unique = candidates.filter((c) => {
      const key = `${c.result.kind}|${c.result.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      q: query.q,
      results: unique.slice(0, query.limit).map((c) => c.result),
      notes,
      truncated: unique.length > query.limit,
      ...(period && { period }),
    };
  }

  private matchPlaces(index: PlaceIndex, q: string): Candidate[] {
    const out: Candidate[] = [];
    for (const d of index.districts) {
      const score = bestScore(q, d.folded, d.code.toLowerCase());
      if (score === null) continue;
      out.push({
        score,
        weight: 0,
        result: {
          kind: 'district',
          id: d.code,
          label: d.name,
          detail: `District${d.cspName && d.cspName !== d.name ? ` in ${d.cspName} CSP` : ''} · ${plural(d.lsoas, 'LSOA')}`,
          bbox: roundBox(d.bbox),
          point: centre(d.bbox),
        },
      });
    }
    for (const t of index.towns) {
      const score = matchScore(t.folded, q);
      if (score === null) continue;
      out.push({
        score,
        weight: 0,
        result: { kind: 'place', id: t.id, label: t.name, detail: `Town in ${t.districtName} · wards ${t.wards.join(', ')}`, bbox: roundBox(t.bbox), point: centre(t.bbox), wards: t.wards },
      });
    }
    for (const w of index.wards) {
      const score = matchScore(w.folded, q);
      if (score === null) continue;
      out.push({
        score,
        weight: 0,
        result: { kind: 'ward', id: w.id, label: w.name, detail: `Ward in ${w.districtName} · ${plural(w.lsoas, 'LSOA')}`, bbox: roundBox(w.bbox), point: centre(w.bbox) },
      });
    }
    for (const l of index.lsoas) {
      const score = bestScore(q, l.code, l.name);
      if (score === null) continue;
      out.push({ score, weight: 0, result: lsoaResult(l.lsoa) });
    }
    return out;
  }

  private async matchPostcodes(dataset: DatasetSummary, index: PlaceIndex, pq: NonNullable<PostcodeQuery>, limit: number, notes: string[]): Promise<Candidate[]> {
    const repo = this.deps.postcodes;
    const districts = repo ? await this.postcodeDistricts(dataset, repo) : [];
    if (!repo || districts.length === 0) {
      notes.push('No postcodes were imported with this dataset: an administrator can import an ONS postcode file (ONSPD or NSPL) to search them.');
      return [];
    }
    const known = new Map(districts.map((d) => [d.outward, d]));
    const entryResult = (e: PostcodeEntry, score: MatchScore): Candidate => {
      const lsoa = e.lsoaCode ? index.byCode.get(e.lsoaCode) : undefined;
      return {
        score,
        weight: 0,
        result: {
          kind: 'postcode',
          id: e.postcode,
          label: e.postcode,
          detail: lsoa ? `Postcode in ${placeWords(lsoa)} · LSOA ${lsoa.name}` : 'Postcode (outside the dataset\'s LSOAs)',
          bbox: pointBox([e.lon, e.lat]),
          point: [e.lon, e.lat],
          ...(lsoa && { lsoaCode: lsoa.code, lsoa: lsoaSummary(lsoa) }),
        },
      };
    };
    if (pq.kind === 'full') {
      if (!known.has(pq.outward)) return [];
      const hit = (await repo.postcodesIn(dataset.id, pq.outward)).find((e) => e.postcode === pq.postcode);
      if (!hit) notes.push(`Postcode ${pq.postcode} is not among the live postcodes imported with this dataset.`);
      return hit ? [entryResult(hit, MATCH.exact)] : [];
    }
    const out: Candidate[] = [];
    // Postcode districts the text starts: "NG1" finds NG1, NG10 … NG19.
    for (const d of districts) {
      if (!d.outward.startsWith(pq.compact)) continue;
      out.push({
        score: d.outward === pq.compact ? MATCH.exact : MATCH.prefix,
        weight: d.count,
        result: { kind: 'postcode', id: d.outward, label: d.outward, detail: `Postcode district · ${plural(d.count, 'live postcode')}`, bbox: roundBox(d.bbox), point: centre(d.bbox) },
      });
    }
    // Postcodes of a sector: "NG1 5" (or "NG15D", read as NG1 5D): the district's postcodes that start so.
    const sectors: { outward: string; prefix: string }[] = [];
    if (pq.outward && pq.inwardPrefix) sectors.push({ outward: pq.outward, prefix: `${pq.outward} ${pq.inwardPrefix}` });
    else {
      for (const outward of known.keys()) {
        const rest = pq.compact.slice(outward.length);
        if (pq.compact.startsWith(outward) && /^\d[A-Z]?$/.test(rest)) sectors.push({ outward, prefix: `${outward} ${rest}` });
      }
    }
    for (const s of sectors) {
      if (!known.has(s.outward)) continue;
      const entries = (await repo.postcodesIn(dataset.id, s.outward)).filter((e) => e.postcode.startsWith(s.prefix));
      // One more than the limit is enough for the answer to say it was cut short.
      for (const e of entries.slice(0, limit + 1)) out.push(entryResult(e, MATCH.prefix));
    }
    return out;
  }

  private postcodeDistricts(dataset: DatasetSummary, repo: PostcodeRepository): Promise<PostcodeDistrict[]> {
    const key = `${dataset.id}@${dataset.version}`;
    const now = (this.deps.now ?? Date.now)();
    const hit = this.postcodeDistrictCache.get(key);
    if (hit && now - hit.readAt < POSTCODE_DISTRICTS_CACHE_MS) return hit.districts;
    for (const k of this.postcodeDistrictCache.keys()) if (k.startsWith(`${dataset.id}@`)) this.postcodeDistrictCache.delete(k);
    const entry = { districts: repo.postcodeDistricts(dataset.id), readAt: now };
    entry.districts.catch(() => {
      if (this.postcodeDistrictCache.get(key) === entry) this.postcodeDistrictCache.delete(key);
    });
    this.postcodeDistrictCache.set(key, entry);
    return entry.districts;
  }

  /**
   * police.uk location texts among the crimes inside the map view over the period, one result per text and snap point
   * with its crimes. The read goes through the crime selection (priced against the limits first): a view too large,
   * outside the dataset or over a limit leaves the locations out with a note, never failing the search.
   */
  private async matchLocations(dataset: DatasetSummary, index: PlaceIndex, query: SearchQuery, notes: string[]): Promise<{ candidates: Candidate[]; period?: SearchAnswer['period'] }> {
    const q = foldText(query.q).replace(ON_OR_NEAR, '');
    if (q.length < 2) return { candidates: [] };
    if (!query.bbox) {
      notes.push('police.uk locations are searched in the map view: none was sent.');
      return { candidates: [] };
    }
    if (!dataset.lastMonth) return { candidates: [] };
    let s;
    try {
      s = await this.deps.selection.select(
        { datasetId: dataset.id, scope: { kind: 'view', bbox: query.bbox }, categories: [], ...(query.from && { from: query.from }), ...(query.to && { to: query.to }) },
        SEARCH_DEFAULT_MONTHS,
      );
    } catch (err) {
      if (err instanceof LimitExceededError) {
        notes.push(`police.uk locations were not searched: ${err.message}. Zoom in to search the locations in view.`);
        return { candidates: [] };
      }
      if (err instanceof ValidationError) {
        notes.push(`police.uk locations were not searched: ${err.message}.`);
        return { candidates: [] };
      }
      throw err;
    }
    const { points, selected } = s;
    // Match each distinct text once, then group the selected crimes with a matching text by text and snap point.
    const scores = new Map<number, MatchScore>();
    for (let li = 0; li < points.locations.length; li++) {
      const text = foldText(points.locations[li]!).replace(ON_OR_NEAR, '');
      const score = matchScore(text, q);
      if (score !== null) scores.set(li, score);
    }
    // (A text may sit at several indices, one per month and district read: points are grouped by the text itself.)
    const groups = new Map<string, { li: number; lon: number; lat: number; lsoa: string; crimes: number }>();
    for (const i of selected) {
      const li = points.location[i]!;
      if (!scores.has(li)) continue;
      const lon = points.lon[i]!;
      const lat = points.lat[i]!;
      const key = `${points.locations[li]}|${lon}|${lat}`;
      const g = groups.get(key);
      if (g) g.crimes++;
      else groups.set(key, { li, lon, lat, lsoa: points.lsoaCodes[points.lsoa[i]!]!, crimes: 1 });
    }
    const periodWords = s.from === s.to ? s.from : `${s.from} to ${s.to}`;
    const candidates: Candidate[] = [];
    for (const g of groups.values()) {
      const lsoa = index.byCode.get(g.lsoa);
      const where = s.place(g.lon, g.lat);
      const whereWords = [where.ward && `${where.ward} ward`, where.district].filter(Boolean).join(', ');
      candidates.push({
        score: scores.get(g.li)!,
        weight: g.crimes,
        result: {
          kind: 'location',
          id: `${g.lon.toFixed(6)},${g.lat.toFixed(6)}|${points.locations[g.li]}`,
          label: points.locations[g.li]!,
          detail: `${plural(g.crimes, 'crime')} at this point, ${periodWords}${whereWords ? ` · ${whereWords}` : ''}`,
          bbox: pointBox([g.lon, g.lat]),
          point: [round6(g.lon), round6(g.lat)],
          crimes: g.crimes,
          ...(lsoa && { lsoaCode: lsoa.code, lsoa: lsoaSummary(lsoa) }),
        },
      });
    }
    return { candidates, period: { from: s.from, to: s.to } };
  }

  private async placeIndex(dataset: DatasetSummary): Promise<PlaceIndex> {
    const hit = this.places.get(dataset.id);
    if (hit && hit.version === lsoaVersionOf(dataset)) return hit;
    const lsoas = await this.deps.reference.lsoas(dataset);
    const wardMap = new Map<string, { name: string; districtCode: string; districtName: string; boxes: BBox[] }>();
    const districtMap = new Map<string, { name: string; cspName: string | null; boxes: BBox[] }>();
    for (const l of lsoas) {
      const districtName = l.districtName || l.districtCode;
      if (l.districtCode) {
        const d = districtMap.get(l.districtCode) ?? { name: districtName, cspName: l.cspName, boxes: [] };
        d.boxes.push(l.bbox);
        districtMap.set(l.districtCode, d);
      }
      if (l.wardName) {
        const id = `${l.districtCode}:${l.wardName}`;
        const w = wardMap.get(id) ?? { name: l.wardName, districtCode: l.districtCode, districtName, boxes: [] };
        w.boxes.push(l.bbox);
        wardMap.set(id, w);
      }
    }
    const wards = [...wardMap].map(([id, w]) => ({ id, name: w.name, folded: foldText(w.name), districtCode: w.districtCode, districtName: w.districtName, bbox: unionBox(w.boxes), lsoas: w.boxes.length }));
    const wardBox = new Map(wards.map((w) => [`${w.districtCode}:${w.name}`, w.bbox]));
    const towns = deriveTowns(wards.map((w) => ({ districtCode: w.districtCode, districtName: w.districtName, wardName: w.name }))).map((t) => ({
      id: `${t.districtCode}:town:${t.name}`,
      name: t.name,
      folded: foldText(t.name),
      districtName: districtMap.get(t.districtCode)?.name ?? t.districtCode,
      wards: t.wards,
      bbox: unionBox(t.wards.map((w) => wardBox.get(`${t.districtCode}:${w}`)!)),
    }));
    const index: PlaceIndex = {
      version: lsoaVersionOf(dataset),
      lsoas: lsoas.map((l) => ({ lsoa: l, name: foldText(l.name), code: l.code.toLowerCase() })),
      byCode: new Map(lsoas.map((l) => [l.code, l])),
      wards,
      districts: [...districtMap].map(([code, d]) => ({ code, name: d.name, folded: foldText(d.name), cspName: d.cspName, bbox: unionBox(d.boxes), lsoas: d.boxes.length })),
      towns,
    };
    if (this.places.size >= 8) this.places.delete(this.places.keys().next().value!);
    this.places.set(dataset.id, index);
    return index;
  }
}

function placeWords(l: Lsoa): string {
  const district = l.districtName || l.districtCode;
  return l.wardName ? `${l.wardName} ward, ${district}` : district;
}

function lsoaSummary(l: Lsoa): SearchLsoa {
  return {
    code: l.code,
    name: l.name,
    districtCode: l.districtCode,
    districtName: l.districtName,
    wardName: l.wardName,
    population: l.population,
    imdDecile: l.imdDecile,
    deprivationSource: l.deprivationSource,
  };
}

function lsoaResult(l: Lsoa): SearchResult {
  return {
    kind: 'lsoa',
    id: l.code,
    label: l.name,
    detail: `LSOA ${l.code} in ${placeWords(l)}`,
    bbox: roundBox(l.bbox),
    point: centre(l.bbox),
    lsoaCode: l.code,
    lsoa: lsoaSummary(l),
  };
}
