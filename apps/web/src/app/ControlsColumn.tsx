import { geometryBounds } from '../features/areas/drawing';
import { DrawTools, SavedAreaList } from '../features/areas/DrawTools';
import { MapControls } from '../features/map/MapControls';
import { shownMeasure } from '../features/map/choropleth';
import { ExportMapControl } from '../features/export/ExportMapControl';
import { ShareControl } from '../features/share/ShareControl';
import { DatasetPicker } from './Header';
import type { WorkspaceState } from './useWorkspace';
import type { Tool } from './panels';

/** One analysis in the controls column: a heading, the button that opens or closes its panel, and what it does. */
function ToolSection(props: { ws: WorkspaceState; tool: Tool; label: string; title: string; button: string; hint: string }) {
  const { ws, tool } = props;
  const open = ws.tool === tool;
  return (
    <section className="control-group" aria-label={props.label}>
      <h2 className="control-group__title">{props.title}</h2>
      <button
        type="button"
        className="button button--block"
        aria-expanded={open}
        disabled={!ws.dataset?.lastMonth}
        onClick={() => (open ? ws.closeTool(tool) : ws.openTool(tool))}
      >
        {props.button}
      </button>
      <p className="hint">{props.hint}</p>
    </section>
  );
}

/** The signed-in controls column: dataset, layers and shading, adding and uploading, drawing, the analyses, reports. */
export function ControlsColumn({ ws }: { ws: WorkspaceState }) {
  const { me, areas } = ws;
  const writableAdd = (['cameras', 'help-points'] as const).filter((k) => ws.canWrite(k));
  const startAdd = (kind: 'cameras' | 'help-points') => {
    if (areas.draft) {
      ws.announce('Save or discard the new drawing first.');
      return;
    }
    ws.setSelection(null);
    ws.setAddPoint(null);
    areas.setDrawTool(null);
    areas.setDraft(null);
    areas.setEdit(null);
    ws.setAddKind(kind);
    ws.prefs.show(kind);
  };
  const startDrawing = (shape: Parameters<typeof areas.setDrawTool>[0]) => {
    areas.setDrawTool(shape);
    if (!shape) return;
    ws.setSelection(null);
    ws.cancelAdd();
    areas.setDraft(null);
    areas.setEdit(null);
    areas.setCrossing(null);
    areas.setProblem(null);
    ws.setStrategicOpen(false);
    if (ws.tool === 'hotspots' || ws.tool === 'bid') ws.closeTool(ws.tool);
  };
  /** Typed or pasted coordinates: the same unsaved drawing a mouse drawing makes, fitted into view. */
  const drawFromCoordinates = (geometry: Parameters<typeof areas.draftFromCoordinates>[0]) => {
    startDrawing(null);
    ws.setSelection(null);
    ws.cancelAdd();
    ws.setStrategicOpen(false);
    if (ws.tool === 'hotspots' || ws.tool === 'bid') ws.closeTool(ws.tool);
    areas.draftFromCoordinates(geometry);
    ws.setPendingFit(geometryBounds(geometry));
  };
  const selectArea = (id: string) => {
    if (areas.draft || areas.drawTool) {
      ws.announce(areas.drawTool ? 'Finish or cancel the drawing first.' : 'Save or discard the new drawing first.');
      return;
    }
    const f = areas.layer?.features.find((x) => String(x.properties.id) === id);
    ws.cancelAdd();
    areas.setEdit(null);
    ws.setStrategicOpen(false);
    areas.setShow(true);
    ws.setSelection({ layer: 'areas', id });
    if (f && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')) ws.setPendingFit(geometryBounds(f.geometry));
  };
  const toggleAdmin = (view: 'audit' | 'users') => {
    areas.setDrawTool(null);
    ws.setStrategicOpen(false);
    ws.setAdminView(ws.adminView === view ? null : view);
  };

  return (
    <>
      {ws.datasets && <DatasetPicker datasets={ws.datasets} value={ws.datasetId} onChange={ws.chooseDataset} />}
      <MapControls
        prefs={ws.prefs}
        dataset={ws.dataset}
        period={ws.stats.period}
        measureNote={shownMeasure(ws.prefs.measure, ws.stats.stats?.lsoas ?? []).substitute ?? null}
        counts={ws.map.counts}
        areas={{ visible: areas.show, onToggle: areas.setShow, count: areas.layer ? areas.layer.features.length : undefined }}
        signedIn
      />
      <ExportMapControl ws={ws} />
      {(writableAdd.length > 0 || ws.uploadKinds.length > 0) && (
        <fieldset className="control-group">
          <legend>Add to the map</legend>
          <div className="button-stack">
            {writableAdd.map((k) => (
              <button key={k} type="button" className="button" aria-pressed={ws.addKind === k} onClick={() => startAdd(k)}>
                {k === 'cameras' ? 'Add camera here' : 'Add help point here'}
              </button>
            ))}
            {ws.uploadKinds.length > 0 && (
              <button
                type="button"
                className="button"
                aria-expanded={ws.uploadOpen}
                onClick={() => {
                  ws.setSelection(null);
                  ws.setAddKind(null);
                  ws.setUploadOpen(!ws.uploadOpen);
                }}
              >
                Upload from a file…
              </button>
            )}
          </div>
          <p className="hint">
            {writableAdd.length > 0 ? 'Choose, then click the map where it goes; or upload GeoJSON or CSV.' : 'Upload GeoJSON (or CSV for points).'}
          </p>
        </fieldset>
      )}
      {ws.canWrite('areas') && <DrawTools active={areas.drawTool} onTool={startDrawing} disabled={!ws.dataReady && !areas.drawTool} onCoordinates={drawFromCoordinates} />}
      <SavedAreaList items={areas.saved} selectedId={ws.selection?.layer === 'areas' ? ws.selection.id : null} onSelect={selectArea} loading={!areas.loaded} />
      <ToolSection
        ws={ws}
        tool="bid"
        label="Bids"
        title="Bids"
        button="Bid: eligible LSOAs and evidence pack"
        hint="Find the LSOAs a funding round allows, choose the target area, download the evidence pack."
      />
      <ToolSection
        ws={ws}
        tool="planner"
        label="Patrols and CCTV"
        title="Patrols and CCTV"
        button="Patrols and CCTV"
        hint="Patrol plans with a dosage log, CCTV coverage gaps, new and re-deployable camera sites, help points."
      />
      <ToolSection
        ws={ws}
        tool="hotspots"
        label="Hot spots"
        title="Hot spots"
        button="Hot spot analysis"
        hint="Gi* hot and cold spots with the top spots to patrol, change over time, or density."
      />
      <section className="control-group" aria-label="Reports">
        <h2 className="control-group__title">Reports</h2>
        <button
          type="button"
          className="button button--block"
          aria-expanded={ws.strategicOpen}
          onClick={() => {
            areas.setDrawTool(null);
            ws.setStrategicOpen(!ws.strategicOpen);
          }}
        >
          Strategic assessment
        </button>
        <p className="hint">Last 12 months against the previous 12 for each district or CSP, with a CSV.</p>
        {me.role === 'admin' && (
          <>
            <button type="button" className="button button--block" aria-expanded={ws.adminView === 'audit'} onClick={() => toggleAdmin('audit')}>
              Audit log
            </button>
            <p className="hint">Who changed, uploaded or exported what, and refused requests.</p>
            <button type="button" className="button button--block" aria-expanded={ws.adminView === 'users'} onClick={() => toggleAdmin('users')}>
              Users
            </button>
            <p className="hint">Invite colleagues, set their role and the covert cameras permission, disable an account.</p>
          </>
        )}
      </section>
      <ShareControl getLink={ws.urlView.shareLink} announce={ws.announce} problems={ws.urlView.problems} onDismissProblems={ws.urlView.dismissProblems} />
      {ws.scope.problem && (
        <p className="message message--info" role="status" data-testid="scope-problem">
          {ws.scope.problem}
        </p>
      )}
      {ws.stats.error && <p className="message message--error" role="alert">{ws.stats.error}</p>}
    </>
  );
}
