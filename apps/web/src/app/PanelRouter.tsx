import { ASSET_KINDS, type AssetInputByKind, type Geometry } from '@safer-places/schemas';
import { AddPanel } from '../features/assets/AddPanel';
import { AssetPanel } from '../features/assets/AssetPanel';
import { LsoaPanel } from '../features/map/LsoaPanel';
import { rankOf } from '../features/map/rank';
import { answerScope, bidScopeFor } from '../features/scope/scopeState';
import { UploadPanel } from '../features/upload/UploadPanel';
import { HotspotPanel } from '../features/hotspots/HotspotPanel';
import { BidPanel } from '../features/bids/BidPanel';
import { PlannerPanel } from '../features/planner/PlannerPanel';
import { AreaPanelRoute } from './AreaPanelRoute';
import { SPOT_VIEW } from './MapPane';
import type { SidePanelChoice } from './panels';
import type { WorkspaceState } from './useWorkspace';

const capitalised = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

/** The side panel the workspace shows (see chooseSidePanel for which one wins). */
export function PanelRouter({ ws, choice }: { ws: WorkspaceState; choice: SidePanelChoice }) {
  const { api, me, selection, dataset } = ws;
  const feature = ws.selectedFeature;
  const cameraOptions = (ws.map.layers.cameras?.features ?? []).map((f) => ({ value: String(f.properties.id), label: String(f.properties.name) }));
  const sensitiveCameras = me.permissions.includes('sensitive-cameras');
  const focus = (p: [number, number]) => ws.mapHandle.current?.fitBounds([p[0] - SPOT_VIEW.dLon, p[1] - SPOT_VIEW.dLat, p[0] + SPOT_VIEW.dLon, p[1] + SPOT_VIEW.dLat], { maxZoom: 15 });

  if (choice === 'add' && ws.addKind) {
    const kind = ws.addKind;
    return (
      <AddPanel
        kind={kind}
        position={ws.addPoint}
        cameraOptions={cameraOptions}
        sensitiveCameras={sensitiveCameras}
        onUseCentre={() => ws.setAddPoint(ws.mapHandle.current?.getCenter() ?? null)}
        onCancel={ws.cancelAdd}
        onCreate={async (input) => {
          const item = await api.createAsset(kind, input as AssetInputByKind['cameras']);
          await ws.reloadAfterWrite(kind);
          ws.cancelAdd();
          ws.setSelection({ layer: kind, id: item.id });
          ws.announce(`${capitalised(ASSET_KINDS[kind].singular)} “${item.name}” added.`);
        }}
      />
    );
  }
  if (choice === 'area-draft' || (choice === 'selection' && selection?.layer === 'areas')) return <AreaPanelRoute ws={ws} feature={feature} />;
  if (choice === 'selection' && selection && feature) {
    if (selection.layer === 'lsoas') {
      const stats = ws.stats.stats;
      return (
        <LsoaPanel
          properties={feature.properties}
          row={stats?.lsoas.find((r) => r.code === selection.id)}
          stats={stats}
          rank={stats ? rankOf(stats.lsoas, selection.id) : null}
          dataset={dataset}
          scopeLabel={(answerScope(stats) ?? ws.map.layers.lsoas?.scope ?? null)?.label ?? ws.scope.label}
          onClose={() => ws.setSelection(null)}
        />
      );
    }
    if (selection.layer === 'areas') return null;
    const kind = selection.layer;
    return (
      <AssetPanel
        kind={kind}
        properties={feature.properties}
        geometry={feature.geometry as Geometry}
        canWrite={ws.canWrite(kind)}
        cameraOptions={cameraOptions}
        sensitiveCameras={sensitiveCameras}
        onClose={() => ws.setSelection(null)}
        onSave={async (input, version) => {
          await api.updateAsset(kind, selection.id, version, input as never);
          await ws.reloadAfterWrite(kind);
          ws.announce('Changes saved.');
        }}
        onDelete={async (version) => {
          await api.deleteAsset(kind, selection.id, version);
          ws.setSelection(null);
          await ws.reloadAfterWrite(kind);
          ws.announce(`${capitalised(ASSET_KINDS[kind].singular)} deleted.`);
        }}
        onReload={async () => {
          await ws.reloadAfterWrite(kind);
        }}
        {...(kind === 'safer-streets-areas' && {
          evaluate: (q: { start: string; months: number }) => api.evaluation(selection.id, { ...q, ...(ws.datasetId && { dataset: ws.datasetId }) }),
          firstMonth: dataset?.firstMonth ?? null,
          lastMonth: dataset?.lastMonth ?? null,
        })}
      />
    );
  }
  if (choice === 'upload') {
    return (
      <UploadPanel
        kinds={ws.uploadKinds}
        onUpload={async (kind, items) => {
          const res = await api.importAssets(kind, items);
          await ws.reloadAfterWrite(kind);
          ws.prefs.show(kind);
          ws.announce(`${res.created} added to the map.`);
          return res.created;
        }}
        onClose={() => ws.setUploadOpen(false)}
      />
    );
  }
  if (!dataset) return null;
  if (choice === 'bid') {
    const { bid, scope } = ws;
    return (
      <BidPanel
        api={api}
        dataset={dataset}
        lsoas={ws.map.layers.lsoas}
        areas={ws.areas.saved}
        places={scope.options}
        sessionScope={bidScopeFor(scope.scope)}
        sessionScopeKey={ws.scopeKey}
        canWrite={ws.canWrite('bids')}
        canSaveSaferStreets={ws.canWrite('safer-streets-areas')}
        selection={bid.selection}
        onSelection={bid.setSelection}
        onEligible={bid.setEligible}
        onSelectionResult={bid.setResult}
        lassoActive={bid.lassoActive}
        onLasso={(on) => {
          bid.setLassoActive(on);
          if (on) ws.announce('Draw round the LSOAs to add (or remove) with the mouse; click to finish.');
        }}
        onSavedSaferStreets={async () => {
          await ws.map.loadLayer('safer-streets-areas');
          ws.prefs.show('safer-streets-areas');
        }}
        announce={ws.announce}
        onClose={() => ws.closeTool('bid')}
      />
    );
  }
  if (choice === 'hotspots') {
    const { hotspots } = ws;
    return (
      <HotspotPanel
        dataset={dataset}
        scopeKey={ws.scopeKey}
        scopeLabel={ws.scope.label}
        query={hotspots.query}
        onQuery={hotspots.setQuery}
        result={hotspots.remote}
        selectedCell={hotspots.cell}
        selectedSpot={hotspots.spot}
        onSelectSpot={(key, position) => {
          hotspots.setSpot(key);
          focus(position);
        }}
        onExportTop={hotspots.exportTop}
        onClose={() => ws.closeTool('hotspots')}
      />
    );
  }
  if (choice === 'planner') {
    return (
      <PlannerPanel
        api={api}
        dataset={dataset}
        scopeKey={ws.scopeKey}
        scopeLabel={ws.scope.label}
        planner={ws.planner}
        canRecord={ws.canWrite('patrol-visits')}
        canEditCameras={ws.canWrite('cameras')}
        picking={ws.plannerPick?.kind ?? null}
        onPick={(kind, hint, onPoint) => {
          ws.setSelection(null);
          ws.setAddKind(null);
          ws.setPlannerPick({ kind, hint, onPoint });
        }}
        onCancelPick={() => ws.setPlannerPick(null)}
        getCentre={() => ws.mapHandle.current?.getCenter() ?? null}
        getView={() => ws.mapHandle.current?.getBounds() ?? null}
        onFocus={focus}
        onFit={(b) => ws.mapHandle.current?.fitBounds(b, { maxZoom: 16 })}
        onCamerasChanged={async () => {
          await ws.reloadAfterWrite('cameras');
        }}
        announce={ws.announce}
        onClose={() => ws.closeTool('planner')}
      />
    );
  }
  return null;
}
