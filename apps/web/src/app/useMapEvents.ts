import { useRef } from 'react';
import type { MapViewProps } from '../map/MapView';
import type { WorkspaceState } from './useWorkspace';

type MapEvents = Pick<MapViewProps, 'onDrawFinish' | 'onDrawEdit' | 'onDrawProblem' | 'onSelect' | 'onClearSelection' | 'onMapClick' | 'onHotspotClick'>;

/** What a click, a finished drawing or an edited shape on the map does, given what is open in the workspace. */
export function useMapEvents(ws: WorkspaceState): MapEvents {
  const { areas, bid, hotspots } = ws;
  const areaEditRef = useRef(areas.edit);
  areaEditRef.current = areas.edit;
  return {
    onDrawFinish: (result, shape) => {
      if (bid.lassoActive) {
        bid.setLassoActive(false);
        if (!result.ok || result.geometry.type !== 'Polygon') {
          ws.announce(result.ok ? 'Draw one closed shape round the LSOAs.' : result.error);
          return;
        }
        ws.announce(bid.addByLasso(result.geometry.coordinates[0]!));
        return;
      }
      areas.setDrawTool(null);
      if (!result.ok) {
        areas.setProblem(result.error);
        ws.announce(result.error);
        return;
      }
      areas.setProblem(null);
      areas.setCrossing(null);
      ws.setSelection(null);
      areas.setDraft({ geometry: result.geometry, shape, editing: false });
    },
    onDrawEdit: (result) => {
      if (!result.ok) {
        ws.announce(result.error);
        return;
      }
      areas.setCrossing(null);
      areas.setEdit((e) => (e ? { ...e, geometry: result.geometry } : e));
      areas.setDraft((d) => (d && !areaEditRef.current ? { ...d, geometry: result.geometry } : d));
    },
    onDrawProblem: (message) => areas.setProblem(message),
    onSelect: (layer, id, properties) => {
      // With hot spots shown, the plain LSOAs under the cells are not what a click is after.
      if (ws.tool === 'hotspots' && layer === 'lsoas') {
        hotspots.setCell(null);
        return;
      }
      if (ws.tool === 'planner' && layer === 'lsoas') return;
      // While a bid is prepared, clicking an LSOA adds it to the target area or takes it out; other items stay put so
      // the bid panel (and what was typed in it) is not replaced.
      if (ws.tool === 'bid') {
        if (layer === 'lsoas') bid.toggle(id);
        else ws.announce('Close the bid panel to look at other items on the map.');
        return;
      }
      if (layer === 'lsoas') ws.map.rememberLsoa(properties);
      ws.setSelection({ layer, id });
    },
    onClearSelection: () => ws.setSelection(null),
    onMapClick: (pos) => {
      if (ws.plannerPick && !ws.addKind) {
        ws.plannerPick.onPoint(pos);
        ws.setPlannerPick(null);
      } else ws.setAddPoint(pos);
    },
    onHotspotClick: (hit) => {
      ws.setSelection(null);
      if (hit.kind === 'spot') hotspots.setSpot(hit.key);
      else hotspots.setCell(hit.cell);
    },
  };
}
