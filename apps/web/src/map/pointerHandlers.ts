import type * as maplibregl from 'maplibre-gl';
import { CLICK_TARGETS, ID_FIELD, LAYER_IDS, type LayerId, type SelectableLayer } from './layers';
import type { MapViewProps } from './mapViewProps';

const CLICK_TOLERANCE_PX = 5;

/**
 * The layers a click may select, in the order they are tried. Normally the topmost wins (points, drawn areas, PSPO
 * zones, Safer Streets areas, then LSOAs). While a bid is prepared only LSOAs take part in the bid, so the LSOA layer is
 * tried first: a click on an LSOA under a drawn area, a PSPO zone, a Safer Streets area or a point adds it to the bid
 * instead of landing on the shape above it (which the bid panel would only refuse).
 */
export function clickTargetsFor(bidOpen: boolean): readonly { layerId: LayerId; layer: SelectableLayer }[] {
  if (!bidOpen) return CLICK_TARGETS;
  return [...CLICK_TARGETS.filter((t) => t.layer === 'lsoas'), ...CLICK_TARGETS.filter((t) => t.layer !== 'lsoas')];
}

/**
 * A click on the map: while a shape is drawn or just finished it belongs to the drawing; in "add" mode it reports the
 * point; else the top hot spot (spot before cell), else the first selectable layer hit (the LSOA first while a bid is
 * prepared, see clickTargetsFor), else it clears the selection.
 * The pointer turns into a hand over what a click would select.
 */
export function attachPointerHandlers(map: maplibregl.Map, propsRef: { current: MapViewProps }, drawFinishedAt: { current: number }): void {
  map.on('click', (e) => {
    const p = propsRef.current;
    // While a shape is drawn, shown unsaved or edited, clicks belong to the drawing, never to selection.
    if (p.drawing.kind !== 'none') return;
    if (performance.now() - drawFinishedAt.current < 500) return;
    if (p.addMode) {
      p.onMapClick([e.lngLat.lng, e.lngLat.lat]);
      return;
    }
    const box: [maplibregl.PointLike, maplibregl.PointLike] = [
      [e.point.x - CLICK_TOLERANCE_PX, e.point.y - CLICK_TOLERANCE_PX],
      [e.point.x + CLICK_TOLERANCE_PX, e.point.y + CLICK_TOLERANCE_PX],
    ];
    if (p.hotspots && p.onHotspotClick) {
      const spot = map.queryRenderedFeatures(box, { layers: [LAYER_IDS.hotspotSpotsSymbol] })[0];
      if (spot && typeof spot.properties.key === 'string') {
        p.onHotspotClick({ kind: 'spot', key: spot.properties.key });
        return;
      }
      const cell = map.queryRenderedFeatures(e.point, { layers: [LAYER_IDS.hotspotCellsFill] })[0];
      if (cell && typeof cell.properties.cell === 'number') {
        p.onHotspotClick({ kind: 'cell', cell: cell.properties.cell });
        return;
      }
    }
    for (const target of clickTargetsFor(!!p.bid)) {
      if (!map.getLayer(target.layerId)) continue;
      const isPoint = target.layer === 'cameras' || target.layer === 'help-points';
      const hits = map.queryRenderedFeatures(isPoint ? box : e.point, { layers: [target.layerId] });
      const hit = hits[0];
      if (hit) {
        const id = hit.properties[ID_FIELD[target.layer]];
        if (id !== undefined && id !== null) {
          p.onSelect(target.layer, String(id), hit.properties as Record<string, unknown>);
          return;
        }
      }
    }
    p.onClearSelection();
  });

  map.on('mousemove', (e) => {
    const canvas = map.getCanvas();
    if (propsRef.current.drawing.kind !== 'none') return; // terra-draw sets its own cursors
    if (propsRef.current.addMode) {
      canvas.style.cursor = 'crosshair';
      return;
    }
    const targets = [...(propsRef.current.hotspots ? [LAYER_IDS.hotspotSpotsSymbol, LAYER_IDS.hotspotCellsFill] : []), ...CLICK_TARGETS.map((t) => t.layerId)];
    const layers = targets.filter((id) => map.getLayer(id));
    const hit = layers.length > 0 && map.queryRenderedFeatures(e.point, { layers }).length > 0;
    canvas.style.cursor = hit ? 'pointer' : '';
  });
}
