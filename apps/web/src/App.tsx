import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  ASSET_KINDS,
  LAYER_NAMES,
  selectionLabel,
  type AssetInputByKind,
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
  type Role,
} from '@safer-places/schemas';
import { createApiClient, describeError, type LayerCollection } from './api/client';
import { buildChoropleth, type MeasureRow } from './lib/choropleth';
import { resolvePeriod, type PeriodChoice } from './lib/period';
import { rankOf } from './lib/rank';
import { coverageCollection } from './map/coverage';
import { ID_FIELD } from './map/layers';
import { MapView, type MapSelection, type MapViewHandle } from './map/MapView';
import { ChoroplethControls, LayerControls } from './components/Controls';
import { DatasetPicker, SignIn, SyntheticBadge } from './components/Header';
import { Footer } from './components/Footer';
import { Legend } from './components/Legend';
import { AddPanel, AssetPanel, LsoaPanel } from './components/SidePanel';

const TOKEN_KEY = 'saferPlaces.token';
const ALL_VISIBLE: Record<LayerName, boolean> = { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true };
type Layers = Partial<Record<LayerName, LayerCollection>>;

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
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const [sessionMessage, setSessionMessage] = useState<string | null>(null);

  const signOut = useCallback((message: string | null = null) => {
    writeToken(null);
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

  // 3. Layer data.
  const loadLayer = useCallback(
    async (name: LayerName, bbox?: BBox) => {
      const fc = await api.layer(name, {
        ...(name === 'lsoas' && datasetId ? { dataset: datasetId } : {}),
        ...(bbox ? { bbox: bbox.map((n) => n.toFixed(5)).join(',') } : {}),
      });
      setLayers((prev) => ({ ...prev, [name]: fc }));
      return fc;
    },
    [api, datasetId],
  );

  useEffect(() => {
    if (!me || !datasetId) return;
    setLayers({});
    setLayerError(null);
    let cancelled = false;
    Promise.all(LAYER_NAMES.map((l) => loadLayer(l))).catch((err) => {
      if (!cancelled) setLayerError(`Some map layers could not be loaded: ${describeError(err)}`);
    });
    return () => {
      cancelled = true;
    };
  }, [me, datasetId, loadLayer]);

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
    if (!me || !dataset) return;
    if (!period || !period.ok) {
      setStatsState('done');
      setStatsError(null);
      return;
    }
    const controller = new AbortController();
    setStatsState('loading');
    api
      .stats({ dataset: dataset.id, category, from: period.range.from, to: period.range.to }, controller.signal)
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
  }, [api, me, dataset, category, periodKey]);

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

  const allLayersLoaded = LAYER_NAMES.every((l) => layers[l] !== undefined);
  const dataReady = !!me && allLayersLoaded && (statsState === 'done' || statsState === 'error');

  const counts = useMemo(() => {
    const c: Partial<Record<LayerName, number>> = {};
    for (const l of LAYER_NAMES) if (layers[l]) c[l] = layers[l]!.features.length;
    return c;
  }, [layers]);

  const selectedFeature = useMemo(() => {
    if (!selection) return null;
    const fc = layers[selection.layer];
    return fc?.features.find((f) => String(f.properties[ID_FIELD[selection.layer]]) === selection.id) ?? null;
  }, [selection, layers]);

  const cameraOptions = useMemo(
    () => (cameras?.features ?? []).map((f) => ({ value: String(f.properties.id), label: String(f.properties.name) })),
    [cameras],
  );

  const canWrite = (kind: AssetKind) => !!me?.canWrite.includes(kind);

  // Keyboard: Escape leaves "add" mode, then closes the panel.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      if (addKind) {
        setAddKind(null);
        setDraft(null);
      } else if (selection) setSelection(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [addKind, selection]);

  const onSignIn = async (role: Role) => {
    setSigningIn(true);
    setSessionMessage(null);
    try {
      const res = await api.signIn(role);
      writeToken(res.token);
      tokenRef.current = res.token;
      setToken(res.token);
    } catch (err) {
      setSessionMessage(`Sign-in failed: ${describeError(err)}`);
    } finally {
      setSigningIn(false);
    }
  };

  const reloadAfterWrite = async (kind: AssetKind) => {
    if (kind === 'areas') return; // drawn areas are not one of the five map layers
    await loadLayer(kind);
    if (kind === 'cameras') await loadLayer('help-points'); // help points show their camera's name
  };

  const startAdd = (kind: 'cameras' | 'help-points') => {
    setSelection(null);
    setDraft(null);
    setAddKind(kind);
    setVisible((v) => ({ ...v, [kind]: true }));
  };

  const firstDataset = useRef(true);
  useEffect(() => {
    if (!dataset?.bbox) return;
    if (firstDataset.current) {
      firstDataset.current = false;
      return;
    }
    mapHandle.current?.fitBounds(dataset.bbox);
  }, [dataset]);

  let panel: React.ReactNode = null;
  if (addKind) {
    panel = (
      <AddPanel
        kind={addKind}
        position={draft}
        cameraOptions={cameraOptions}
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
  } else if (selection && selectedFeature) {
    if (selection.layer === 'lsoas') {
      panel = (
        <LsoaPanel
          properties={selectedFeature.properties}
          row={statsRows.get(selection.id)}
          stats={stats}
          rank={stats ? rankOf(stats.lsoas, selection.id) : null}
          dataset={dataset}
          onClose={() => setSelection(null)}
        />
      );
    } else {
      const kind = selection.layer;
      panel = (
        <AssetPanel
          kind={kind}
          properties={selectedFeature.properties}
          geometry={selectedFeature.geometry as Geometry}
          canWrite={canWrite(kind)}
          cameraOptions={cameraOptions}
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
        />
      );
    }
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
        {config && (
          <SignIn devSignIn={config.devSignIn} me={me} busy={signingIn} onSignIn={onSignIn} onSignOut={() => signOut(null)} />
        )}
      </header>

      <div className={`app-body${panel ? ' app-body--panel' : ''}`}>
        <aside className="controls" id="controls" aria-label="Map controls" tabIndex={-1}>
          {datasets && <DatasetPicker datasets={datasets} value={datasetId} onChange={(id) => { setSelection(null); setDatasetId(id); }} />}
          <LayerControls
            visible={visible}
            onToggle={(layer, on) => setVisible((v) => ({ ...v, [layer]: on }))}
            showCoverage={showCoverage}
            onCoverage={setShowCoverage}
            counts={counts}
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
          {me && writableAdd.length > 0 && (
            <fieldset className="control-group">
              <legend>Add to the map</legend>
              <div className="button-stack">
                {writableAdd.map((k) => (
                  <button key={k} type="button" className="button" aria-pressed={addKind === k} onClick={() => startAdd(k)}>
                    {k === 'cameras' ? 'Add camera here' : 'Add help point here'}
                  </button>
                ))}
              </div>
              <p className="hint">Choose, then click the map where it goes.</p>
            </fieldset>
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
              initialBounds={dataset.bbox}
              data={layers}
              coverage={coverage}
              visible={visible}
              showCoverage={showCoverage}
              choropleth={choroplethPaint}
              selected={selection}
              draft={draft}
              addMode={addKind !== null}
              dataReady={dataReady}
              onSelect={(layer, id) => setSelection({ layer, id })}
              onClearSelection={() => setSelection(null)}
              onMapClick={(pos) => setDraft(pos)}
              onViewChange={onViewChange}
              onBaseStyle={(b) => setBaseMap(b.kind)}
            />
          )}
          {me && dataset && (
            <Legend
              visible={visible}
              showCoverage={showCoverage}
              choropleth={choropleth}
              period={measure === 'imd-decile' ? null : stats ? { from: stats.from, to: stats.to } : null}
              categoryLabel={stats?.categoryLabel ?? selectionLabel(category)}
              category={category}
              deprivationSource={deprivationSource}
              counts={counts}
              truncated={truncated}
            />
          )}
          {me && !dataReady && !layerError && <p className="loading" role="status">Loading map data…</p>}
          {layerError && <p className="message message--error map-message" role="alert">{layerError}</p>}
          {addKind && !draft && (
            <p className="map-hint" role="status">Click the map where the {ASSET_KINDS[addKind].singular} is. Press Escape to cancel.</p>
          )}
          <div className="toast" role="status" aria-live="polite">{toast}</div>
        </main>

        {panel}
      </div>

      <Footer dataset={dataset} baseMap={baseMap} statsNotes={stats?.notes ?? []} />
    </div>
  );
}
