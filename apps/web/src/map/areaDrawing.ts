import { useEffect, useRef } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawCircleMode,
  TerraDrawFreehandMode,
  TerraDrawPolygonMode,
  TerraDrawRectangleMode,
  TerraDrawSelectMode,
  TerraDrawModeUndoRedo,
  TerraDrawUndoRedoKeyboardShortcuts,
  type GeoJSONStoreFeatures,
  type HexColor,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import {
  drawingKey,
  editablePolygon,
  geometryKey,
  isTextEntryTarget,
  matchesShortcut,
  REDO_KEYS,
  shapeOfMode,
  UNDO_KEYS,
  toAreaGeometry,
  type AreaGeometryResult,
  type AreaShape,
  type DrawingState,
} from '../features/areas/drawing';
import { DRAWN_AREA_COLOUR, SELECTED_COLOUR } from './palette';

export type { DrawingState };

export interface DrawingCallbacks {
  /** A new shape is finished: the geometry as the API takes it, or why it cannot be used. */
  onDrawFinish?(result: AreaGeometryResult, shape: AreaShape): void;
  /** The shape being edited changed (a corner dragged, added or removed, or the whole shape moved). */
  onDrawEdit?(result: AreaGeometryResult): void;
  /** The shape cannot be put on the map for editing (e.g. terra-draw refuses it). */
  onDrawProblem?(message: string): void;
}

const COLOUR = DRAWN_AREA_COLOUR as HexColor;
const WHITE = '#ffffff' as HexColor;
const DARK = SELECTED_COLOUR as HexColor;
const SHAPE_STYLE = { fillColor: COLOUR, fillOpacity: 0.18, outlineColor: COLOUR, outlineWidth: 3 };
const EDITABLE = { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } };

/**
 * The terra-draw instance: the four drawing tools, a select mode that edits corners, styled like saved areas. While a
 * polygon is being drawn, terra-draw's own history takes back the last corner (Backspace, Ctrl+Z) and puts it again
 * (Ctrl+Y, Ctrl+Shift+Z) when the map has the keyboard focus; useAreaDrawing does the same when the focus is elsewhere.
 */
export function createAreaDraw(map: MapLibreMap): TerraDraw {
  return new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: 9 }),
    undoRedo: {
      modeLevel: new TerraDrawModeUndoRedo(),
      keyboardShortcuts: new TerraDrawUndoRedoKeyboardShortcuts({ undo: UNDO_KEYS, redo: REDO_KEYS }),
    },
    modes: [
      new TerraDrawPolygonMode({
        styles: {
          ...SHAPE_STYLE,
          closingPointColor: WHITE,
          closingPointOutlineColor: DARK,
          closingPointWidth: 7,
          closingPointOutlineWidth: 2.5,
        },
      }),
      new TerraDrawRectangleMode({ styles: SHAPE_STYLE }),
      new TerraDrawCircleMode({ styles: SHAPE_STYLE }),
      new TerraDrawFreehandMode({ styles: { ...SHAPE_STYLE, closingPointColor: WHITE, closingPointOutlineColor: DARK, closingPointOutlineWidth: 2 } }),
      new TerraDrawSelectMode({
        // Delete removes a corner (right-click), never the whole shape: deleting an area is the panel's job.
        keyEvents: { deselect: null, delete: null, rotate: null, scale: null },
        flags: { polygon: { feature: EDITABLE }, rectangle: { feature: EDITABLE }, circle: { feature: EDITABLE }, freehand: { feature: EDITABLE } },
        styles: {
          selectedPolygonColor: COLOUR,
          selectedPolygonFillOpacity: 0.2,
          selectedPolygonOutlineColor: DARK,
          selectedPolygonOutlineWidth: 3,
          selectionPointColor: WHITE,
          selectionPointOutlineColor: DARK,
          selectionPointWidth: 6,
          selectionPointOutlineWidth: 2.5,
          midPointColor: COLOUR,
          midPointOutlineColor: WHITE,
          midPointWidth: 4,
          midPointOutlineWidth: 2,
        },
      }),
    ],
  });
}

function setModeIfNeeded(draw: TerraDraw, mode: string) {
  if (draw.getMode() !== mode) draw.setMode(mode);
}

/**
 * Backspace / Ctrl+Z (and the redo keys) pressed anywhere but a text field while a shape is being drawn: the map's
 * canvas hands terra-draw its own key presses, but after a click on a toolbar button or the page the focus is elsewhere.
 * A press terra-draw already handled arrives here with its default prevented and is left alone.
 */
export function undoKeyHandler(draw: Pick<TerraDraw, 'canUndo' | 'undo' | 'canRedo' | 'redo'>, isDrawing: () => boolean) {
  return (e: KeyboardEvent) => {
    if (e.defaultPrevented || !isDrawing() || isTextEntryTarget(e.target as HTMLElement | null)) return;
    const undo = matchesShortcut(e, UNDO_KEYS);
    if (!undo && !matchesShortcut(e, REDO_KEYS)) return;
    const done = undo ? draw.canUndo() && draw.undo() : draw.canRedo() && draw.redo();
    if (done) e.preventDefault();
  };
}

/**
 * Owns terra-draw for MapView: creates it once the map's style is ready, follows the `drawing` state, reports
 * finished and edited shapes, and stops it with the map. Exposed as `window.__saferPlacesDraw` for browser tests.
 */
export function useAreaDrawing(map: MapLibreMap | null, styleReady: boolean, drawing: DrawingState, callbacks: DrawingCallbacks) {
  const drawRef = useRef<TerraDraw | null>(null);
  const drawingRef = useRef(drawing);
  drawingRef.current = drawing;
  /** The feature terra-draw holds and the key of its (rounded) geometry, so an echoed geometry is not re-added. */
  const heldRef = useRef<{ id: string | number; key: string } | null>(null);
  const callbacksRef = useRef(callbacks);
  callbacksRef.current = callbacks;

  useEffect(() => {
    if (!map || !styleReady) return;
    const draw = createAreaDraw(map);
    draw.start();
    draw.setMode('static');
    drawRef.current = draw;
    window.__saferPlacesDraw = draw;

    draw.on('finish', (id, context) => {
      const feature = draw.getSnapshotFeature(id);
      const result = toAreaGeometry(feature);
      if (context.mode === 'select') {
        if (result.ok) heldRef.current = { id, key: geometryKey(result.geometry) };
        callbacksRef.current.onDrawEdit?.(result);
        return;
      }
      if (context.action !== 'draw') return;
      heldRef.current = result.ok ? { id, key: geometryKey(result.geometry) } : null;
      callbacksRef.current.onDrawFinish?.(result, shapeOfMode(feature?.properties?.mode ?? context.mode));
    });

    const onKey = undoKeyHandler(draw, () => drawingRef.current.kind === 'draw');
    window.addEventListener('keydown', onKey);

    return () => {
      window.removeEventListener('keydown', onKey);
      drawRef.current = null;
      heldRef.current = null;
      if (window.__saferPlacesDraw === draw) delete window.__saferPlacesDraw;
      try {
        draw.stop();
      } catch {
        /* the map is already gone */
      }
    };
  }, [map, styleReady]);

  const key = drawingKey(drawing);
  useEffect(() => {
    const draw = drawRef.current;
    if (!draw || !styleReady) return;
    const d = drawingRef.current;
    if (d.kind === 'draw') {
      heldRef.current = null;
      setModeIfNeeded(draw, 'static');
      draw.clear();
      draw.setMode(d.tool);
      return;
    }
    if (d.kind === 'none') {
      setModeIfNeeded(draw, 'static');
      draw.clear();
      heldRef.current = null;
      return;
    }
    const wanted = geometryKey(d.geometry);
    const held = heldRef.current;
    if (!held || held.key !== wanted || !draw.hasFeature(held.id)) {
      setModeIfNeeded(draw, 'static');
      draw.clear();
      heldRef.current = null;
      const polygon = editablePolygon(d.geometry);
      if (!polygon) {
        if (d.kind === 'edit') callbacksRef.current.onDrawProblem?.('This area has several parts or holes, so its corners cannot be edited on the map. Redraw it instead.');
        return;
      }
      const id = draw.getFeatureId();
      const feature = { id, type: 'Feature', geometry: polygon, properties: { mode: 'polygon' } } as unknown as GeoJSONStoreFeatures;
      const [validation] = draw.addFeatures([feature]);
      if (!validation?.valid) {
        callbacksRef.current.onDrawProblem?.(`This shape cannot be edited on the map${validation?.reason ? ` (${validation.reason})` : ''}.`);
        return;
      }
      heldRef.current = { id, key: wanted };
    }
    if (d.kind === 'edit') {
      setModeIfNeeded(draw, 'select');
      const current = heldRef.current && draw.getSnapshotFeature(heldRef.current.id);
      if (current && heldRef.current && current.properties.selected !== true) draw.selectFeature(heldRef.current.id);
    } else {
      setModeIfNeeded(draw, 'static');
    }
  }, [styleReady, key]);

  return drawRef;
}
