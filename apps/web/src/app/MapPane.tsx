import { ASSET_KINDS, selectionLabel } from '@safer-places/schemas';
import { MapView } from '../map/MapView';
import { NEUTRAL_LSOA_PAINT } from '../map/layers';
import { useMemo } from 'react';
import { DRAW_TOOLS } from '../features/areas/drawing';
import { drawingState } from '../features/areas/useAreas';
import { Legend } from '../features/map/Legend';
import { useChoropleth } from '../features/map/useChoropleth';
import { useCameraCoverage } from '../features/map/useCoverage';
import { StrategicView } from '../features/reports/StrategicView';
import { AuditLogView } from '../features/reports/AuditLogView';
import { useReports } from '../features/reports/useReports';
import { UsersPanel } from '../features/users';
import { TableDrawer } from '../features/table/TableDrawer';
import { useMapEvents } from './useMapEvents';
import type { WorkspaceState } from './useWorkspace';

/** How close the map zooms to a spot the planner or the hot spot panel points at: about 1.5 km across. */
export const SPOT_VIEW = { dLon: 0.011, dLat: 0.0065 };

/** The map area: the map, its legend, the views over the map (reports, admin), and the map's hints and messages. */
export function MapPane({ ws, narrow, usersMode }: { ws: WorkspaceState; narrow: boolean; usersMode: 'cognito' | 'local' }) {
  const { prefs, map, areas, hotspots, bid, planner, me } = ws;
  const hotspotsOpen = ws.tool === 'hotspots';
  const plannerOpen = ws.tool === 'planner';
  // While an analysis panel is open the LSOA shading turns plain (outlines stay for orientation): its cells, route or
  // chosen LSOAs carry the only colour on the map; closing the panel brings the shading back.
  const plainLsoas = ws.tool !== null;
  const choropleth = useChoropleth({ measure: prefs.measure, stats: ws.stats.stats, lsoas: map.layers.lsoas });
  // The coverage of the cameras on the map: asked with the query the cameras layer was read with (the area in view when
  // the organisation has more cameras than one layer read holds).
  const { coverage, error: coverageError } = useCameraCoverage({ api: ws.api, cameras: map.layers.cameras, show: prefs.showCoverage, datasetId: ws.datasetId, query: map.cameraQuery });
  const drawing = useMemo(
    () => drawingState({ lassoActive: bid.lassoActive, drawTool: areas.drawTool, edit: areas.edit, draft: areas.draft }),
    [bid.lassoActive, areas.drawTool, areas.edit, areas.draft],
  );
  const events = useMapEvents(ws);
  const reports = useReports(ws);
  const stats = ws.stats.stats;

  return (
    <>
      {ws.dataset && (
        <MapView
          ref={ws.mapHandle}
          baseStyleUrl={ws.config.mapStyleUrl}
          {...(ws.config.basemap && { basemap: ws.config.basemap })}
          initialBounds={ws.scopeFit?.bbox ?? ws.dataset.bbox}
          fitTo={ws.scopeFit}
          data={map.layers}
          lsoaTiles={map.lsoaTiles}
          lsoaView={choropleth.lsoaView}
          coverage={coverage}
          visible={prefs.visible}
          showCoverage={prefs.showCoverage}
          choropleth={plainLsoas ? NEUTRAL_LSOA_PAINT : choropleth.paint}
          selected={ws.selection}
          draft={ws.addKind ? ws.addPoint : areas.crossing}
          addMode={ws.addKind !== null || ws.plannerPick !== null}
          dataReady={ws.dataReady}
          areas={areas.layer}
          showAreas={areas.show}
          showContext={prefs.showContext}
          hiddenAreaId={areas.edit?.id ?? null}
          drawing={drawing}
          {...events}
          onViewChange={map.onViewChange}
          onBaseStyle={(b) => ws.setBaseMap(b.kind)}
          hotspots={hotspotsOpen ? hotspots.mapState : null}
          bid={bid.layerData}
          planning={plannerOpen ? planner.mapState : null}
        />
      )}
      {ws.dataset && (
        <Legend
          visible={plainLsoas ? { ...prefs.visible, lsoas: false } : prefs.visible}
          showCoverage={prefs.showCoverage}
          choropleth={choropleth.choropleth}
          period={choropleth.choropleth.measure === 'imd-decile' ? null : stats ? { from: stats.from, to: stats.to } : null}
          categoryLabel={stats?.categoryLabel ?? selectionLabel(prefs.category)}
          scope={choropleth.scope}
          category={prefs.category}
          deprivationSource={choropleth.deprivationSource}
          counts={map.counts}
          truncated={map.truncated}
          showAreas={areas.show && areas.saved.length > 0}
          collapse={narrow}
          hotspots={hotspotsOpen ? hotspots.legend : null}
          planning={plannerOpen ? planner.mapState.legend : null}
          bid={bid.legend}
        />
      )}
      {ws.strategicOpen && (
        <StrategicView
          datasetId={ws.datasetId}
          scopeKey={ws.scopeKey}
          scopeLabel={ws.scope.label}
          load={reports.loadStrategic}
          onExport={reports.exportStrategic}
          onClose={() => ws.setStrategicOpen(false)}
        />
      )}
      {ws.adminView === 'audit' && me.role === 'admin' && !ws.strategicOpen && <AuditLogView load={reports.loadAudit} onClose={() => ws.setAdminView(null)} />}
      {ws.adminView === 'users' && me.role === 'admin' && !ws.strategicOpen && (
        <UsersPanel api={ws.api} me={me} mode={usersMode} onClose={() => ws.setAdminView(null)} />
      )}
      {!ws.dataReady && !ws.loadError && <p className="loading" role="status">Loading map data…</p>}
      {ws.loadError && <p className="message message--error map-message" role="alert">{ws.loadError}</p>}
      {!ws.loadError && coverageError && (
        <p className="message message--error map-message" role="alert" data-testid="coverage-error">
          {coverageError}
        </p>
      )}
      {ws.addKind && !ws.addPoint && (
        <p className="map-hint" role="status">Click the map where the {ASSET_KINDS[ws.addKind].singular} is. Press Escape to cancel.</p>
      )}
      {ws.plannerPick && !ws.addKind && (
        <p className="map-hint" role="status" data-testid="planner-pick-hint">
          {ws.plannerPick.hint} Press Escape to cancel.
        </p>
      )}
      {areas.drawTool && (
        <p className="map-hint" role="status" data-testid="draw-hint">
          {DRAW_TOOLS.find((t) => t.shape === areas.drawTool)?.hint} Press Escape to cancel.
        </p>
      )}
      {ws.dataset && <TableDrawer ws={ws} choropleth={choropleth.choropleth} />}
      <div className="toast" role="status" aria-live="polite">{ws.toast}</div>
    </>
  );
}
