import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import { describeError, type ApiClient, type LayerCollection } from '../../api/client';
import type { DrawingState } from '../../map/areaDrawing';
import { DEFAULT_AREA_QUERY, type AreaQueryState } from './areaQuery';
import type { AreaShape } from './drawing';
import type { SavedAreaItem } from './DrawTools';

/** An unsaved drawing: its shape, the tool it was drawn with, and whether its corners are being edited. */
export interface AreaDraft {
  geometry: AreaGeometry;
  shape: AreaShape;
  editing: boolean;
}

/** A saved area being reshaped on the map (the geometry is the edited one). */
export interface AreaEdit {
  id: string;
  geometry: AreaGeometry;
}

/**
 * The organisation's drawn areas (the same for every dataset) and the drawing on the map: the tool in use, an unsaved
 * drawing, a saved area being reshaped, where the server found edges crossing, and what the area panel counts.
 */
export function useAreas({ api, onLoadError }: { api: ApiClient; onLoadError(message: string): void }) {
  const [layer, setLayer] = useState<LayerCollection | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [show, setShow] = useState(true);
  const [drawTool, setDrawTool] = useState<AreaShape | null>(null);
  const [draft, setDraft] = useState<AreaDraft | null>(null);
  const [edit, setEdit] = useState<AreaEdit | null>(null);
  const [query, setQuery] = useState<AreaQueryState>(DEFAULT_AREA_QUERY);
  const [crossing, setCrossing] = useState<Position | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    const fc = await api.layer('areas');
    setLayer(fc);
    return fc;
  }, [api]);

  useEffect(() => {
    let cancelled = false;
    load()
      .catch((err) => {
        if (!cancelled) onLoadError(`Drawn areas could not be loaded: ${describeError(err)}`);
      })
      .finally(() => {
        if (!cancelled) setLoaded(true);
      });
    return () => {
      cancelled = true;
    };
  }, [load]);

  const saved = useMemo<SavedAreaItem[]>(
    () =>
      (layer?.features ?? [])
        .map((f) => ({ id: String(f.properties.id), name: String(f.properties.name ?? 'Unnamed area'), theme: String(f.properties.theme ?? '') }))
        .sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
    [layer],
  );

  /** A typed or pasted shape becomes the unsaved drawing, exactly as a finished mouse drawing does (see useMapEvents). */
  const draftFromCoordinates = useCallback((geometry: AreaGeometry) => {
    setDrawTool(null);
    setEdit(null);
    setProblem(null);
    setCrossing(null);
    setDraft({ geometry, shape: 'polygon', editing: false });
  }, []);

  return { layer, loaded, load, saved, show, setShow, drawTool, setDrawTool, draft, setDraft, draftFromCoordinates, edit, setEdit, query, setQuery, crossing, setCrossing, problem, setProblem };
}

export type AreasState = ReturnType<typeof useAreas>;

/** What the map's drawing layer does: draw a new shape (or the bid lasso), show or edit an unsaved one, reshape a saved one. */
export function drawingState(s: { lassoActive: boolean; drawTool: AreaShape | null; edit: AreaEdit | null; draft: AreaDraft | null }): DrawingState {
  if (s.lassoActive) return { kind: 'draw', tool: 'freehand' };
  if (s.drawTool) return { kind: 'draw', tool: s.drawTool };
  if (s.edit) return { kind: 'edit', geometry: s.edit.geometry };
  if (s.draft) return { kind: s.draft.editing ? 'edit' : 'show', geometry: s.draft.geometry };
  return { kind: 'none' };
}
