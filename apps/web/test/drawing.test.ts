import { describe, expect, it } from 'vitest';
import {
  DRAW_TOOLS,
  drawingKey,
  editablePolygon,
  geometryBounds,
  geometryKey,
  normaliseRing,
  round6,
  shapeOfMode,
  toAreaGeometry,
  vertexCount,
} from '../src/features/areas/drawing';

/** A terra-draw polygon as it comes out of the store: 9 decimal places, closed. */
const drawn = {
  type: 'Feature',
  id: 'f1',
  properties: { mode: 'polygon' },
  geometry: {
    type: 'Polygon',
    coordinates: [[
      [1.0951234567, 54.3651234567],
      [1.1001234567, 54.3661234567],
      [1.0991234567, 54.3601234567],
      [1.0951234567, 54.3651234567],
    ]],
  },
};

describe('terra-draw feature → AreaGeometry', () => {
  it('rounds every coordinate to 6 decimal places and keeps the ring closed', () => {
    const r = toAreaGeometry(drawn);
    expect(r).toEqual({
      ok: true,
      geometry: { type: 'Polygon', coordinates: [[[1.095123, 54.365123], [1.100123, 54.366123], [1.099123, 54.360123], [1.095123, 54.365123]]] },
    });
  });

  it('closes an open ring', () => {
    const open = { geometry: { type: 'Polygon', coordinates: [[[1, 54], [1.01, 54], [1.01, 54.01]]] } };
    expect(toAreaGeometry(open)).toEqual({ ok: true, geometry: { type: 'Polygon', coordinates: [[[1, 54], [1.01, 54], [1.01, 54.01], [1, 54]]] } });
  });

  it('drops points that become the same as their neighbour after rounding (freehand strokes are dense)', () => {
    const dense = { geometry: { type: 'Polygon', coordinates: [[[1, 54], [1.0000001, 54.0000002], [1.01, 54], [1.01, 54.01], [1.0100004, 54.0099996], [1, 54]]] } };
    expect(toAreaGeometry(dense)).toEqual({ ok: true, geometry: { type: 'Polygon', coordinates: [[[1, 54], [1.01, 54], [1.01, 54.01], [1, 54]]] } });
  });

  it('refuses a shape with fewer than three separate corners, or nothing at all', () => {
    const line = { geometry: { type: 'Polygon', coordinates: [[[1, 54], [1.01, 54], [1.0100001, 54.0000001], [1, 54]]] } };
    expect(toAreaGeometry(line)).toEqual({ ok: false, error: 'The shape needs at least three separate corners.' });
    expect(toAreaGeometry(undefined).ok).toBe(false);
    expect(toAreaGeometry({ geometry: null }).ok).toBe(false);
    expect(toAreaGeometry({ geometry: { type: 'Polygon', coordinates: [[[1, 54], ['x', 54], [1, 55], [1, 54]]] } }).ok).toBe(false);
  });

  it('refuses a point or a line, which are not areas', () => {
    const r = toAreaGeometry({ geometry: { type: 'LineString', coordinates: [[1, 54], [1.1, 54.1]] } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/LineString is not an area/);
  });

  it('keeps holes, drops degenerate ones, and turns a one-part MultiPolygon into a Polygon', () => {
    const outer = [[1, 54], [1.1, 54], [1.1, 54.1], [1, 54.1], [1, 54]];
    const hole = [[1.02, 54.02], [1.03, 54.02], [1.03, 54.03], [1.02, 54.02]];
    const flat = [[1.05, 54.05], [1.05, 54.05], [1.05, 54.05], [1.05, 54.05]];
    expect(toAreaGeometry({ geometry: { type: 'Polygon', coordinates: [outer, hole, flat] } })).toEqual({ ok: true, geometry: { type: 'Polygon', coordinates: [outer, hole] } });
    expect(toAreaGeometry({ geometry: { type: 'MultiPolygon', coordinates: [[outer]] } })).toEqual({ ok: true, geometry: { type: 'Polygon', coordinates: [outer] } });
    const two = toAreaGeometry({ geometry: { type: 'MultiPolygon', coordinates: [[outer], [hole]] } });
    expect(two.ok && two.geometry.type).toBe('MultiPolygon');
  });

  it('turns a terra-draw circle (already a polygon of many points) into the same polygon, rounded', () => {
    const steps = 64;
    const ring = Array.from({ length: steps }, (_, i) => [1.1 + 0.004 * Math.cos((2 * Math.PI * i) / steps), 54.3 + 0.0024 * Math.sin((2 * Math.PI * i) / steps)]);
    ring.push(ring[0]!);
    const r = toAreaGeometry({ geometry: { type: 'Polygon', coordinates: [ring] } });
    expect(r.ok).toBe(true);
    if (r.ok && r.geometry.type === 'Polygon') {
      expect(r.geometry.coordinates[0]).toHaveLength(steps + 1);
      for (const [x, y] of r.geometry.coordinates[0]!) {
        expect(x).toBe(round6(x));
        expect(y).toBe(round6(y));
      }
    }
  });

  it('never produces -0', () => {
    expect(Object.is(round6(-0.0000001), 0)).toBe(true);
    expect(normaliseRing([[-0.0000001, 54], [1, 54], [1, 55]])![0]).toEqual([0, 54]);
  });
});

describe('drawing helpers', () => {
  it('maps terra-draw mode names to our shapes', () => {
    expect(shapeOfMode('polygon')).toBe('polygon');
    expect(shapeOfMode('rectangle')).toBe('rectangle');
    expect(shapeOfMode('circle')).toBe('circle');
    expect(shapeOfMode('freehand')).toBe('freehand');
    expect(shapeOfMode('select')).toBe('polygon');
    expect(shapeOfMode(undefined)).toBe('polygon');
  });

  it('has a labelled tool with instructions for each of the four shapes', () => {
    expect(DRAW_TOOLS.map((t) => t.shape)).toEqual(['polygon', 'rectangle', 'circle', 'freehand']);
    for (const t of DRAW_TOOLS) expect(t.hint.length).toBeGreaterThan(20);
    expect(DRAW_TOOLS[0]!.hint).toMatch(/first or last point again, or press Enter/);
  });

  it('edits only single polygons without holes', () => {
    const ring = [[1, 54], [1.1, 54], [1.1, 54.1], [1, 54]] as [number, number][];
    expect(editablePolygon({ type: 'Polygon', coordinates: [ring] })).toEqual({ type: 'Polygon', coordinates: [ring] });
    expect(editablePolygon({ type: 'MultiPolygon', coordinates: [[ring]] })).toEqual({ type: 'Polygon', coordinates: [ring] });
    expect(editablePolygon({ type: 'Polygon', coordinates: [ring, ring] })).toBeNull();
    expect(editablePolygon({ type: 'MultiPolygon', coordinates: [[ring], [ring]] })).toBeNull();
    expect(editablePolygon(null)).toBeNull();
  });

  it('gives bounds, corner counts and stable keys', () => {
    const g = { type: 'Polygon' as const, coordinates: [[[1, 54], [1.2, 54.05], [1.1, 54.3], [1, 54]] as [number, number][]] };
    expect(geometryBounds(g)).toEqual([1, 54, 1.2, 54.3]);
    expect(vertexCount(g)).toBe(3);
    expect(geometryKey(g)).toBe(geometryKey(structuredClone(g)));
    expect(geometryKey(null)).toBe('');
  });

  it('keys the drawing state so the map only reacts to real changes', () => {
    const g = { type: 'Polygon' as const, coordinates: [[[1, 54], [1.2, 54.05], [1.1, 54.3], [1, 54]] as [number, number][]] };
    expect(drawingKey({ kind: 'none' })).toBe('none');
    expect(drawingKey({ kind: 'draw', tool: 'circle' })).toBe('draw:circle');
    expect(drawingKey({ kind: 'show', geometry: g })).toBe(drawingKey({ kind: 'show', geometry: structuredClone(g) }));
    expect(drawingKey({ kind: 'show', geometry: g })).not.toBe(drawingKey({ kind: 'edit', geometry: g }));
  });
});
