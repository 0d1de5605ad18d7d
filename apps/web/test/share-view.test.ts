import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from '@safer-places/schemas';
import { decodeViewState, encodeViewState } from '../src/app/urlState';
import { ITEM_NOT_FOUND, cameraOf, fitAllowed, openItemOf, openStep, prefsFromLink, viewStateOf, type OpenContext, type WorkspaceView } from '../src/features/share/viewLink';

const ALL_ON = { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true };

const view: WorkspaceView = {
  datasetId: 'open-data',
  camera: { zoom: 12.5, lat: 53.14, lon: -1.2 },
  visible: { ...ALL_ON, 'help-points': false, 'pspo-zones': false },
  showCoverage: true,
  showAreas: false,
  showContext: true,
  measure: 'count',
  category: 'vehicle-crime',
  periodChoice: 'last-3',
  custom: { from: '', to: '' },
  selection: null,
  selectionShown: false,
  tool: null,
};

const point = (id: string): Feature => ({ type: 'Feature', properties: { id }, geometry: { type: 'Point', coordinates: [-1.2, 53.1] } });
const fc = (...ids: string[]): FeatureCollection => ({ type: 'FeatureCollection', features: ids.map(point) });

describe('the view the workspace is in', () => {
  it('holds the dataset, camera, the layers that are on, the shading and the period', () => {
    expect(viewStateOf(view)).toEqual({
      dataset: 'open-data',
      map: { zoom: 12.5, lat: 53.14, lon: -1.2 },
      layers: ['lsoas', 'cameras', 'safer-streets-areas', 'coverage', 'context'],
      measure: 'count',
      category: 'vehicle-crime',
      period: { choice: 'last-3' },
    });
  });

  it('keeps a custom range only once both months are typed and in order', () => {
    expect(viewStateOf({ ...view, periodChoice: 'custom', custom: { from: '2024-02', to: '2024-05' } }).period).toEqual({ choice: 'custom', from: '2024-02', to: '2024-05' });
    expect(viewStateOf({ ...view, periodChoice: 'custom', custom: { from: '2024-02', to: '' } }).period).toBeUndefined();
    expect(viewStateOf({ ...view, periodChoice: 'custom', custom: { from: '2024-05', to: '2024-02' } }).period).toBeUndefined();
  });

  it('has no dataset or camera until they are known', () => {
    const s = viewStateOf({ ...view, datasetId: null, camera: null });
    expect(s.dataset).toBeUndefined();
    expect(s.map).toBeUndefined();
  });

  it('opens what the side column shows: a shown selection, before an analysis panel', () => {
    expect(openItemOf({ selection: { layer: 'lsoas', id: 'E01028000' }, selectionShown: true, tool: 'bid' })).toEqual({ kind: 'lsoa', code: 'E01028000' });
    expect(openItemOf({ selection: { layer: 'pspo-zones', id: 'p1' }, selectionShown: true, tool: null })).toEqual({ kind: 'item', layer: 'pspo-zones', id: 'p1' });
    expect(openItemOf({ selection: { layer: 'areas', id: 'a1' }, selectionShown: true, tool: null })).toEqual({ kind: 'item', layer: 'areas', id: 'a1' });
    expect(openItemOf({ selection: { layer: 'cameras', id: 'gone' }, selectionShown: false, tool: 'planner' })).toEqual({ kind: 'panel', tool: 'planner' });
    expect(openItemOf({ selection: null, selectionShown: false, tool: null })).toBeUndefined();
  });

  it('round trips through the address into the same controls', () => {
    const state = viewStateOf({ ...view, selection: { layer: 'lsoas', id: 'E01028000' }, selectionShown: true });
    const back = decodeViewState(encodeViewState(state)).state;
    expect(prefsFromLink(back)).toEqual({
      datasetId: 'open-data',
      visible: view.visible,
      showCoverage: true,
      showAreas: false,
      showContext: true,
      measure: 'count',
      category: 'vehicle-crime',
      periodChoice: 'last-3',
    });
    expect(back.open).toEqual({ kind: 'lsoa', code: 'E01028000' });
  });
});

describe('the controls a link sets', () => {
  it('sets only what the link holds', () => {
    expect(prefsFromLink({})).toEqual({});
    expect(prefsFromLink({ measure: 'rate' })).toEqual({ measure: 'rate' });
  });

  it('turns every layer the list leaves out off, coverage, drawn areas and the context layer included', () => {
    expect(prefsFromLink({ layers: ['cameras'] })).toEqual({
      visible: { lsoas: false, cameras: true, 'help-points': false, 'pspo-zones': false, 'safer-streets-areas': false },
      showCoverage: false,
      showAreas: false,
      showContext: false,
    });
  });

  it('sets a custom range with its months', () => {
    expect(prefsFromLink({ period: { choice: 'custom', from: '2023-04', to: '2024-03' } })).toEqual({ periodChoice: 'custom', custom: { from: '2023-04', to: '2024-03' } });
  });
});

describe("the place's automatic fit against a link's view", () => {
  const fit = (seq: number) => ({ seq, bbox: [0, 0, 1, 1] as const });
  it('always fits when the link has no camera', () => {
    expect(fitAllowed(fit(1), false, null)).toEqual(fit(1));
  });
  it('holds every fit back until the link is restored and the place has landed', () => {
    expect(fitAllowed(fit(1), true, null)).toBeNull();
    expect(fitAllowed(fit(2), true, null)).toBeNull();
  });
  it('then lets later fits (the user picks a place) through, never the landing ones', () => {
    expect(fitAllowed(fit(2), true, 2)).toBeNull();
    expect(fitAllowed(fit(1), true, 2)).toBeNull();
    expect(fitAllowed(fit(3), true, 2)).toEqual(fit(3));
    expect(fitAllowed(null, true, 2)).toBeNull();
  });
});

describe("when a link's item can be opened", () => {
  const ready: OpenContext = {
    dataReady: true,
    loadFailed: false,
    dataset: { lastMonth: '2024-12' },
    layers: { cameras: fc('c1', 'c2'), 'help-points': fc(), 'pspo-zones': fc('p1'), 'safer-streets-areas': fc() },
    areas: fc('a1'),
    areasLoaded: true,
  };

  it('opens an LSOA once the data is ready (the hook then reads its name from the drawn tiles)', () => {
    expect(openStep({ kind: 'lsoa', code: 'E01028000' }, { ...ready, dataReady: false })).toEqual({ kind: 'wait' });
    expect(openStep({ kind: 'lsoa', code: 'E01028000' }, ready)).toEqual({ kind: 'open-lsoa', code: 'E01028000' });
  });

  it('selects an organisation item once its layer is in, and only if it is there', () => {
    expect(openStep({ kind: 'item', layer: 'cameras', id: 'c2' }, { ...ready, layers: {} })).toEqual({ kind: 'wait' });
    expect(openStep({ kind: 'item', layer: 'cameras', id: 'c2' }, ready)).toEqual({ kind: 'select', layer: 'cameras', id: 'c2', feature: point('c2') });
    expect(openStep({ kind: 'item', layer: 'areas', id: 'a1' }, { ...ready, areasLoaded: false })).toEqual({ kind: 'wait' });
    expect(openStep({ kind: 'item', layer: 'areas', id: 'a1' }, ready)).toMatchObject({ kind: 'select', layer: 'areas', id: 'a1' });
  });

  it("says the same for a deleted item and another organisation's: nothing of it is shown", () => {
    expect(openStep({ kind: 'item', layer: 'cameras', id: 'other-org-camera' }, ready)).toEqual({ kind: 'give-up', problem: ITEM_NOT_FOUND });
    expect(openStep({ kind: 'item', layer: 'areas', id: 'other-org-area' }, ready)).toEqual({ kind: 'give-up', problem: ITEM_NOT_FOUND });
  });

  it('opens an analysis panel once the dataset is known, not for a dataset without crime months', () => {
    expect(openStep({ kind: 'panel', tool: 'hotspots' }, { ...ready, dataset: null })).toEqual({ kind: 'wait' });
    expect(openStep({ kind: 'panel', tool: 'hotspots' }, ready)).toEqual({ kind: 'open-panel', tool: 'hotspots' });
    expect(openStep({ kind: 'panel', tool: 'bid' }, { ...ready, dataset: { lastMonth: null } })).toMatchObject({ kind: 'give-up' });
  });

  it('gives up when the map data failed to load, rather than waiting for ever', () => {
    expect(openStep({ kind: 'lsoa', code: 'E01028000' }, { ...ready, dataReady: false, loadFailed: true })).toMatchObject({ kind: 'give-up' });
  });

  it('reads the camera from a map centre and zoom', () => {
    expect(cameraOf({ lng: -1.19, lat: 53.14 }, 11.2)).toEqual({ zoom: 11.2, lat: 53.14, lon: -1.19 });
  });
});
