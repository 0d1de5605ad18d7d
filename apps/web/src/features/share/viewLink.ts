import { LAYER_NAMES, monthOrdinal, type CategorySelection, type Feature, type FeatureCollection, type LayerName, type Measure } from '@safer-places/schemas';
import { isMonth, type PeriodChoice } from '../../shared/period';
import type { Tool } from '../../app/panels';
import type { LinkLayer, LinkPeriod, MapCamera, OpenItem, ViewState } from '../../app/urlState';

/*
 * What a shared view means for the workspace, as pure decisions (tested as data): the map controls a link sets, the
 * view the workspace is in now, whether the place's automatic fit may move the map, and what a link's open item needs
 * before it can be opened. The hook that acts on them is app/useUrlView.ts.
 */

/** The controls a link sets (each only when the link holds it). */
export interface LinkPrefs {
  datasetId?: string;
  visible?: Record<LayerName, boolean>;
  showCoverage?: boolean;
  showAreas?: boolean;
  showContext?: boolean;
  measure?: Measure;
  category?: CategorySelection;
  periodChoice?: PeriodChoice;
  custom?: { from: string; to: string };
}

export function prefsFromLink(state: ViewState): LinkPrefs {
  const p: LinkPrefs = {};
  if (state.dataset !== undefined) p.datasetId = state.dataset;
  if (state.layers) {
    const on = new Set<LinkLayer>(state.layers);
    p.visible = Object.fromEntries(LAYER_NAMES.map((l) => [l, on.has(l)])) as Record<LayerName, boolean>;
    p.showCoverage = on.has('coverage');
    p.showAreas = on.has('areas');
    p.showContext = on.has('context');
  }
  if (state.measure) p.measure = state.measure;
  if (state.category) p.category = state.category;
  if (state.period) {
    p.periodChoice = state.period.choice;
    if (state.period.choice === 'custom') p.custom = { from: state.period.from, to: state.period.to };
  }
  return p;
}

/** What the workspace shows now, as the inputs of {@link viewStateOf}. */
export interface WorkspaceView {
  datasetId: string | null;
  camera: MapCamera | null;
  visible: Record<LayerName, boolean>;
  showCoverage: boolean;
  showAreas: boolean;
  showContext: boolean;
  measure: Measure;
  category: CategorySelection;
  periodChoice: PeriodChoice;
  custom: { from: string; to: string };
  /** The selected map item (an LSOA by code, an organisation item by id). */
  selection: { layer: LayerName | 'areas'; id: string } | null;
  /** Whether the selected item's details are on screen (a selection whose item is not loaded shows nothing). */
  selectionShown: boolean;
  tool: Tool | null;
}

/** The period as a link holds it; a custom range still being typed (or backwards) is left out. */
function linkPeriod(choice: PeriodChoice, custom: { from: string; to: string }): LinkPeriod | undefined {
  if (choice !== 'custom') return { choice };
  const ok = isMonth(custom.from) && isMonth(custom.to) && monthOrdinal(custom.to) >= monthOrdinal(custom.from);
  return ok ? { choice: 'custom', from: custom.from, to: custom.to } : undefined;
}

/** The item a link opens: what is on screen in the side column (a shown selection before an analysis panel). */
export function openItemOf(view: Pick<WorkspaceView, 'selection' | 'selectionShown' | 'tool'>): OpenItem | undefined {
  const s = view.selection;
  if (s && view.selectionShown) {
    if (s.layer === 'lsoas') return { kind: 'lsoa', code: s.id };
    return { kind: 'item', layer: s.layer, id: s.id };
  }
  return view.tool ? { kind: 'panel', tool: view.tool } : undefined;
}

/** The view the workspace is in, for the address and the shared link. */
export function viewStateOf(view: WorkspaceView): ViewState {
  const layers: LinkLayer[] = LAYER_NAMES.filter((l) => view.visible[l]);
  if (view.showCoverage) layers.push('coverage');
  if (view.showAreas) layers.push('areas');
  if (view.showContext) layers.push('context');
  const period = linkPeriod(view.periodChoice, view.custom);
  const open = openItemOf(view);
  return {
    ...(view.datasetId !== null && { dataset: view.datasetId }),
    ...(view.camera && { map: view.camera }),
    layers,
    measure: view.measure,
    category: view.category,
    ...(period && { period }),
    ...(open && { open }),
  };
}

/**
 * Whether the place's automatic fit may move the map. Without a camera in the link it always may. With one, the link's
 * view wins: every fit asked for before the link was restored and the place landed (`settledSeq` null: not yet) is
 * dropped, and so is any fit up to the one in force then; a fit asked for later (the user picks another place) is used.
 */
export function fitAllowed<F extends { seq: number }>(fit: F | null, linkHasCamera: boolean, settledSeq: number | null): F | null {
  if (!fit || !linkHasCamera) return fit;
  if (settledSeq === null || fit.seq <= settledSeq) return null;
  return fit;
}

/** What the workspace has loaded, for deciding whether a link's item can be opened yet. */
export interface OpenContext {
  /** Every layer, the drawn areas and the figures have arrived. */
  dataReady: boolean;
  /** The map could not load its data: the item is not waited for. */
  loadFailed: boolean;
  /** The dataset shown, and whether it has crime months (the analysis panels need them). */
  dataset: { lastMonth: string | null } | null;
  layers: Partial<Record<LayerName, FeatureCollection | null | undefined>>;
  areas: FeatureCollection | null | undefined;
  areasLoaded: boolean;
}

export type OpenStep =
  | { kind: 'wait' }
  | { kind: 'open-lsoa'; code: string }
  | { kind: 'select'; layer: LayerName | 'areas'; id: string; feature: Feature }
  | { kind: 'open-panel'; tool: Tool }
  | { kind: 'give-up'; problem: string };

/** Said when a linked item is not there: the same words whether it was deleted or belongs to another organisation. */
export const ITEM_NOT_FOUND = 'The item the link opens is not on your map (it may have been deleted, or it belongs to another organisation).';

/** What to do now about a link's item: wait for data, open it, or give up saying why. */
export function openStep(open: OpenItem, ctx: OpenContext): OpenStep {
  if (ctx.loadFailed) return { kind: 'give-up', problem: 'The map data did not load, so the item the link opens was not opened.' };
  if (open.kind === 'panel') {
    if (!ctx.dataset) return { kind: 'wait' };
    if (!ctx.dataset.lastMonth) return { kind: 'give-up', problem: 'This dataset has no crime months, so the analysis in the link cannot be opened.' };
    return { kind: 'open-panel', tool: open.tool };
  }
  if (open.kind === 'lsoa') return ctx.dataReady ? { kind: 'open-lsoa', code: open.code } : { kind: 'wait' };
  const fc = open.layer === 'areas' ? (ctx.areasLoaded ? ctx.areas : undefined) : ctx.layers[open.layer];
  if (fc === undefined || !ctx.dataReady) return { kind: 'wait' };
  const feature = fc?.features.find((f) => String(f.properties.id) === open.id);
  return feature ? { kind: 'select', layer: open.layer, id: open.id, feature } : { kind: 'give-up', problem: ITEM_NOT_FOUND };
}

/** The camera from a map's centre and zoom. */
export function cameraOf(center: { lng: number; lat: number }, zoom: number): MapCamera {
  return { zoom, lat: center.lat, lon: center.lng };
}
