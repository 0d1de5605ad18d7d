import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  ASSET_KINDS,
  LAYER_NAMES,
  selectionLabel,
  type AssetInputByKind,
  type AreaGeometry,
  type AssetKind,
  type BBox,
  type CategorySelection,
  type ClientConfig,
  type DatasetSummary,
  type Geometry,
  type LayerName,
  type LsoaStats,
  type Me,
  type Measure,
  type Position,
  type Permission,
  type Role,
} from '@safer-places/schemas';
import { createApiClient, describeError, type AreaStatsQuery, type LayerCollection } from './api/client';
import { forgetCognitoTokens } from './auth/session';
import { useCognitoSignIn } from './auth/useCognitoSignIn';
import { buildChoropleth, type MeasureRow } from './lib/choropleth';
import { PERIOD_CHOICES, resolvePeriod, type PeriodChoice } from './lib/period';
import { DEFAULT_AREA_QUERY, resolveAreaPeriod, type AreaQueryState } from './lib/areaQuery';
import { DRAW_TOOLS, geometryBounds, geometryKey, shapeOfMode, type AreaShape } from './lib/drawing';
import { areaExportFileName, fileNameFromDisposition, saveBlob, strategicExportFileName } from './lib/download';
import { rankOf } from './lib/rank';
import type { FormKind } from './lib/assets';
import { coverageCollection } from './map/coverage';
import { ID_FIELD } from './map/layers';
import { MapView, type MapSelection, type MapViewHandle } from './map/MapView';
import type { DrawingState } from './map/areaDrawing';
import { ChoroplethControls, LayerControls } from './components/Controls';
import { DatasetPicker, SignIn, SyntheticBadge } from './components/Header';
import { Footer } from './components/Footer';
import { Legend } from './components/Legend';
import { AddPanel, AssetPanel, LsoaPanel } from './components/SidePanel';
import { AreaPanel } from './components/AreaPanel';
import { DrawTools, SavedAreaList } from './components/DrawTools';
import { StrategicView } from './components/StrategicView';
import type { StrategicGroupBy } from './api/client';
import { AuditLogView } from './components/AuditLogView';
import { UsersPanel } from './features/users';
import { HotspotPanel } from './components/HotspotPanel';
import { PlannerPanel, type PlannerPickKind } from './components/PlannerPanel';
import { usePlanner } from './components/PlannerState';
import { BidPanel } from './components/BidPanel';
import { UploadPanel } from './components/UploadPanel';
import { UPLOAD_KINDS } from './lib/upload';
import { geometryCollection, lassoCodes, lsoaSubset, toggleCodes } from './lib/bids';
import type { SelectionResult } from '@safer-places/schemas';
import { DEFAULT_HOTSPOT_QUERY, hotspotLegend, hotspotMapState, resolveHotspotPeriod, type HotspotAnswer, type HotspotQueryState } from './lib/hotspots';
import { hotspotExportFileName } from './lib/download';
import { NEUTRAL_LSOA_PAINT } from './map/layers';
import { periodLabel } from './lib/period';
import { ScopePicker } from './features/scope/ScopePicker';
import { useScope } from './features/scope/useScope';
import { answerScope, bidScopeFor, scopeFitBox } from './features/scope/scopeState';

const TOKEN_KEY = 'saferPlaces.token';
const ALL_VISIBLE: Record<LayerName, boolean> = { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true };
type Layers = Partial<Record<LayerName, LayerCollection>>;

/**
 * Below this width the area panel leaves the map under about 760 px (the sidebar, the wide panel and the map), so the
 * legend folds away while the panel is open and the drawn area stays in view.
 */
const NARROW_MAP_QUERY = '(max-width: 1480px)';

function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => typeof window !== 'undefined' && window.matchMedia?.(query).matches === true);
  useEffect(() => {
    const mq = window.matchMedia?.(query);
    if (!mq) return;
    const on = () => setMatches(mq.matches);
    on();
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [query]);
  return matches;
}

function readToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function writeToken(token: string | null) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* private mode: the token lives for this page only */
  }
}

export function App() {
  const [token, setToken] = useState<string | null>(readToken);
  // Set wherever the token changes; a refreshed Cognito token changes only this ref (the API calls use it) and not
  // `token`, so a refresh does not reload the user and the map.
  const tokenRef = useRef(token);
  const [sessionMessage, setSessionMessage] = useState<string | null>(null);

  const signOut = useCallback((message: string | null = null) => {
    writeToken(null);
    forgetCognitoTokens();
    tokenRef.current = null;
    setToken(null);
    setSessionMessage(message);
  }, []);

  const api = useMemo(
    () => createApiClient({ getToken: () => tokenRef.current, onUnauthorized: () => signOut('Your session has ended. Please sign in again.') }),
    [signOut],
  );

  const [config, setConfig] = useState<ClientConfig | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const cognito = useCognitoSignIn(config?.cognito, {
    signedIn: token !== null,
    getToken: () => tokenRef.current,
    onToken: (idToken, kind) => {
      writeToken(idToken);
      tokenRef.current = idToken;
      if (kind === 'new') {
        setSessionMessage(null);
        setToken(idToken);
      }
    },
    onEnded: signOut,
    onMessage: setSessionMessage,
  });
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [datasetId, setDatasetId] = useState<string | null>(null);
  const [layers, setLayers] = useState<Layers>({});
  const [layerError, setLayerError] = useState<string | null>(null);
  const [visible, setVisible] = useState<Record<LayerName, boolean>>(ALL_VISIBLE);
  const [showCoverage, setShowCoverage] = useState(false);
  const [measure, setMeasure] = useState<Measure>('rate');
  const [category, setCategory] = useState<CategorySelection>('all-crime');
  const [periodChoice, setPeriodChoice] = useState<PeriodChoice>('last-12');
  const [custom, setCustom] = useState({ from: '', to: '' });
  const [stats, setStats] = useState<LsoaStats | null>(null);
  const [statsState, setStatsState] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const [statsError, setStatsError] = useState<string | null>(null);
  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [addKind, setAddKind] = useState<'cameras' | 'help-points' | null>(null);
  const [draft, setDraft] = useState<Position | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [baseMap, setBaseMap] = useState<'remote' | 'offline' | null>(null);
  const mapHandle = useRef<MapViewHandle>(null);
  // Drawn areas: the saved ones (a layer of their own), the tool in use, an unsaved drawing, a saved one being reshaped.
  const [areasLayer, setAreasLayer] = useState<LayerCollection | null>(null);
  const [areasLoaded, setAreasLoaded] = useState(false);
  const [showAreas, setShowAreas] = useState(true);
  const [drawTool, setDrawTool] = useState<AreaShape | null>(null);
  const [areaDraft, setAreaDraft] = useState<{ geometry: AreaGeometry; shape: AreaShape; editing: boolean } | null>(null);
  const [areaEdit, setAreaEdit] = useState<{ id: string; geometry: AreaGeometry } | null>(null);
  const [areaQuery, setAreaQuery] = useState<AreaQueryState>(DEFAULT_AREA_QUERY);
  const [crossing, setCrossing] = useState<Position | null>(null);
  const [drawProblem, setDrawProblem] = useState<string | null>(null);
  const [strategicOpen, setStrategicOpen] = useState(false);
  const [auditOpen, setAuditOpen] = useState(false);
  const [usersOpen, setUsersOpen] = useState(false);
  // Hot spot analysis: the panel's choices survive closing it; the answer and what is selected in it do not.
  const [hotspotOpen, setHotspotOpen] = useState(false);
  const [hotspotQuery, setHotspotQuery] = useState<HotspotQueryState>(DEFAULT_HOTSPOT_QUERY);
  const [hotspotAnswer, setHotspotAnswer] = useState<HotspotAnswer | null>(null);
  const [hotspotCell, setHotspotCell] = useState<number | null>(null);
  const [hotspotSpot, setHotspotSpot] = useState<string | null>(null);
  // Patrols and CCTV (the planner): open or not, and the map click it is waiting for (a start, a "what if" camera).
  const [plannerOpen, setPlannerOpen] = useState(false);
  const [plannerPick, setPlannerPick] = useState<{ kind: PlannerPickKind; hint: string; onPoint(p: Position): void } | null>(null);
  // Bid writing: the panel, the eligible and chosen LSOAs, the target area's geometries, and the lasso.
  const [bidOpen, setBidOpen] = useState(false);
  const [bidSelection, setBidSelection] = useState<string[]>([]);
  const [bidEligible, setBidEligible] = useState<string[]>([]);
  const [bidResult, setBidResult] = useState<SelectionResult | null>(null);
  const [lassoActive, setLassoActive] = useState(false);
  const [uploadOpen, setUploadOpen] = useState(false);
  const [pendingFit, setPendingFit] = useState<BBox | null>(null);
  const narrowMap = useMediaQuery(NARROW_MAP_QUERY);
  const areaEditRef = useRef(areaEdit);
  areaEditRef.current = areaEdit;

  const announce = useCallback((message: string) => {
    setToast(message);
  }, []);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(t);
  }, [toast]);

  // 1. Public configuration.
  useEffect(() => {
    api.config().then(setConfig, (err) => setFatal(`The Safer Places server could not be reached: ${describeError(err)}`));
  }, [api]);

  // 2. Who am I, and which datasets exist.
  useEffect(() => {
    setMe(null);
    setDatasets(null);
    setLayers({});
    setSelection(null);
    setAddKind(null);
    setDraft(null);
    setAreasLayer(null);
    setAreasLoaded(false);
    setDrawTool(null);
    setAreaDraft(null);
    setAreaEdit(null);
    setCrossing(null);
    setDrawProblem(null);
    setStrategicOpen(false);
    setAuditOpen(false);
    setUsersOpen(false);
    setHotspotOpen(false);
    setHotspotAnswer(null);
    setPlannerOpen(false);
    setPlannerPick(null);
    planner.reset(); // another user, maybe another organisation: nothing of the last one's answers stays
    setBidOpen(false);
    setBidSelection([]);
    setBidEligible([]);
    setBidResult(null);
    setLassoActive(false);
    setUploadOpen(false);
    if (!token) return;
    let cancelled = false;
    (async () => {
      try {
        const who = await api.me();
        if (cancelled) return;
        setMe(who);
        const ds = await api.datasets();
        if (cancelled) return;
        setDatasets(ds.datasets);
        setDatasetId((current) =>
          current && ds.datasets.some((d) => d.id === current) ? current : (ds.defaultDatasetId ?? ds.datasets[0]?.id ?? null),
        );
      } catch (err) {
        if (!cancelled) setLayerError(describeError(err));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, token]);

  const dataset = useMemo(() => datasets?.find((d) => d.id === datasetId) ?? null, [datasets, datasetId]);
  // The place every analysis runs on (the header's picker; kept in the URL). Ready once `scope.key` is set.
  const scope = useScope({ api, datasetId, enabled: !!me });
  const scopeKey = scope.status === 'loading' ? null : scope.key;
  const scopeKeyRef = useRef(scopeKey);
  scopeKeyRef.current = scopeKey;
  const planner = usePlanner(dataset, layers.cameras, layers['help-points'], scopeKey);
  // The scope the LSOA layer on the map was loaded for (the map fits the place once its LSOAs are in).
  const [lsoasScope, setLsoasScope] = useState<string | null>(null);

  // 3. Layer data. The LSOA layer holds the scope's LSOAs only; the organisation's layers are not scoped.
  const loadLayer = useCallback(
    async (name: LayerName, bbox?: BBox) => {
      const key = scopeKeyRef.current;
      const fc = await api.layer(name, {
        ...(name === 'lsoas' && datasetId ? { dataset: datasetId } : {}),
        ...(name === 'lsoas' && key ? { scope: key } : {}),
        ...(bbox ? { bbox: bbox.map((n) => n.toFixed(5)).join(',') } : {}),
      });
      if (name === 'lsoas' && key !== scopeKeyRef.current) return fc; // the place changed meanwhile
      setLayers((prev) => ({ ...prev, [name]: fc }));
      if (name === 'lsoas') setLsoasScope(key);
      return fc;
    },
    [api, datasetId],
  );

  useEffect(() => {
    if (!me || !datasetId) return;
    setLayers({});
    setLayerError(null);
    let cancelled = false;
    Promise.all(LAYER_NAMES.filter((l) => l !== 'lsoas').map((l) => loadLayer(l))).catch((err) => {
      if (!cancelled) setLayerError(`Some map layers could not be loaded: ${describeError(err)}`);
    });
    return () => {
      cancelled = true;
    };
  }, [me, datasetId, loadLayer]);

  // The LSOAs of the place, again whenever the place changes.
  useEffect(() => {
    if (!me || !datasetId || !scopeKey) return;
    let cancelled = false;
    loadLayer('lsoas').catch((err) => {
      if (!cancelled) setLayerError(`The LSOAs of ${scope.label || 'the place'} could not be loaded: ${describeError(err)}`);
    });
    return () => {
      cancelled = true;
    };
  }, [me, datasetId, scopeKey, loadLayer]);

  // The map shows the whole place at landing and whenever another place is chosen (a map view is already in view).
  const scopeFit = useMemo(() => scopeFitBox(scope.fit, layers.lsoas, lsoasScope), [scope.fit, layers.lsoas, lsoasScope]);

  // The organisation's drawn areas (the same for every dataset).
  const loadAreas = useCallback(async () => {
    const fc = await api.layer('areas');
    setAreasLayer(fc);
    return fc;
  }, [api]);
  useEffect(() => {
    if (!me) return;
    let cancelled = false;
    loadAreas()
      .catch((err) => {
        if (!cancelled) setLayerError(`Drawn areas could not be loaded: ${describeError(err)}`);
      })
      .finally(() => {
        if (!cancelled) setAreasLoaded(true);
      });
    return () => {
      cancelled = true;
    };
  }, [me, loadAreas]);

  // Layers the server cut short are re-read for the area in view.
  const truncatedRef = useRef<LayerName[]>([]);
  truncatedRef.current = LAYER_NAMES.filter((l) => layers[l]?.truncated);
  const viewTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onViewChange = useCallback(
    (bbox: BBox) => {
      if (truncatedRef.current.length === 0) return;
      if (viewTimer.current) clearTimeout(viewTimer.current);
      viewTimer.current = setTimeout(() => {
        for (const l of truncatedRef.current) void loadLayer(l, bbox).catch(() => undefined);
      }, 400);
    },
    [loadLayer],
  );

  // 4. Crime statistics for the chosen category and period.
  const period = useMemo(
    () => (dataset ? resolvePeriod(periodChoice, dataset, custom) : null),
    [dataset, periodChoice, custom],
  );
  const periodKey = period?.ok ? `${period.range.from}:${period.range.to}` : null;
  useEffect(() => {
    if (!me || !dataset || !scopeKey) return;
    if (!period || !period.ok) {
      setStatsState('done');
      setStatsError(null);
      return;
    }
    const controller = new AbortController();
    setStatsState('loading');
    api
      .stats({ dataset: dataset.id, scope: scopeKey, category, from: period.range.from, to: period.range.to }, controller.signal)
      .then((s) => {
        setStats(s);
        setStatsError(null);
        setStatsState('done');
      })
      .catch((err) => {
        if ((err as Error).name === 'AbortError') return;
        setStatsError(`Crime figures could not be loaded: ${describeError(err)}`);
        setStatsState('error');
      });
    return () => controller.abort();
  }, [api, me, dataset, category, periodKey, scopeKey]);

  // Custom range starts from the current preset so the inputs are never empty.
  const onPeriod = (choice: PeriodChoice) => {
    if (choice === 'custom' && period?.ok && !custom.from) setCustom({ from: period.range.from, to: period.range.to });
    setPeriodChoice(choice);
  };

  // Derived map state.
  const lsoaFeatures = layers.lsoas?.features;
  const allCodes = useMemo(() => lsoaFeatures?.map((f) => String(f.properties.code)) ?? [], [lsoaFeatures]);
  const choropleth = useMemo(() => {
    let rows: MeasureRow[];
    if (measure === 'imd-decile') {
      rows = (lsoaFeatures ?? []).map((f) => ({ code: String(f.properties.code), imdDecile: f.properties.imdDecile as number | null }));
    } else {
      rows = stats?.lsoas ?? [];
    }
    return buildChoropleth(measure, rows, allCodes);
  }, [measure, stats, lsoaFeatures, allCodes]);
  const choroplethPaint = useMemo(
    () => ({ classByCode: choropleth.classByCode, colours: choropleth.colours, noDataColour: choropleth.noDataColour }),
    [choropleth],
  );
  const cameras = layers.cameras;
  const coverage = useMemo(() => (showCoverage && cameras ? coverageCollection(cameras) : null), [showCoverage, cameras]);
  const statsRows = useMemo(() => new Map((stats?.lsoas ?? []).map((r) => [r.code, r])), [stats]);
  // Which place the shading's classes and ranks are within: what the statistics answer says, else the LSOA layer.
  const choroplethScope = answerScope(stats) ?? layers.lsoas?.scope ?? null;

  const allLayersLoaded = LAYER_NAMES.every((l) => layers[l] !== undefined);
  const dataReady = !!me && allLayersLoaded && areasLoaded && (statsState === 'done' || statsState === 'error');

  const counts = useMemo(() => {
    const c: Partial<Record<LayerName, number>> = {};
    for (const l of LAYER_NAMES) if (layers[l]) c[l] = layers[l]!.features.length;
    return c;
  }, [layers]);

  const selectedFeature = useMemo(() => {
    if (!selection) return null;
    const fc = selection.layer === 'areas' ? areasLayer : layers[selection.layer];
    return fc?.features.find((f) => String(f.properties[ID_FIELD[selection.layer]]) === selection.id) ?? null;
  }, [selection, layers, areasLayer]);

  const savedAreas = useMemo(
    () =>
      (areasLayer?.features ?? [])
        .map((f) => ({ id: String(f.properties.id), name: String(f.properties.name ?? 'Unnamed area'), theme: String(f.properties.theme ?? '') }))
        .sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
    [areasLayer],
  );

  /** What the map's drawing layer does: draw a new shape, show or edit an unsaved one, reshape a saved one. */
  const drawing = useMemo<DrawingState>(() => {
    if (lassoActive) return { kind: 'draw', tool: 'freehand' };
    if (drawTool) return { kind: 'draw', tool: drawTool };
    if (areaEdit) return { kind: 'edit', geometry: areaEdit.geometry };
    if (areaDraft) return { kind: areaDraft.editing ? 'edit' : 'show', geometry: areaDraft.geometry };
    return { kind: 'none' };
  }, [drawTool, areaEdit, areaDraft, lassoActive]);

  const cameraOptions = useMemo(
    () => (cameras?.features ?? []).map((f) => ({ value: String(f.properties.id), label: String(f.properties.name) })),
    [cameras],
  );

  const canWrite = (kind: AssetKind) => !!me?.canWrite.includes(kind);

  // Keyboard: Escape cancels drawing (or reshaping), leaves "add" mode, closes the strategic view, then the panel.
  // An unsaved drawing is never thrown away by Escape: its panel has Discard for that.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      if (lassoActive) {
        setLassoActive(false);
        announce('Lasso cancelled.');
      } else if (drawTool) {
        setDrawTool(null);
        announce('Drawing cancelled.');
      } else if (areaEdit) {
        setAreaEdit(null);
        setCrossing(null);
      } else if (areaDraft?.editing) {
        setAreaDraft({ ...areaDraft, editing: false });
      } else if (addKind) {
        setAddKind(null);
        setDraft(null);
      } else if (plannerPick) setPlannerPick(null);
      else if (strategicOpen) setStrategicOpen(false);
      else if (auditOpen) setAuditOpen(false);
      else if (usersOpen) setUsersOpen(false);
      else if (hotspotOpen && !selection) closeHotspots();
      else if (plannerOpen && !selection) closePlanner();
      else if (selection && !areaDraft) setSelection(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [addKind, selection, drawTool, areaEdit, areaDraft, strategicOpen, auditOpen, usersOpen, hotspotOpen, lassoActive, announce, plannerPick, plannerOpen]);

  // While hot spots are shown the LSOA shading turns plain (outlines stay for orientation), so the cells carry the
  // only colour on the map; closing the panel brings the shading back.
  const openBid = () => {
    closePlanner();
    setDrawTool(null);
    setStrategicOpen(false);
    setSelection(null);
    setAddKind(null);
    if (hotspotOpen) closeHotspots();
    setBidOpen(true);
  };
  const closeBid = () => {
    setBidOpen(false);
    setLassoActive(false);
    setBidEligible([]);
    setBidResult(null);
  };
  const bidLayerData = useMemo(() => {
    if (!bidOpen) return null;
    return {
      eligible: lsoaSubset(layers.lsoas, new Set(bidEligible)),
      selection: lsoaSubset(layers.lsoas, new Set(bidSelection)),
      target: geometryCollection(bidResult?.target),
      buffer: geometryCollection(bidResult?.buffer),
      comparison: geometryCollection(bidResult?.comparison.geometry),
    };
  }, [bidOpen, layers.lsoas, bidEligible, bidSelection, bidResult]);

  const openHotspots = () => {
    if (bidOpen) closeBid();
    closePlanner();
    setDrawTool(null);
    setStrategicOpen(false);
    setSelection(null);
    setAddKind(null);
    setHotspotOpen(true);
  };
  // The planner also turns the LSOA shading plain while open: its gap cells and route carry the colour.
  const openPlanner = () => {
    if (bidOpen) closeBid();
    if (hotspotOpen) closeHotspots();
    setDrawTool(null);
    setStrategicOpen(false);
    setSelection(null);
    setAddKind(null);
    setPlannerOpen(true);
  };
  function closePlanner() {
    setPlannerOpen(false);
    setPlannerPick(null);
  }
  const closeHotspots = () => {
    setHotspotOpen(false);
    setHotspotAnswer(null);
    setHotspotCell(null);
    setHotspotSpot(null);
  };
  const loadHotspots = useCallback(
    async (q: HotspotQueryState, signal: AbortSignal): Promise<HotspotAnswer> => {
      const period = resolveHotspotPeriod(q.period, dataset);
      const common = {
        ...(datasetId && { dataset: datasetId }),
        ...(scopeKey && { scope: scopeKey }),
        categories: q.categories,
        ...(period && { from: period.from, to: period.to }),
        ...(q.cellSize !== 'auto' && { cellSize: q.cellSize }),
        shape: q.shape,
      };
      setHotspotCell(null);
      setHotspotSpot(null);
      if (q.mode === 'change') return { mode: 'change', result: await api.hotspotChange({ ...common, correction: q.correction, periods: q.periods }, signal) };
      if (q.mode === 'density') {
        return { mode: 'density', result: await api.density({ ...common, ...(q.bandwidth !== 'auto' && { bandwidth: q.bandwidth }), perResidents: q.perResidents }, signal) };
      }
      return { mode: 'gi', result: await api.hotspots({ ...common, correction: q.correction, top: q.top }, signal) };
    },
    [api, dataset, datasetId, scopeKey],
  );
  const exportTopHotspots = async () => {
    const period = resolveHotspotPeriod(hotspotQuery.period, dataset);
    const file = await api.downloadTopHotspotsCsv({
      ...(datasetId && { dataset: datasetId }),
      ...(scopeKey && { scope: scopeKey }),
      categories: hotspotQuery.categories,
      ...(period && { from: period.from, to: period.to }),
      ...(hotspotQuery.cellSize !== 'auto' && { cellSize: hotspotQuery.cellSize }),
      shape: hotspotQuery.shape,
      correction: hotspotQuery.correction,
      top: hotspotQuery.top,
    });
    saveBlob(file.blob, fileNameFromDisposition(file.disposition, hotspotExportFileName(period)));
  };
  const hotspotMap = useMemo(() => hotspotMapState(hotspotAnswer, { cell: hotspotCell, spot: hotspotSpot }), [hotspotAnswer, hotspotCell, hotspotSpot]);
  const hotspotLegendData = useMemo(
    () => (hotspotAnswer ? hotspotLegend(hotspotAnswer, periodLabel(hotspotAnswer.result.period.from, hotspotAnswer.result.period.to)) : null),
    [hotspotAnswer],
  );

  const startDrawing = (shape: AreaShape | null) => {
    setDrawTool(shape);
    if (!shape) return;
    setSelection(null);
    setAddKind(null);
    setDraft(null);
    setAreaDraft(null);
    setAreaEdit(null);
    setCrossing(null);
    setDrawProblem(null);
    setStrategicOpen(false);
    if (hotspotOpen) closeHotspots();
    if (bidOpen) closeBid();
  };

  const selectArea = (id: string) => {
    if (areaDraft || drawTool) {
      announce(drawTool ? 'Finish or cancel the drawing first.' : 'Save or discard the new drawing first.');
      return;
    }
    const f = areasLayer?.features.find((x) => String(x.properties.id) === id);
    setAddKind(null);
    setDraft(null);
    setAreaEdit(null);
    setStrategicOpen(false);
    setShowAreas(true);
    setSelection({ layer: 'areas', id });
    if (f && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')) setPendingFit(geometryBounds(f.geometry));
  };

  // Fit the map to a chosen area once the panel it opens has taken its column.
  useEffect(() => {
    if (!pendingFit) return;
    mapHandle.current?.fitBounds(pendingFit, { maxZoom: 16 });
    setPendingFit(null);
  }, [pendingFit]);

  const exportArea = async (id: string, name: string, kind: 'csv' | 'geojson', q: AreaStatsQuery) => {
    const file = await api.downloadAreaExport(id, kind, q);
    saveBlob(file.blob, fileNameFromDisposition(file.disposition, areaExportFileName(name, kind)));
  };

  const loadAudit = useCallback((before: string | undefined, signal: AbortSignal) => api.audit({ limit: 50, ...(before && { before }) }, signal), [api]);
  const loadStrategic = useCallback(
    (groupBy: StrategicGroupBy, signal: AbortSignal) =>
      api.strategic({ groupBy, ...(scopeKey && { scope: scopeKey }), ...(datasetId && { dataset: datasetId }) }, signal),
    [api, datasetId, scopeKey],
  );
  const exportStrategic = async (groupBy: StrategicGroupBy) => {
    const file = await api.downloadStrategicCsv({ groupBy, ...(scopeKey && { scope: scopeKey }), ...(datasetId && { dataset: datasetId }) });
    saveBlob(file.blob, fileNameFromDisposition(file.disposition, strategicExportFileName(groupBy, dataset?.lastMonth ?? null, scope.label)));
  };

  const onSignIn = async (role: Role, permissions: Permission[]) => {
    setSigningIn(true);
    setSessionMessage(null);
    try {
      const res = await api.signIn(role, undefined, permissions);
      writeToken(res.token);
      tokenRef.current = res.token;
      setToken(res.token);
    } catch (err) {
      setSessionMessage(`Sign-in failed: ${describeError(err)}`);
    } finally {
      setSigningIn(false);
    }
  };

  const reloadAfterWrite = async (kind: FormKind) => {
    if (kind === 'areas') {
      await loadAreas();
      return;
    }
    await loadLayer(kind);
    if (kind === 'cameras') await loadLayer('help-points'); // help points show their camera's name
  };

  const startAdd = (kind: 'cameras' | 'help-points') => {
    if (areaDraft) {
      announce('Save or discard the new drawing first.');
      return;
    }
    setSelection(null);
    setDraft(null);
    setDrawTool(null);
    setAreaDraft(null);
    setAreaEdit(null);
    setAddKind(kind);
    setVisible((v) => ({ ...v, [kind]: true }));
  };


  const mapRange = period?.ok ? period.range : null;
  const areaPeriod = resolveAreaPeriod(areaQuery.period, mapRange, dataset);
  const mapPeriodLabel = PERIOD_CHOICES.find((c) => c.value === periodChoice)?.label ?? null;
  const areaPanelCommon = {
    query: areaQuery,
    onQuery: setAreaQuery,
    period: areaPeriod,
    mapPeriodLabel,
    datasetId,
    canWrite: canWrite('areas'),
    shapeProblem: drawProblem,
    onCrossing: setCrossing,
  };

  let panel: React.ReactNode = null;
  let panelKind: 'area' | 'other' | null = null;
  if (addKind) {
    panel = (
      <AddPanel
        kind={addKind}
        position={draft}
        cameraOptions={cameraOptions}
        sensitiveCameras={me?.permissions.includes('sensitive-cameras') ?? false}
        onUseCentre={() => setDraft(mapHandle.current?.getCenter() ?? null)}
        onCancel={() => {
          setAddKind(null);
          setDraft(null);
        }}
        onCreate={async (input) => {
          const item = await api.createAsset(addKind, input as AssetInputByKind['cameras']);
          await reloadAfterWrite(addKind);
          setAddKind(null);
          setDraft(null);
          setSelection({ layer: addKind, id: item.id });
          announce(`${ASSET_KINDS[addKind].singular[0]!.toUpperCase()}${ASSET_KINDS[addKind].singular.slice(1)} “${item.name}” added.`);
        }}
      />
    );
  } else if (areaDraft) {
    const d = areaDraft;
    panelKind = 'area';
    panel = (
      <AreaPanel
        {...areaPanelCommon}
        area={null}
        geometry={d.geometry}
        shape={d.shape}
        statsKey={`draft:${geometryKey(d.geometry)}`}
        loadStats={(q, signal) => api.analyseArea(d.geometry, q, signal)}
        editingShape={d.editing}
        shapeChanged={false}
        onEditShape={() => {
          setDrawProblem(null);
          setAreaDraft({ ...d, editing: true });
        }}
        onStopEditShape={() => setAreaDraft({ ...d, editing: false })}
        onCreate={async (input) => {
          const item = await api.createAsset('areas', input);
          await loadAreas();
          void scope.reload().catch(() => undefined); // the new area is a place to pick
          setAreaDraft(null);
          setCrossing(null);
          setShowAreas(true);
          setSelection({ layer: 'areas', id: item.id });
          announce(`Area “${item.name}” saved.${item.warnings?.length ? ` ${item.warnings.join(' ')}` : ''}`);
        }}
        onDiscard={() => {
          setAreaDraft(null);
          setCrossing(null);
          setDrawProblem(null);
          announce('Drawing discarded.');
        }}
        onUpdate={async () => undefined}
        onDelete={async () => undefined}
        onReload={async () => undefined}
        onExport={async () => undefined}
        onClose={() => {
          setAreaDraft(null);
          setCrossing(null);
          setDrawProblem(null);
        }}
      />
    );
  } else if (selection && selectedFeature) {
    if (selection.layer === 'areas') {
      const id = selection.id;
      const props = selectedFeature.properties;
      const savedGeometry = selectedFeature.geometry as AreaGeometry;
      const editing = areaEdit?.id === id ? areaEdit : null;
      panelKind = 'area';
      panel = (
        <AreaPanel
          {...areaPanelCommon}
          key={id}
          area={props}
          geometry={editing?.geometry ?? savedGeometry}
          shape={shapeOfMode(props.shape)}
          statsKey={`saved:${id}:${String(props.version)}`}
          loadStats={(q, signal) => api.areaStats(id, q, signal)}
          editingShape={!!editing}
          shapeChanged={!!editing && geometryKey(editing.geometry) !== geometryKey(savedGeometry)}
          onEditShape={() => {
            setDrawProblem(null);
            setAreaEdit({ id, geometry: savedGeometry });
            setPendingFit(geometryBounds(savedGeometry));
          }}
          onStopEditShape={() => {
            setAreaEdit(null);
            setCrossing(null);
            setDrawProblem(null);
          }}
          onCreate={async () => undefined}
          onDiscard={() => undefined}
          onUpdate={async (input, version) => {
            const saved = await api.updateAsset('areas', id, version, input);
            await loadAreas();
            void scope.reload().catch(() => undefined);
            setAreaEdit(null);
            setCrossing(null);
            announce(`Area saved.${saved.warnings?.length ? ` ${saved.warnings.join(' ')}` : ''}`);
          }}
          onDelete={async (version) => {
            await api.deleteAsset('areas', id, version);
            setSelection(null);
            setAreaEdit(null);
            await loadAreas();
            if (scope.key === `area:${id}`) scope.choose(scope.options?.home.key && scope.options.home.key !== scope.key ? scope.options.home.key : 'study-area');
            void scope.reload().catch(() => undefined);
            announce('Area deleted.');
          }}
          onReload={async () => {
            await loadAreas();
          }}
          onExport={(kind, q) => exportArea(id, String(props.name ?? 'area'), kind, q)}
          onClose={() => {
            setSelection(null);
            setAreaEdit(null);
            setCrossing(null);
          }}
        />
      );
    } else if (selection.layer === 'lsoas') {
      panel = (
        <LsoaPanel
          properties={selectedFeature.properties}
          row={statsRows.get(selection.id)}
          stats={stats}
          rank={stats ? rankOf(stats.lsoas, selection.id) : null}
          dataset={dataset}
          scopeLabel={choroplethScope?.label ?? scope.label}
          onClose={() => setSelection(null)}
        />
      );
    } else {
      const kind = selection.layer;
      panelKind = 'other';
      panel = (
        <AssetPanel
          kind={kind}
          properties={selectedFeature.properties}
          geometry={selectedFeature.geometry as Geometry}
          canWrite={canWrite(kind)}
          cameraOptions={cameraOptions}
          sensitiveCameras={me?.permissions.includes('sensitive-cameras') ?? false}
          onClose={() => setSelection(null)}
          onSave={async (input, version) => {
            await api.updateAsset(kind, selection.id, version, input as never);
            await reloadAfterWrite(kind);
            announce('Changes saved.');
          }}
          onDelete={async (version) => {
            await api.deleteAsset(kind, selection.id, version);
            setSelection(null);
            await reloadAfterWrite(kind);
            announce(`${ASSET_KINDS[kind].singular[0]!.toUpperCase()}${ASSET_KINDS[kind].singular.slice(1)} deleted.`);
          }}
          onReload={async () => {
            await reloadAfterWrite(kind);
          }}
          {...(kind === 'safer-streets-areas' && {
            evaluate: (q: { start: string; months: number }) => api.evaluation(selection.id, { ...q, ...(datasetId && { dataset: datasetId }) }),
            firstMonth: dataset?.firstMonth ?? null,
            lastMonth: dataset?.lastMonth ?? null,
          })}
        />
      );
    }
  }

  const uploadKinds = UPLOAD_KINDS.filter((k) => canWrite(k));
  if (!panel && uploadOpen && uploadKinds.length > 0) {
    panel = (
      <UploadPanel
        kinds={uploadKinds}
        onUpload={async (kind, items) => {
          const res = await api.importAssets(kind, items);
          await reloadAfterWrite(kind);
          setVisible((v) => ({ ...v, [kind]: true }));
          announce(`${res.created} added to the map.`);
          return res.created;
        }}
        onClose={() => setUploadOpen(false)}
      />
    );
  }
  if (!panel && bidOpen && dataset) {
    panelKind = 'area';
    panel = (
      <BidPanel
        api={api}
        dataset={dataset}
        lsoas={layers.lsoas}
        areas={savedAreas}
        places={scope.options}
        sessionScope={bidScopeFor(scope.scope)}
        sessionScopeKey={scopeKey}
        canWrite={canWrite('bids')}
        canSaveSaferStreets={canWrite('safer-streets-areas')}
        selection={bidSelection}
        onSelection={setBidSelection}
        onEligible={setBidEligible}
        onSelectionResult={setBidResult}
        lassoActive={lassoActive}
        onLasso={(on) => {
          setLassoActive(on);
          if (on) announce('Draw round the LSOAs to add (or remove) with the mouse; click to finish.');
        }}
        onSavedSaferStreets={async (id) => {
          await loadLayer('safer-streets-areas');
          setVisible((v) => ({ ...v, 'safer-streets-areas': true }));
          void id;
        }}
        announce={announce}
        onClose={closeBid}
      />
    );
  }
  if (!panel && hotspotOpen && dataset) {
    panelKind = 'area';
    panel = (
      <HotspotPanel
        dataset={dataset}
        scopeKey={scopeKey}
        scopeLabel={scope.label}
        query={hotspotQuery}
        onQuery={setHotspotQuery}
        load={loadHotspots}
        onAnswer={setHotspotAnswer}
        selectedCell={hotspotCell}
        selectedSpot={hotspotSpot}
        onSelectSpot={(key, position) => {
          setHotspotSpot(key);
          // About 1.5 km across: the spot, its neighbours and the streets around it.
          mapHandle.current?.fitBounds([position[0] - 0.011, position[1] - 0.0065, position[0] + 0.011, position[1] + 0.0065], { maxZoom: 15 });
        }}
        onExportTop={exportTopHotspots}
        onClose={closeHotspots}
      />
    );
  }
  if (!panel && plannerOpen && dataset && me) {
    panelKind = 'area';
    panel = (
      <PlannerPanel
        api={api}
        dataset={dataset}
        scopeKey={scopeKey}
        scopeLabel={scope.label}
        planner={planner}
        canRecord={canWrite('patrol-visits')}
        canEditCameras={canWrite('cameras')}
        picking={plannerPick?.kind ?? null}
        onPick={(kind, hint, onPoint) => {
          setSelection(null);
          setAddKind(null);
          setPlannerPick({ kind, hint, onPoint });
        }}
        onCancelPick={() => setPlannerPick(null)}
        getCentre={() => mapHandle.current?.getCenter() ?? null}
        getView={() => mapHandle.current?.getBounds() ?? null}
        onFocus={(p) => mapHandle.current?.fitBounds([p[0] - 0.011, p[1] - 0.0065, p[0] + 0.011, p[1] + 0.0065], { maxZoom: 15 })}
        onFit={(b) => mapHandle.current?.fitBounds(b, { maxZoom: 16 })}
        onCamerasChanged={async () => {
          await reloadAfterWrite('cameras');
        }}
        announce={announce}
        onClose={closePlanner}
      />
    );
  }

  const synthetic = dataset?.synthetic ?? layers.lsoas?.dataset?.synthetic ?? false;
  const deprivationSource = (lsoaFeatures?.find((f) => f.properties.deprivationSource)?.properties.deprivationSource as string | undefined) ?? null;
  const truncated = LAYER_NAMES.filter((l) => layers[l]?.truncated);
  const writableAdd = (['cameras', 'help-points'] as const).filter((k) => canWrite(k));

  return (
    <div className="app">
      <a className="skip-link" href="#controls">Skip to map controls</a>
      <header className="app-header">
        <div className="brand">
          <h1>Safer Places</h1>
          {synthetic && <SyntheticBadge />}
        </div>
        {me && dataset && (
          <ScopePicker
            api={api}
            scope={scope}
            getView={() => mapHandle.current?.getBounds() ?? null}
            canEditPartnerships={canWrite('partnership-areas')}
            canSetHome={me.role === 'admin'}
            announce={announce}
          />
        )}
        {config && (
          <SignIn devSignIn={config.devSignIn} me={me} busy={signingIn} onSignIn={onSignIn} onSignOut={() => signOut(null)} cognito={cognito} />
        )}
      </header>

      <div className={`app-body${panel ? ' app-body--panel' : ''}${panelKind === 'area' ? ' app-body--area-panel' : ''}`}>
        <aside className="controls" id="controls" aria-label="Map controls" tabIndex={-1}>
          {datasets && <DatasetPicker datasets={datasets} value={datasetId} onChange={(id) => { setSelection(null); setDatasetId(id); }} />}
          <LayerControls
            visible={visible}
            onToggle={(layer, on) => setVisible((v) => ({ ...v, [layer]: on }))}
            showCoverage={showCoverage}
            onCoverage={setShowCoverage}
            counts={counts}
            {...(me && { areas: { visible: showAreas, onToggle: setShowAreas, count: areasLayer ? areasLayer.features.length : undefined } })}
          />
          <ChoroplethControls
            measure={measure}
            onMeasure={setMeasure}
            category={category}
            onCategory={(c) => setCategory(c as CategorySelection)}
            period={periodChoice}
            onPeriod={onPeriod}
            custom={custom}
            onCustom={setCustom}
            firstMonth={dataset?.firstMonth ?? null}
            lastMonth={dataset?.lastMonth ?? null}
            periodError={period && !period.ok ? period.error : null}
            disabled={!me}
          />
          {me && (writableAdd.length > 0 || uploadKinds.length > 0) && (
            <fieldset className="control-group">
              <legend>Add to the map</legend>
              <div className="button-stack">
                {writableAdd.map((k) => (
                  <button key={k} type="button" className="button" aria-pressed={addKind === k} onClick={() => startAdd(k)}>
                    {k === 'cameras' ? 'Add camera here' : 'Add help point here'}
                  </button>
                ))}
                {uploadKinds.length > 0 && (
                  <button
                    type="button"
                    className="button"
                    aria-expanded={uploadOpen}
                    onClick={() => {
                      setSelection(null);
                      setAddKind(null);
                      setUploadOpen(!uploadOpen);
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
          {me && canWrite('areas') && <DrawTools active={drawTool} onTool={startDrawing} disabled={!dataReady && !drawTool} />}
          {me && (
            <SavedAreaList
              items={savedAreas}
              selectedId={selection?.layer === 'areas' ? selection.id : null}
              onSelect={selectArea}
              loading={!areasLoaded}
            />
          )}
          {me && (
            <section className="control-group" aria-label="Bids">
              <h2 className="control-group__title">Bids</h2>
              <button
                type="button"
                className="button button--block"
                aria-expanded={bidOpen}
                disabled={!dataset?.lastMonth}
                onClick={() => (bidOpen ? closeBid() : openBid())}
              >
                Bid: eligible LSOAs and evidence pack
              </button>
              <p className="hint">Find the LSOAs a funding round allows, choose the target area, download the evidence pack.</p>
            </section>
          )}
          {me && (
            <section className="control-group" aria-label="Patrols and CCTV">
              <h2 className="control-group__title">Patrols and CCTV</h2>
              <button
                type="button"
                className="button button--block"
                aria-expanded={plannerOpen}
                disabled={!dataset?.lastMonth}
                onClick={() => (plannerOpen ? closePlanner() : openPlanner())}
              >
                Patrols and CCTV
              </button>
              <p className="hint">Patrol plans with a dosage log, CCTV coverage gaps, new and re-deployable camera sites, help points.</p>
            </section>
          )}
          {me && (
            <section className="control-group" aria-label="Hot spots">
              <h2 className="control-group__title">Hot spots</h2>
              <button
                type="button"
                className="button button--block"
                aria-expanded={hotspotOpen}
                disabled={!dataset?.lastMonth}
                onClick={() => (hotspotOpen ? closeHotspots() : openHotspots())}
              >
                Hot spot analysis
              </button>
              <p className="hint">Gi* hot and cold spots with the top spots to patrol, change over time, or density.</p>
            </section>
          )}
          {me && (
            <section className="control-group" aria-label="Reports">
              <h2 className="control-group__title">Reports</h2>
              <button
                type="button"
                className="button button--block"
                aria-expanded={strategicOpen}
                onClick={() => {
                  setDrawTool(null);
                  setStrategicOpen(!strategicOpen);
                }}
              >
                Strategic assessment
              </button>
              <p className="hint">Last 12 months against the previous 12 for each district or CSP, with a CSV.</p>
              {me.role === 'admin' && (
                <>
                  <button
                    type="button"
                    className="button button--block"
                    aria-expanded={auditOpen}
                    onClick={() => {
                      setDrawTool(null);
                      setStrategicOpen(false);
                      setUsersOpen(false);
                      setAuditOpen(!auditOpen);
                    }}
                  >
                    Audit log
                  </button>
                  <p className="hint">Who changed, uploaded or exported what, and refused requests.</p>
                  <button
                    type="button"
                    className="button button--block"
                    aria-expanded={usersOpen}
                    onClick={() => {
                      setDrawTool(null);
                      setStrategicOpen(false);
                      setAuditOpen(false);
                      setUsersOpen(!usersOpen);
                    }}
                  >
                    Users
                  </button>
                  <p className="hint">Invite colleagues, set their role and the covert cameras permission, disable an account.</p>
                </>
              )}
            </section>
          )}
          {scope.problem && (
            <p className="message message--info" role="status" data-testid="scope-problem">
              {scope.problem}
            </p>
          )}
          {statsError && <p className="message message--error" role="alert">{statsError}</p>}
        </aside>

        <main className="map-area" aria-label="Map">
          {fatal && (
            <div className="center-card" role="alert">
              <h2>Cannot reach Safer Places</h2>
              <p>{fatal}</p>
              <button type="button" className="button" onClick={() => window.location.reload()}>Try again</button>
            </div>
          )}
          {!fatal && config && !me && (
            <div className="center-card">
              <h2>Sign in to see the map</h2>
              {sessionMessage && <p className="message message--error" role="alert">{sessionMessage}</p>}
              {config.devSignIn ? (
                <p>This is a local installation: choose a role at the top right and select <strong>Sign in</strong>.</p>
              ) : cognito ? (
                <p>
                  Select <strong>Sign in</strong> at the top right to sign in with your organisation account and your authenticator
                  app. The first time, you choose a new password in place of the temporary one from your invitation e-mail.
                </p>
              ) : (
                <p>Sign in with your organisation account to continue.</p>
              )}
              <p className="hint">Partnership analysts, bid writers and planners can change the layers their role owns; viewers can only read.</p>
            </div>
          )}
          {config && me && dataset && (
            <MapView
              ref={mapHandle}
              baseStyleUrl={config.mapStyleUrl}
              initialBounds={scopeFit?.bbox ?? dataset.bbox}
              fitTo={scopeFit}
              data={layers}
              coverage={coverage}
              visible={visible}
              showCoverage={showCoverage}
              choropleth={hotspotOpen || bidOpen || plannerOpen ? NEUTRAL_LSOA_PAINT : choroplethPaint}
              selected={selection}
              draft={addKind ? draft : crossing}
              addMode={addKind !== null || plannerPick !== null}
              dataReady={dataReady}
              areas={areasLayer}
              showAreas={showAreas}
              hiddenAreaId={areaEdit?.id ?? null}
              drawing={drawing}
              onDrawFinish={(result, shape) => {
                if (lassoActive) {
                  setLassoActive(false);
                  if (!result.ok || result.geometry.type !== 'Polygon') {
                    announce(result.ok ? 'Draw one closed shape round the LSOAs.' : result.error);
                    return;
                  }
                  // The lasso only adds (a click takes one out again).
                  const codes = lassoCodes(layers.lsoas, result.geometry.coordinates[0]!);
                  const added = codes.filter((c) => !bidSelection.includes(c));
                  if (codes.length === 0) announce('No LSOA has its centre inside the lasso.');
                  else {
                    setBidSelection((current) => [...new Set([...current, ...codes])].sort());
                    announce(`${added.length} LSOA${added.length === 1 ? '' : 's'} added by the lasso.`);
                  }
                  return;
                }
                setDrawTool(null);
                if (!result.ok) {
                  setDrawProblem(result.error);
                  announce(result.error);
                  return;
                }
                setDrawProblem(null);
                setCrossing(null);
                setSelection(null);
                setAreaDraft({ geometry: result.geometry, shape, editing: false });
              }}
              onDrawEdit={(result) => {
                if (!result.ok) {
                  announce(result.error);
                  return;
                }
                setCrossing(null);
                setAreaEdit((e) => (e ? { ...e, geometry: result.geometry } : e));
                setAreaDraft((d) => (d && !areaEditRef.current ? { ...d, geometry: result.geometry } : d));
              }}
              onDrawProblem={(message) => setDrawProblem(message)}
              onSelect={(layer, id) => {
                // With hot spots shown, the plain LSOAs under the cells are not what a click is after.
                if (hotspotOpen && layer === 'lsoas') {
                  setHotspotCell(null);
                  return;
                }
                if (plannerOpen && layer === 'lsoas') return;
                // While a bid is prepared, clicking an LSOA adds it to the target area or takes it out; other items
                // stay put so the bid panel (and what was typed in it) is not replaced.
                if (bidOpen) {
                  if (layer === 'lsoas') setBidSelection((codes) => toggleCodes(codes, [id]));
                  else announce('Close the bid panel to look at other items on the map.');
                  return;
                }
                setSelection({ layer, id });
              }}
              onClearSelection={() => setSelection(null)}
              onMapClick={(pos) => {
                if (plannerPick && !addKind) {
                  plannerPick.onPoint(pos);
                  setPlannerPick(null);
                } else setDraft(pos);
              }}
              onViewChange={onViewChange}
              onBaseStyle={(b) => setBaseMap(b.kind)}
              hotspots={hotspotOpen ? hotspotMap : null}
              bid={bidLayerData}
              planning={plannerOpen ? planner.mapState : null}
              onHotspotClick={(hit) => {
                setSelection(null);
                if (hit.kind === 'spot') setHotspotSpot(hit.key);
                else setHotspotCell(hit.cell);
              }}
            />
          )}
          {me && dataset && (
            <Legend
              visible={hotspotOpen || bidOpen || plannerOpen ? { ...visible, lsoas: false } : visible}
              showCoverage={showCoverage}
              choropleth={choropleth}
              period={measure === 'imd-decile' ? null : stats ? { from: stats.from, to: stats.to } : null}
              categoryLabel={stats?.categoryLabel ?? selectionLabel(category)}
              scope={choroplethScope}
              category={category}
              deprivationSource={deprivationSource}
              counts={counts}
              truncated={truncated}
              showAreas={showAreas && savedAreas.length > 0}
              collapse={panelKind === 'area' && narrowMap}
              hotspots={hotspotOpen ? hotspotLegendData : null}
              planning={plannerOpen ? planner.mapState.legend : null}
              bid={
                bidOpen
                  ? {
                      eligible: bidEligible.length,
                      selected: bidSelection.length,
                      target: !!bidResult,
                      bufferM: bidResult?.buffer ? bidResult.bufferM : null,
                      comparison: bidResult?.comparison.lsoas.length ?? 0,
                    }
                  : null
              }
            />
          )}
          {strategicOpen && me && (
            <StrategicView
              datasetId={datasetId}
              scopeKey={scopeKey}
              scopeLabel={scope.label}
              load={loadStrategic}
              onExport={exportStrategic}
              onClose={() => setStrategicOpen(false)}
            />
          )}
          {auditOpen && me?.role === 'admin' && !strategicOpen && <AuditLogView load={loadAudit} onClose={() => setAuditOpen(false)} />}
          {usersOpen && me?.role === 'admin' && !strategicOpen && !auditOpen && (
            <UsersPanel api={api} me={me} mode={config?.cognito ? 'cognito' : 'local'} onClose={() => setUsersOpen(false)} />
          )}
          {me && !dataReady && !layerError && <p className="loading" role="status">Loading map data…</p>}
          {layerError && <p className="message message--error map-message" role="alert">{layerError}</p>}
          {addKind && !draft && (
            <p className="map-hint" role="status">Click the map where the {ASSET_KINDS[addKind].singular} is. Press Escape to cancel.</p>
          )}
          {plannerPick && !addKind && (
            <p className="map-hint" role="status" data-testid="planner-pick-hint">
              {plannerPick.hint} Press Escape to cancel.
            </p>
          )}
          {drawTool && (
            <p className="map-hint" role="status" data-testid="draw-hint">
              {DRAW_TOOLS.find((t) => t.shape === drawTool)?.hint} Press Escape to cancel.
            </p>
          )}
          <div className="toast" role="status" aria-live="polite">{toast}</div>
        </main>

        {panel}
      </div>

      <Footer dataset={dataset} baseMap={baseMap} statsNotes={stats?.notes ?? []} />
    </div>
  );
}
