import type { AreaGeometry } from '@safer-places/schemas';
import type { LayerCollection } from '../api/client';
import { PERIOD_CHOICES } from '../shared/period';
import { fileNameFromDisposition, areaExportFileName, saveBlob } from '../shared/download';
import { AreaPanel } from '../features/areas/AreaPanel';
import { resolveAreaPeriod } from '../features/areas/areaQuery';
import { geometryBounds, geometryKey, shapeOfMode } from '../features/areas/drawing';
import type { WorkspaceState } from './useWorkspace';

/** One feature of a map layer. */
export type MapFeature = LayerCollection['features'][number];

/** The area panel for the unsaved drawing or the selected saved area, wired to the API and the map. */
export function AreaPanelRoute({ ws, feature }: { ws: WorkspaceState; feature: MapFeature | null }) {
  const { api, areas, scope } = ws;
  const common = {
    query: areas.query,
    onQuery: areas.setQuery,
    period: resolveAreaPeriod(areas.query.period, ws.stats.range, ws.dataset),
    mapPeriodLabel: PERIOD_CHOICES.find((c) => c.value === ws.prefs.periodChoice)?.label ?? null,
    datasetId: ws.datasetId,
    canWrite: ws.canWrite('areas'),
    shapeProblem: areas.problem,
    onCrossing: areas.setCrossing,
  };

  const d = areas.draft;
  if (d) {
    const closeDraft = () => {
      areas.setDraft(null);
      areas.setCrossing(null);
      areas.setProblem(null);
    };
    return (
      <AreaPanel
        {...common}
        kind="draft"
        geometry={d.geometry}
        shape={d.shape}
        statsKey={`draft:${geometryKey(d.geometry)}`}
        loadStats={(q, signal) => api.analyseArea(d.geometry, q, signal)}
        editingShape={d.editing}
        onEditShape={() => {
          areas.setProblem(null);
          areas.setDraft({ ...d, editing: true });
        }}
        onStopEditShape={() => areas.setDraft({ ...d, editing: false })}
        onCreate={async (input) => {
          const item = await api.createAsset('areas', input);
          await areas.load();
          void scope.reload().catch(() => undefined); // the new area is a place to pick
          areas.setDraft(null);
          areas.setCrossing(null);
          areas.setShow(true);
          ws.setSelection({ layer: 'areas', id: item.id });
          ws.announce(`Area “${item.name}” saved.${item.warnings?.length ? ` ${item.warnings.join(' ')}` : ''}`);
        }}
        onDiscard={() => {
          closeDraft();
          ws.announce('Drawing discarded.');
        }}
        onClose={closeDraft}
      />
    );
  }

  if (!feature || ws.selection?.layer !== 'areas') return null;
  const id = ws.selection.id;
  const props = feature.properties;
  const savedGeometry = feature.geometry as AreaGeometry;
  const editing = areas.edit?.id === id ? areas.edit : null;
  return (
    <AreaPanel
      {...common}
      kind="saved"
      key={id}
      area={props}
      geometry={editing?.geometry ?? savedGeometry}
      shape={shapeOfMode(props.shape)}
      statsKey={`saved:${id}:${String(props.version)}`}
      loadStats={(q, signal) => api.areaStats(id, q, signal)}
      editingShape={!!editing}
      shapeChanged={!!editing && geometryKey(editing.geometry) !== geometryKey(savedGeometry)}
      onEditShape={() => {
        areas.setProblem(null);
        areas.setEdit({ id, geometry: savedGeometry });
        ws.setPendingFit(geometryBounds(savedGeometry));
      }}
      onStopEditShape={() => {
        areas.setEdit(null);
        areas.setCrossing(null);
        areas.setProblem(null);
      }}
      onUpdate={async (input, version) => {
        const saved = await api.updateAsset('areas', id, version, input);
        await areas.load();
        void scope.reload().catch(() => undefined);
        areas.setEdit(null);
        areas.setCrossing(null);
        ws.announce(`Area saved.${saved.warnings?.length ? ` ${saved.warnings.join(' ')}` : ''}`);
      }}
      onDelete={async (version) => {
        await api.deleteAsset('areas', id, version);
        ws.setSelection(null);
        areas.setEdit(null);
        await areas.load();
        if (scope.key === `area:${id}`) scope.choose(scope.options?.home.key && scope.options.home.key !== scope.key ? scope.options.home.key : 'study-area');
        void scope.reload().catch(() => undefined);
        ws.announce('Area deleted.');
      }}
      onReload={async () => {
        await areas.load();
      }}
      onExport={async (kind, q) => {
        const file = await api.downloadAreaExport(id, kind, q);
        saveBlob(file.blob, fileNameFromDisposition(file.disposition, areaExportFileName(String(props.name ?? 'area'), kind)));
      }}
      onClose={() => {
        ws.setSelection(null);
        areas.setEdit(null);
        areas.setCrossing(null);
      }}
    />
  );
}
