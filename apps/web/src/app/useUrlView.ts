import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { AreaGeometry, BBox, DatasetSummary, FeatureCollection, LayerName } from '@safer-places/schemas';
import type { MapSelection, MapViewHandle } from '../map/mapViewProps';
import { LSOA_SOURCE_LAYER, SOURCE_IDS } from '../map/layers';
import type { MapPreferences } from '../features/map/useMapPreferences';
import { geometryBounds } from '../features/areas/drawing';
import { cameraOf, fitAllowed, openStep, prefsFromLink, viewStateOf, type LinkPrefs } from '../features/share/viewLink';
import { decodeViewState, encodeViewState, hrefWithView, type DecodedView, type MapCamera } from './urlState';
import type { Tool } from './panels';

/** How long the map must rest after a move before the address follows it (one replace per pan, not per frame). */
const CAMERA_SETTLE_MS = 300;

export interface UrlViewInput {
  prefs: MapPreferences;
  datasetId: string | null;
  dataset: DatasetSummary | null;
  mapHandle: RefObject<MapViewHandle | null>;
  selection: MapSelection | null;
  /** The selected item's details are on screen. */
  selectionShown: boolean;
  setSelection(s: MapSelection | null): void;
  tool: Tool | null;
  openTool(t: Tool): void;
  closeTool(t: Tool): void;
  layers: Partial<Record<LayerName, FeatureCollection | null | undefined>>;
  rememberLsoa(properties: Record<string, unknown>): void;
  areas: { layer: FeatureCollection | null | undefined; loaded: boolean; show: boolean; setShow(on: boolean): void };
  setPendingFit(b: BBox): void;
  dataReady: boolean;
  loadFailed: boolean;
  /** The place has landed (its key is known) and the sequence number of its latest fit request. */
  scopeLanded: boolean;
  scopeFitSeq: number | null;
  announce(message: string): void;
}

export interface UrlView {
  /** The place's automatic fit, unless a link's view is in force (see fitAllowed). */
  allowFit<F extends { seq: number }>(fit: F | null): F | null;
  /** The whole address of the view as it is now (the map's camera read at this moment): what Copy link copies. */
  shareLink(): string;
  /** Why parts of the link the page was opened with were not used (empty when all of it was). */
  problems: string[];
  dismissProblems(): void;
}

type Phase = 'restore' | 'open' | 'done';

function readLink(): DecodedView {
  return typeof window === 'undefined' ? { isLink: false, state: {}, problems: [] } : decodeViewState(window.location.hash);
}

/** The map once the map component has created it (it does so after choosing its base style). */
function useMapInstance(handle: RefObject<MapViewHandle | null>, active: boolean): MapLibreMap | null {
  const [map, setMap] = useState<MapLibreMap | null>(null);
  useEffect(() => {
    if (!active) {
      setMap(null);
      return;
    }
    let frame = 0;
    const look = () => {
      const m = handle.current?.getMap() ?? null;
      if (m) setMap(m);
      else frame = requestAnimationFrame(look);
    };
    look();
    return () => cancelAnimationFrame(frame);
  }, [handle, active]);
  return map;
}

function applyPrefs(p: LinkPrefs, input: UrlViewInput) {
  const { prefs } = input;
  if (p.datasetId !== undefined) prefs.setDatasetId(p.datasetId);
  if (p.visible) for (const [layer, on] of Object.entries(p.visible)) prefs.show(layer as LayerName, on);
  if (p.showCoverage !== undefined) prefs.setShowCoverage(p.showCoverage);
  if (p.showAreas !== undefined) input.areas.setShow(p.showAreas);
  if (p.showContext !== undefined) prefs.setShowContext(p.showContext);
  if (p.measure) prefs.setMeasure(p.measure);
  if (p.category) prefs.setCategory(p.category);
  if (p.custom) prefs.setCustom(p.custom);
  if (p.periodChoice) prefs.setPeriodChoice(p.periodChoice);
}

/**
 * The shareable view: the address's hash holds the dataset, the map's camera, the layers, the LSOA shading (measure,
 * crime type, period) and the item open in the side column (see urlState.ts; the place is the scope feature's `?scope=`).
 *
 * Opening the workspace with a view link restores it in steps: the controls at once; the camera as soon as the map
 * exists (and the place's automatic fit is then held back, so the link's view wins); the open item once the data it
 * needs has loaded (an LSOA from the drawn tiles, an organisation item from its layer, an analysis panel once the
 * dataset is known). Only then does the address start to follow the view, with history.replaceState (no history entry
 * per change; a pan is written once the map has rested). A link pasted into the same tab (only the hash changes) is
 * restored the same way.
 */
export function useUrlView(input: UrlViewInput): UrlView {
  const inputRef = useRef(input);
  inputRef.current = input;
  const [link, setLink] = useState<DecodedView>(readLink);
  const [problems, setProblems] = useState<string[]>(() => link.problems);
  const [phase, setPhase] = useState<Phase>(link.isLink ? 'restore' : 'done');
  const [cameraApplied, setCameraApplied] = useState(false);
  const [camera, setCamera] = useState<MapCamera | null>(null);
  const [settledSeq, setSettledSeq] = useState<number | null>(null);
  const written = useRef<string | null>(null);
  const map = useMapInstance(input.mapHandle, input.dataset !== null);
  const linkCamera = link.state.map ?? null;

  // 1. The controls, at once.
  useEffect(() => {
    if (phase !== 'restore') return;
    applyPrefs(prefsFromLink(link.state), inputRef.current);
    if (link.problems.length > 0) inputRef.current.announce(link.problems[0]!);
    setPhase('open');
  }, [phase, link]);

  // 2. The camera, as soon as the map exists.
  useEffect(() => {
    if (!map || cameraApplied || phase === 'restore') return;
    if (linkCamera) map.jumpTo({ center: [linkCamera.lon, linkCamera.lat], zoom: linkCamera.zoom });
    setCameraApplied(true);
  }, [map, cameraApplied, phase, linkCamera]);

  // 3. The open item, once the camera is applied and what the item needs has loaded.
  const open = link.state.open;
  useEffect(() => {
    if (phase !== 'open' || (linkCamera && !cameraApplied)) return;
    if (!open) {
      setPhase('done');
      return;
    }
    const step = openStep(open, {
      dataReady: input.dataReady,
      loadFailed: input.loadFailed,
      dataset: input.dataset,
      layers: input.layers,
      areas: input.areas.layer,
      areasLoaded: input.areas.loaded,
    });
    const now = inputRef.current;
    if (step.kind === 'wait') return;
    if (step.kind === 'give-up') {
      setProblems((p) => [...p, step.problem]);
      now.announce(step.problem);
      setPhase('done');
    } else if (step.kind === 'open-panel') {
      now.openTool(step.tool);
      setPhase('done');
    } else if (step.kind === 'select') {
      if (step.layer === 'areas') {
        now.areas.setShow(true);
        const g = step.feature.geometry;
        if (!linkCamera && (g.type === 'Polygon' || g.type === 'MultiPolygon')) now.setPendingFit(geometryBounds(g as AreaGeometry));
      }
      now.setSelection({ layer: step.layer, id: step.id });
      setPhase('done');
    } else if (map) {
      // An LSOA: its name and district come from the tiles drawn at the view, once they are in.
      let cancelled = false;
      const openLsoa = () => {
        if (cancelled) return;
        const hit = map.querySourceFeatures(SOURCE_IDS.lsoas, { sourceLayer: LSOA_SOURCE_LAYER, filter: ['==', ['get', 'code'], step.code] })[0];
        inputRef.current.rememberLsoa(hit ? { ...hit.properties } : { code: step.code, name: step.code });
        inputRef.current.setSelection({ layer: 'lsoas', id: step.code });
        setPhase('done');
      };
      if (map.loaded() && !map.isMoving()) openLsoa();
      else map.once('idle', openLsoa);
      return () => {
        cancelled = true;
        map.off('idle', openLsoa);
      };
    }
  }, [phase, open, linkCamera, cameraApplied, map, input.dataReady, input.loadFailed, input.dataset, input.layers, input.areas.layer, input.areas.loaded]);

  // The place's fit is held back until the link is restored and the place has landed (its data in, or failed); then
  // only later fits pass.
  const { scopeLanded, scopeFitSeq, dataReady, loadFailed } = input;
  useEffect(() => {
    if (settledSeq === null && phase === 'done' && scopeLanded && (dataReady || loadFailed)) setSettledSeq(scopeFitSeq ?? 0);
  }, [settledSeq, phase, scopeLanded, dataReady, loadFailed, scopeFitSeq]);

  // The camera, followed once the map rests after a move.
  useEffect(() => {
    if (!map) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = () => setCamera(cameraOf(map.getCenter(), map.getZoom()));
    const onMoveEnd = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(read, CAMERA_SETTLE_MS);
    };
    read();
    map.on('moveend', onMoveEnd);
    return () => {
      if (timer) clearTimeout(timer);
      map.off('moveend', onMoveEnd);
    };
  }, [map]);

  const currentState = (cam: MapCamera | null) => {
    const i = inputRef.current;
    return viewStateOf({
      datasetId: i.datasetId,
      camera: cam,
      visible: i.prefs.visible,
      showCoverage: i.prefs.showCoverage,
      showAreas: i.areas.show,
      showContext: i.prefs.showContext,
      measure: i.prefs.measure,
      category: i.prefs.category,
      periodChoice: i.prefs.periodChoice,
      custom: i.prefs.custom,
      selection: i.selection,
      selectionShown: i.selectionShown,
      tool: i.tool,
    });
  };

  // The address follows the view once the link (if any) is restored. The rest of the address is read when it is
  // written, not when rendering: the scope feature replaces the query string in its own effect.
  const hash = phase === 'done' ? `#${encodeViewState(currentState(camera))}` : null;
  useEffect(() => {
    if (!hash || window.location.hash === hash) return;
    written.current = hash;
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`);
  }, [hash]);

  // A link pasted into this tab's address bar changes only the hash: restore it as a new link.
  useEffect(() => {
    const onHash = () => {
      if (window.location.hash === written.current) return;
      const next = decodeViewState(window.location.hash);
      if (!next.isLink) return;
      const i = inputRef.current;
      i.setSelection(null);
      if (i.tool) i.closeTool(i.tool);
      setLink(next);
      setProblems(next.problems);
      setCameraApplied(false);
      setPhase('restore');
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const allowFit = useCallback(
    <F extends { seq: number }>(fit: F | null): F | null => fitAllowed(fit, linkCamera !== null, settledSeq),
    [linkCamera, settledSeq],
  );

  const shareLink = () => {
    const m = inputRef.current.mapHandle.current?.getMap();
    const cam = m ? cameraOf(m.getCenter(), m.getZoom()) : camera;
    return hrefWithView(window.location.href, currentState(cam));
  };

  return { allowFit, shareLink, problems, dismissProblems: () => setProblems([]) };
}
