import { AREA_SHAPES, type AreaGeometry, type BBox, type PolygonGeometry, type Position } from '@safer-places/schemas';

/*
 * Drawing state as data: what terra-draw hands back turned into the API's AreaGeometry, and the few facts about each
 * drawing tool the toolbar and the map hint show. Pure, so the map component only wires events to these.
 */

export type AreaShape = (typeof AREA_SHAPES)[number];

export interface DrawTool {
  shape: AreaShape;
  label: string;
  /** What to do on the map, shown while the tool is active. */
  hint: string;
}

export const DRAW_TOOLS: readonly DrawTool[] = [
  {
    shape: 'polygon',
    label: 'Polygon',
    hint: 'Click each corner of the area; Backspace or Ctrl+Z takes back the last corner. Click the first or last point again, or press Enter, to finish.',
  },
  { shape: 'rectangle', label: 'Rectangle', hint: 'Click one corner, move the pointer, then click the opposite corner.' },
  { shape: 'circle', label: 'Circle', hint: 'Click the centre, move the pointer out to the edge, then click again.' },
  { shape: 'freehand', label: 'Freehand', hint: 'Click to start, move the pointer around the area, then click again to finish.' },
];

/** A key with the modifiers held, as terra-draw's undo shortcuts describe it (modifier names in lower case). */
export interface DrawShortcut {
  key: string;
  heldKeys: ('control' | 'meta' | 'shift')[];
}

/** Takes back the last corner while a polygon is drawn: Backspace, Ctrl+Z, or ⌘Z on a Mac. */
export const UNDO_KEYS: DrawShortcut[] = [
  { key: 'Backspace', heldKeys: [] },
  { key: 'z', heldKeys: ['control'] },
  { key: 'z', heldKeys: ['meta'] },
];
/** Puts a taken-back corner again: Ctrl+Y, Ctrl+Shift+Z, ⌘⇧Z. */
export const REDO_KEYS: DrawShortcut[] = [
  { key: 'y', heldKeys: ['control'] },
  { key: 'z', heldKeys: ['control', 'shift'] },
  { key: 'z', heldKeys: ['meta', 'shift'] },
];

/** Whether a key press (DOM KeyboardEvent fields) is one of `shortcuts`: same key, exactly the same modifiers. */
export function matchesShortcut(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }, shortcuts: readonly DrawShortcut[]): boolean {
  if (e.altKey) return false;
  return shortcuts.some(
    (s) =>
      s.key.toLowerCase() === e.key.toLowerCase() &&
      s.heldKeys.includes('control') === e.ctrlKey &&
      s.heldKeys.includes('meta') === e.metaKey &&
      s.heldKeys.includes('shift') === e.shiftKey,
  );
}

/** A key press in a text field belongs to the field (Backspace deletes a character there), never to the drawing. */
export function isTextEntryTarget(target: { tagName?: string; isContentEditable?: boolean; type?: string } | null): boolean {
  if (!target?.tagName) return false;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes((target.type ?? 'text').toLowerCase());
}

export const SHAPE_LABELS: Record<AreaShape, string> = { polygon: 'Polygon', rectangle: 'Rectangle', circle: 'Circle', freehand: 'Freehand' };

/** Coordinates are kept to 6 decimal places (about 0.1 m), as every other geometry in the app. */
export const COORDINATE_DECIMALS = 6;

export function round6(v: number): number {
  const r = Math.round(v * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
}

/** The terra-draw mode a feature came from (its `properties.mode`) as one of our shapes; anything else is a polygon. */
export function shapeOfMode(mode: unknown): AreaShape {
  return (AREA_SHAPES as readonly string[]).includes(String(mode)) ? (mode as AreaShape) : 'polygon';
}

export type AreaGeometryResult = { ok: true; geometry: AreaGeometry } | { ok: false; error: string };

function isPosition(p: unknown): p is number[] {
  return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

/**
 * One ring rounded to 6 d.p., with points that became identical to their neighbour dropped and the ring closed
 * (last = first). Null when fewer than three distinct corners remain.
 */
export function normaliseRing(ring: unknown): Position[] | null {
  if (!Array.isArray(ring)) return null;
  const out: Position[] = [];
  for (const p of ring) {
    if (!isPosition(p)) return null;
    const q: Position = [round6(p[0]!), round6(p[1]!)];
    const prev = out[out.length - 1];
    if (prev && prev[0] === q[0] && prev[1] === q[1]) continue;
    out.push(q);
  }
  // Drop the closing point (if any) before counting corners, then close again.
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop();
  if (out.length < 3) return null;
  out.push([out[0]![0], out[0]![1]]);
  return out;
}

function polygonRings(coords: unknown): Position[][] | null {
  if (!Array.isArray(coords) || coords.length === 0) return null;
  const rings: Position[][] = [];
  for (const [i, ring] of coords.entries()) {
    const r = normaliseRing(ring);
    if (!r) {
      if (i === 0) return null;
      continue; // a degenerate hole is simply left out
    }
    rings.push(r);
  }
  return rings;
}

/**
 * A drawn feature (terra-draw polygon, rectangle, circle or freehand: all GeoJSON Polygons) as the API's AreaGeometry:
 * coordinates rounded to 6 d.p., rings closed, repeated points removed.
 */
export function toAreaGeometry(feature: { geometry?: { type?: string; coordinates?: unknown } | null } | null | undefined): AreaGeometryResult {
  const g = feature?.geometry;
  if (!g) return { ok: false, error: 'Nothing was drawn.' };
  if (g.type === 'Polygon') {
    const rings = polygonRings(g.coordinates);
    if (!rings) return { ok: false, error: 'The shape needs at least three separate corners.' };
    return { ok: true, geometry: { type: 'Polygon', coordinates: rings } };
  }
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
    const polys = g.coordinates.map(polygonRings).filter((p): p is Position[][] => p !== null);
    if (polys.length === 0) return { ok: false, error: 'The shape needs at least three separate corners.' };
    return { ok: true, geometry: polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys } };
  }
  return { ok: false, error: `A ${g.type ?? 'shape'} is not an area: draw a polygon, rectangle, circle or freehand shape.` };
}

/** A stable text key for a geometry, to tell whether the map already holds it. */
export function geometryKey(g: AreaGeometry | null | undefined): string {
  return g ? JSON.stringify(g.coordinates) : '';
}

/**
 * The polygon the map's editor can work on: a single polygon without holes (terra-draw edits one outer ring).
 * Null for anything else, whose shape is then changed by redrawing it.
 */
export function editablePolygon(g: AreaGeometry | null | undefined): PolygonGeometry | null {
  if (!g) return null;
  if (g.type === 'Polygon') return g.coordinates.length === 1 ? g : null;
  return g.coordinates.length === 1 && g.coordinates[0]!.length === 1 ? { type: 'Polygon', coordinates: g.coordinates[0]! } : null;
}

export function geometryBounds(g: AreaGeometry): BBox {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}

/** Number of corners as a user counts them (closing points not counted). */
export function vertexCount(g: AreaGeometry): number {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.reduce((n, rings) => n + rings.reduce((m, r) => m + Math.max(0, r.length - 1), 0), 0);
}

/**
 * What the drawing layer of the map should be doing, as MapView's props describe it:
 * - `none`: nothing drawn (saved areas are the map's own layer);
 * - `draw`: a tool is active and the user is drawing a new shape;
 * - `show`: an unsaved shape is on the map, not editable;
 * - `edit`: a shape (unsaved, or a saved area being reshaped) is on the map with its corners editable.
 */
export type DrawingState =
  | { kind: 'none' }
  | { kind: 'draw'; tool: AreaShape }
  | { kind: 'show'; geometry: AreaGeometry }
  | { kind: 'edit'; geometry: AreaGeometry };

/** Changes exactly when the drawing layer has something new to do. */
export function drawingKey(d: DrawingState): string {
  switch (d.kind) {
    case 'none':
      return 'none';
    case 'draw':
      return `draw:${d.tool}`;
    default:
      return `${d.kind}:${geometryKey(d.geometry)}`;
  }
}
