import { useCallback, useEffect, useRef } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { SEARCH_LAYERS, SEARCH_MARKER_SOURCE, highlightLayers, type Highlight } from './highlight';

/** How long a picked place stays outlined ("briefly"); a marker stays until the next pick or the box is cleared. */
export const OUTLINE_MS = 8000;

/** Takes the highlight's layers off the map and draws `h` (if any) on top; a base-map change calls it again. */
function apply(map: MapLibreMap, h: Highlight | null): void {
  for (const id of SEARCH_LAYERS) if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(SEARCH_MARKER_SOURCE)) map.removeSource(SEARCH_MARKER_SOURCE);
  if (!h) return;
  const bundle = highlightLayers(h);
  for (const s of bundle.sources) map.addSource(s.id, s.source);
  for (const l of bundle.layers) {
    // The outline is drawn from the LSOA tiles: without them (no dataset yet) there is nothing to outline.
    if ('source' in l && typeof l.source === 'string' && !map.getSource(l.source)) continue;
    map.addLayer(l);
  }
}

/**
 * The search's mark on the map, through the map handle's MapLibre map (the one sanctioned way for a feature to draw
 * something the map component does not own): `show` outlines a place for OUTLINE_MS and keeps a marker; `clear`
 * removes both. Kept across base-map changes (which replace the style and its layers).
 */
export function useSearchHighlight(getMap: () => MapLibreMap | null) {
  const current = useRef<Highlight | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const hooked = useRef<MapLibreMap | null>(null);

  const draw = useCallback(() => {
    const map = getMap();
    if (!map) return;
    if (hooked.current !== map) {
      hooked.current = map;
      // A new style (another base map) drops our layers: draw them again once it has loaded.
      map.on('style.load', () => {
        if (current.current) apply(map, current.current);
      });
    }
    if (!map.isStyleLoaded()) {
      map.once('idle', () => apply(map, current.current));
      return;
    }
    apply(map, current.current);
  }, [getMap]);

  const show = useCallback(
    (h: Highlight) => {
      current.current = h;
      if (timer.current) clearTimeout(timer.current);
      if (h.outline) {
        timer.current = setTimeout(() => {
          current.current = current.current && { ...current.current, outline: null };
          draw();
        }, OUTLINE_MS);
      }
      draw();
    },
    [draw],
  );

  const clear = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    if (!current.current) return;
    current.current = null;
    draw();
  }, [draw]);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  return { show, clear };
}
