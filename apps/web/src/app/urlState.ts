import { LAYER_NAMES, categorySelectionSchema, measureSchema, monthOrdinal, monthSchema, type CategorySelection, type LayerName, type Measure, type Month } from '@safer-places/schemas';
import type { Tool } from './panels';

/*
 * The shareable view as data: what the address's hash holds, written and read by pure functions (tested as data).
 *
 *   #v=1&ds=open-data&map=11.20/53.14120/-1.19350&layers=lsoas,cameras&measure=rate&cat=burglary&period=12m&open=lsoa:E01028000
 *
 * The place (scope) is not in the hash: the scope feature keeps it in the query string (`?scope=district:E07000174`),
 * where it was before views were shared, so a shared link is the whole address. Only ids and codes go in: no names, no
 * tokens, nothing about a person. The organisation is never in the link; it comes from the reader's own sign-in, so a
 * link to another organisation's item shows nothing of it.
 *
 * Reading is forgiving: a key this version does not know, or a value that does not parse, is left out (and said in
 * `problems`) while the rest is used; a link from a newer version is not read at all. Reading never throws.
 */

/** The version written into every link (`v=1`). */
export const URL_STATE_VERSION = 1;

/** What the map shows: zoom, then the centre, like `map=11.20/53.14120/-1.19350`. */
export interface MapCamera {
  zoom: number;
  lat: number;
  lon: number;
}

/**
 * The switches a link can carry: the five data layers, the camera coverage circles, the drawn areas and the context
 * layer (district and ward boundaries with place names).
 */
export const LINK_LAYERS = [...LAYER_NAMES, 'coverage', 'areas', 'context'] as const;
export type LinkLayer = (typeof LINK_LAYERS)[number];

/** The period control as a link holds it: a preset (`12m`), or a month range (`2024-01..2024-12`). */
export type LinkPeriod = { choice: 'last-1' | 'last-3' | 'last-12' } | { choice: 'custom'; from: Month; to: Month };

/** The organisation items a link may open: the layer the map selects them in, and the word the link uses. */
export const LINK_ITEM_KINDS = {
  camera: 'cameras',
  'help-point': 'help-points',
  pspo: 'pspo-zones',
  'safer-streets': 'safer-streets-areas',
  area: 'areas',
} as const satisfies Record<string, Exclude<LayerName, 'lsoas'> | 'areas'>;
export type LinkItemLayer = (typeof LINK_ITEM_KINDS)[keyof typeof LINK_ITEM_KINDS];

/** The analysis panels a link may open (its form only: results are never in a link). */
export const LINK_PANELS = ['hotspots', 'planner', 'bid'] as const satisfies readonly Tool[];

/** What a link opens: an LSOA's details, an organisation item, or an analysis panel. */
export type OpenItem = { kind: 'lsoa'; code: string } | { kind: 'item'; layer: LinkItemLayer; id: string } | { kind: 'panel'; tool: Tool };

/** The view a link holds; every part is optional (a part left out keeps what the reader has). */
export interface ViewState {
  dataset?: string;
  map?: MapCamera;
  /** The switches that are on; every other one of {@link LINK_LAYERS} is off. */
  layers?: LinkLayer[];
  measure?: Measure;
  category?: CategorySelection;
  period?: LinkPeriod;
  open?: OpenItem;
}

export interface DecodedView {
  /** Whether the hash is a view link at all (`v=` present); `#controls` and an empty hash are not. */
  isLink: boolean;
  state: ViewState;
  /** What was left out and why, in words for the user. */
  problems: string[];
}

/** The hash keys, in the order they are written. */
const KEYS = ['v', 'ds', 'map', 'layers', 'measure', 'cat', 'period', 'open'] as const;

const PERIOD_WORDS = { 'last-1': '1m', 'last-3': '3m', 'last-12': '12m' } as const;

/** LSOA codes: capitals and digits (E01028000 in England, W01… in Wales; the synthetic demo's DEMO00268). */
const LSOA_CODE = /^[A-Z0-9]{3,16}$/;
/** Item ids and dataset ids: letters, digits and `._:-`, at most 100 characters. */
const ID = /^[A-Za-z0-9._:-]{1,100}$/;
const DATASET_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Digits after the point for the centre at a zoom: enough for about a tenth of a screen pixel, at most six. */
export function centreDigits(zoom: number): number {
  return Math.min(6, Math.max(2, Math.ceil(zoom * Math.log10(2)) + 1));
}

/** Only what must be escaped is, so `lsoa:E01028000` and `11.2/53.1/-1.2` stay readable. */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%2C/gi, ',');
}

function encodePeriod(p: LinkPeriod): string {
  return p.choice === 'custom' ? `${p.from}..${p.to}` : PERIOD_WORDS[p.choice];
}

function encodeOpen(o: OpenItem): string {
  if (o.kind === 'lsoa') return `lsoa:${o.code}`;
  if (o.kind === 'panel') return `panel:${o.tool}`;
  const word = (Object.keys(LINK_ITEM_KINDS) as (keyof typeof LINK_ITEM_KINDS)[]).find((k) => LINK_ITEM_KINDS[k] === o.layer)!;
  return `${word}:${o.id}`;
}

/** The hash for a view (without the leading `#`): the version first, then only the parts the state holds. */
export function encodeViewState(state: ViewState): string {
  const parts: [string, string][] = [['v', String(URL_STATE_VERSION)]];
  if (state.dataset !== undefined) parts.push(['ds', state.dataset]);
  if (state.map) {
    const { zoom, lat, lon } = state.map;
    const d = centreDigits(zoom);
    parts.push(['map', `${zoom.toFixed(2)}/${lat.toFixed(d)}/${lon.toFixed(d)}`]);
  }
  if (state.layers) parts.push(['layers', LINK_LAYERS.filter((l) => state.layers!.includes(l)).join(',')]);
  if (state.measure) parts.push(['measure', state.measure]);
  if (state.category) parts.push(['cat', state.category]);
  if (state.period) parts.push(['period', encodePeriod(state.period)]);
  if (state.open) parts.push(['open', encodeOpen(state.open)]);
  return parts.map(([k, v]) => `${k}=${encodeValue(v)}`).join('&');
}

/* ------------------------------------------------------------------------------------------------ reading */

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };
const bad = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });

function parseMap(raw: string): Parsed<MapCamera> {
  const parts = raw.split('/');
  const nums = parts.map((p) => (/^-?\d+(\.\d+)?$/.test(p) ? Number(p) : NaN));
  const [zoom, lat, lon] = nums as [number, number, number];
  if (parts.length !== 3 || nums.some((n) => !Number.isFinite(n))) return bad('the map position is not zoom/latitude/longitude');
  if (zoom < 0 || zoom > 24) return bad('the map zoom is out of range');
  if (lat < -85.06 || lat > 85.06 || lon < -180 || lon > 180) return bad('the map centre is not on the map');
  return { ok: true, value: { zoom, lat, lon } };
}

function parseLayers(raw: string): Parsed<LinkLayer[]> & { unknown?: string[] } {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const known = names.filter((n): n is LinkLayer => (LINK_LAYERS as readonly string[]).includes(n));
  const unknown = names.filter((n) => !(LINK_LAYERS as readonly string[]).includes(n));
  return { ok: true, value: LINK_LAYERS.filter((l) => known.includes(l)), unknown };
}

function parsePeriod(raw: string): Parsed<LinkPeriod> {
  const preset = (Object.keys(PERIOD_WORDS) as (keyof typeof PERIOD_WORDS)[]).find((k) => PERIOD_WORDS[k] === raw);
  if (preset) return { ok: true, value: { choice: preset } };
  const m = /^(.+)\.\.(.+)$/.exec(raw);
  if (!m || !monthSchema.safeParse(m[1]).success || !monthSchema.safeParse(m[2]).success) return bad('the period is not 1m, 3m, 12m or a month range');
  if (monthOrdinal(m[2]!) < monthOrdinal(m[1]!)) return bad('the period ends before it starts');
  return { ok: true, value: { choice: 'custom', from: m[1]!, to: m[2]! } };
}

function parseOpen(raw: string): Parsed<OpenItem> {
  const at = raw.indexOf(':');
  const kind = at > 0 ? raw.slice(0, at) : raw;
  const id = at > 0 ? raw.slice(at + 1) : '';
  if (kind === 'lsoa') return LSOA_CODE.test(id) ? { ok: true, value: { kind: 'lsoa', code: id } } : bad('it is not an LSOA code');
  if (kind === 'panel') {
    const tool = LINK_PANELS.find((t) => t === id);
    return tool ? { ok: true, value: { kind: 'panel', tool } } : bad('the panel is not one the app has');
  }
  if (Object.hasOwn(LINK_ITEM_KINDS, kind)) {
    if (!ID.test(id)) return bad('the item id is not an id');
    return { ok: true, value: { kind: 'item', layer: LINK_ITEM_KINDS[kind as keyof typeof LINK_ITEM_KINDS], id } };
  }
  return bad('the item to open is of a kind the app does not know');
}

const WORDS: Record<(typeof KEYS)[number], string> = {
  v: 'version',
  ds: 'dataset',
  map: 'map position',
  layers: 'layers',
  measure: 'measure',
  cat: 'crime type',
  period: 'period',
  open: 'item to open',
};

/** Splits a hash into its keys and values (the first of a repeated key wins); a value that cannot be unescaped is left out. */
function hashEntries(hash: string): { entries: Map<string, string>; unreadable: string[] } {
  const entries = new Map<string, string>();
  const unreadable: string[] = [];
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq >= 0 ? part.slice(0, eq) : part;
    const rawValue = eq >= 0 ? part.slice(eq + 1) : '';
    try {
      const key = decodeURIComponent(rawKey);
      const value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
      if (!entries.has(key)) entries.set(key, value);
    } catch {
      unreadable.push(rawKey);
    }
  }
  return { entries, unreadable };
}

/** Reads a hash (with or without `#`). Never throws: what cannot be used is left out and said in `problems`. */
export function decodeViewState(hash: string): DecodedView {
  const { entries, unreadable } = hashEntries(hash);
  const v = entries.get('v');
  if (v === undefined) return { isLink: false, state: {}, problems: [] };
  if (v !== String(URL_STATE_VERSION)) {
    return { isLink: true, state: {}, problems: [`The link was made by another version of Safer Places (view version ${v.slice(0, 8)}): its view was not restored.`] };
  }
  const state: ViewState = {};
  const problems: string[] = [];
  const skip = (key: (typeof KEYS)[number], why: string) => problems.push(`The link's ${WORDS[key]} was not used: ${why}.`);
  for (const key of unreadable) problems.push(`Part of the link (${key.slice(0, 20)}) could not be read.`);

  const ds = entries.get('ds');
  if (ds !== undefined) {
    if (DATASET_ID.test(ds)) state.dataset = ds;
    else skip('ds', 'it is not a dataset id');
  }
  const map = entries.get('map');
  if (map !== undefined) {
    const p = parseMap(map);
    if (p.ok) state.map = p.value;
    else skip('map', p.problem);
  }
  const layers = entries.get('layers');
  if (layers !== undefined) {
    const p = parseLayers(layers);
    if (p.ok) state.layers = p.value;
    if (p.unknown && p.unknown.length > 0) problems.push(`The link named layers the app does not have (${p.unknown.join(', ').slice(0, 80)}); the others were used.`);
  }
  const measure = entries.get('measure');
  if (measure !== undefined) {
    const p = measureSchema.safeParse(measure);
    if (p.success) state.measure = p.data;
    else skip('measure', 'it is not count, rate or imd-decile');
  }
  const cat = entries.get('cat');
  if (cat !== undefined) {
    const p = categorySelectionSchema.safeParse(cat);
    if (p.success) state.category = p.data;
    else skip('cat', 'it is not a police.uk category or group');
  }
  const period = entries.get('period');
  if (period !== undefined) {
    const p = parsePeriod(period);
    if (p.ok) state.period = p.value;
    else skip('period', p.problem);
  }
  const open = entries.get('open');
  if (open !== undefined) {
    const p = parseOpen(open);
    if (p.ok) state.open = p.value;
    else skip('open', p.problem);
  }
  for (const key of entries.keys()) {
    if (!(KEYS as readonly string[]).includes(key)) problems.push(`The link's "${key.slice(0, 20)}" is not something this version keeps; it was ignored.`);
  }
  return { isLink: true, state, problems };
}

/** A whole address (or path) with its hash replaced by the view's: for history.replaceState and the shared link. */
export function hrefWithView(href: string, state: ViewState): string {
  const hashAt = href.indexOf('#');
  return `${hashAt >= 0 ? href.slice(0, hashAt) : href}#${encodeViewState(state)}`;
}
