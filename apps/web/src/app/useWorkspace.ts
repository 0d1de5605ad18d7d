import { useEffect, useMemo, useRef, useState } from 'react';
import type { AssetKind, BBox, ClientConfig, Me, Position } from '@safer-places/schemas';
import type { ApiClient } from '../api/client';
import type { MapSelection, MapViewHandle } from '../map/MapView';
import { ID_FIELD } from '../map/layers';
import { useRemote } from '../shared/remote';
import { useToast } from '../shared/useToast';
import type { MapPreferences } from '../features/map/useMapPreferences';
import { useMapLayers } from '../features/map/useMapLayers';
import { useCrimeStats } from '../features/map/useCrimeStats';
import { useAreas } from '../features/areas/useAreas';
import { useHotspots } from '../features/hotspots/useHotspots';
import { useScope } from '../features/scope/useScope';
import { scopeFitBox } from '../features/scope/scopeState';
import { usePlanner } from '../features/planner/usePlanner';
import type { PlannerPickKind } from '../features/planner/PlannerPanel';
import type { FormKind } from '../features/assets/itemForm';
import { UPLOAD_KINDS } from '../features/upload/upload';
import { useBidWorkspace } from '../features/bids/useBidMap';
import { escapeStep, type AdminView, type Tool } from './panels';
import { useUrlView } from './useUrlView';

export interface WorkspaceProps {
  api: ApiClient;
  me: Me;
  config: ClientConfig;
  prefs: MapPreferences;
}

/** A map click the planner is waiting for (a patrol start, a "what if" camera). */
export interface PlannerPick {
  kind: PlannerPickKind;
  hint: string;
  onPoint(p: Position): void;
}

/**
 * The signed-in workspace's state: the feature hooks (map layers, crime figures, areas, hot spots, bids, planner,
 * scope) and what is open over them (the selected item, adding, the analysis panel, the views over the map). It lives
 * as long as one session: the session gate remounts it for another user.
 */
export function useWorkspace({ api, me, config, prefs }: WorkspaceProps) {
  const { toast, announce } = useToast();
  const mapHandle = useRef<MapViewHandle>(null);
  const [baseMap, setBaseMap] = useState<'remote' | 'offline' | null>(null);
  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [addKind, setAddKind] = useState<'cameras' | 'help-points' | null>(null);
  const [addPoint, setAddPoint] = useState<Position | null>(null);
  const [tool, setTool] = useState<Tool | null>(null);
  const [uploadOpen, setUploadOpen] = useState(false);
  const [strategicOpen, setStrategicOpen] = useState(false);
  const [adminView, setAdminView] = useState<AdminView | null>(null);
  const [plannerPick, setPlannerPick] = useState<PlannerPick | null>(null);
  const [pendingFit, setPendingFit] = useState<BBox | null>(null);

  // Which datasets exist; the one shown is the controls' choice while it exists, else the server's default.
  const datasetsRemote = useRemote('datasets', () => api.datasets());
  const datasetList = datasetsRemote.value;
  const datasets = datasetList?.datasets ?? null;
  const datasetId = datasets
    ? prefs.datasetId && datasets.some((d) => d.id === prefs.datasetId)
      ? prefs.datasetId
      : (datasetList?.defaultDatasetId ?? datasets[0]?.id ?? null)
    : prefs.datasetId;
  const dataset = useMemo(() => datasets?.find((d) => d.id === datasetId) ?? null, [datasets, datasetId]);
  const chooseDataset = (id: string) => {
    setSelection(null);
    prefs.setDatasetId(id);
  };

  // The place every analysis runs on (the header's picker; kept in the URL). Ready once `scope.key` is set.
  const scope = useScope({ api, datasetId, enabled: true });
  const scopeKey = scope.status === 'loading' ? null : scope.key;
  const map = useMapLayers({ api, datasetId: datasets ? datasetId : null, scopeKey, scopeLabel: scope.label, lsoaGeometry: tool === 'bid' });
  const stats = useCrimeStats({ api, dataset, scopeKey, category: prefs.category, periodChoice: prefs.periodChoice, custom: prefs.custom });
  const areas = useAreas({ api, onLoadError: map.setError });
  const hotspots = useHotspots({ api, open: tool === 'hotspots', dataset, datasetId, scopeKey });
  const bid = useBidWorkspace({ open: tool === 'bid', lsoas: map.layers.lsoas });
  const planner = usePlanner(dataset, map.layers.cameras, map.layers['help-points'], scopeKey);
  // The map shows the whole place at landing and whenever another place is chosen (a map view is already in view),
  // unless a shared link says where to look (urlView.allowFit below).
  const scopeFit = useMemo(() => scopeFitBox(scope.fit, stats.stats, stats.stats?.scope?.key ?? null), [scope.fit, stats.stats]);

  const loadError = map.error ?? (datasetsRemote.remote.state === 'error' ? datasetsRemote.remote.message : null);
  const dataReady = map.allLoaded && areas.loaded && stats.settled;
  const canWrite = (kind: AssetKind) => me.canWrite.includes(kind);
  const uploadKinds = UPLOAD_KINDS.filter((k) => canWrite(k));

  const selectedFeature = useMemo(() => {
    if (!selection) return null;
    const fc = selection.layer === 'areas' ? areas.layer : selection.layer === 'lsoas' ? map.pickedLsoas : map.layers[selection.layer];
    return fc?.features.find((f) => String(f.properties[ID_FIELD[selection.layer]]) === selection.id) ?? null;
  }, [selection, map.layers, map.pickedLsoas, areas.layer]);

  const closeBid = () => {
    setTool((t) => (t === 'bid' ? null : t));
    bid.close();
  };
  const closeHotspots = () => {
    setTool((t) => (t === 'hotspots' ? null : t));
    hotspots.clearSelection();
  };
  const closePlanner = () => {
    setTool((t) => (t === 'planner' ? null : t));
    setPlannerPick(null);
  };
  /** Opening an analysis panel closes the other one, any drawing tool, the strategic view and what was selected. */
  const openTool = (next: Tool) => {
    if (tool === 'bid') bid.close();
    if (tool === 'hotspots') hotspots.clearSelection();
    setPlannerPick(null);
    areas.setDrawTool(null);
    setStrategicOpen(false);
    setSelection(null);
    setAddKind(null);
    setTool(next);
  };
  const closeTool = (t: Tool) => (t === 'bid' ? closeBid() : t === 'hotspots' ? closeHotspots() : closePlanner());

  // The view in the address: restored from a shared link, then kept up to date (see useUrlView).
  const urlView = useUrlView({
    prefs,
    datasetId: datasets ? datasetId : null,
    dataset,
    mapHandle,
    selection,
    selectionShown: selection !== null && selectedFeature !== null,
    setSelection,
    tool,
    openTool,
    closeTool,
    layers: map.layers,
    rememberLsoa: map.rememberLsoa,
    areas,
    setPendingFit,
    dataReady,
    loadFailed: loadError !== null,
    scopeLanded: scopeKey !== null,
    scopeFitSeq: scope.fit?.seq ?? null,
    announce,
  });

  const cancelAdd = () => {
    setAddKind(null);
    setAddPoint(null);
  };

  // Keyboard: Escape undoes the innermost thing first (see escapeStep).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const step = escapeStep({
        lassoActive: bid.lassoActive,
        drawing: !!areas.drawTool,
        reshaping: !!areas.edit,
        draftEditing: !!areas.draft?.editing,
        hasDraft: !!areas.draft,
        adding: !!addKind,
        picking: !!plannerPick,
        strategicOpen,
        adminView,
        tool,
        hasSelection: !!selection,
      });
      if (step === 'cancel-lasso') {
        bid.setLassoActive(false);
        announce('Lasso cancelled.');
      } else if (step === 'cancel-drawing') {
        areas.setDrawTool(null);
        announce('Drawing cancelled.');
      } else if (step === 'cancel-reshape') {
        areas.setEdit(null);
        areas.setCrossing(null);
      } else if (step === 'stop-editing-draft') areas.setDraft({ ...areas.draft!, editing: false });
      else if (step === 'cancel-add') cancelAdd();
      else if (step === 'cancel-pick') setPlannerPick(null);
      else if (step === 'close-strategic') setStrategicOpen(false);
      else if (step === 'close-admin') setAdminView(null);
      else if (step === 'close-tool' && tool) closeTool(tool);
      else if (step === 'clear-selection') setSelection(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // Fit the map to a chosen area once the panel it opens has taken its column.
  useEffect(() => {
    if (!pendingFit) return;
    mapHandle.current?.fitBounds(pendingFit, { maxZoom: 16 });
    setPendingFit(null);
  }, [pendingFit]);

  /** After a write, the layers that show it are read again (help points show their camera's name). */
  const reloadAfterWrite = async (kind: FormKind) => {
    if (kind === 'areas') {
      await areas.load();
      return;
    }
    await map.loadLayer(kind);
    if (kind === 'cameras') await map.loadLayer('help-points');
  };

  return {
    api,
    me,
    config,
    prefs,
    toast,
    announce,
    mapHandle,
    baseMap,
    setBaseMap,
    selection,
    setSelection,
    selectedFeature,
    addKind,
    setAddKind,
    addPoint,
    setAddPoint,
    cancelAdd,
    tool,
    openTool,
    closeTool,
    uploadOpen,
    setUploadOpen,
    uploadKinds,
    strategicOpen,
    setStrategicOpen,
    adminView,
    setAdminView,
    plannerPick,
    setPlannerPick,
    setPendingFit,
    datasets,
    datasetId,
    dataset,
    chooseDataset,
    scope,
    scopeKey,
    // A shared link's map view wins over the place's automatic fit.
    scopeFit: urlView.allowFit(scopeFit),
    urlView,
    map,
    stats,
    areas,
    hotspots,
    bid,
    planner,
    loadError,
    dataReady,
    canWrite,
    reloadAfterWrite,
  };
}

export type WorkspaceState = ReturnType<typeof useWorkspace>;
