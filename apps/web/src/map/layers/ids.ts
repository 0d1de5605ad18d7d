import type { LayerName } from '@safer-places/schemas';

/** Everything a click can select: the five data layers and the organisation's drawn areas. */
export type SelectableLayer = LayerName | 'areas';

export const SOURCE_IDS = {
  lsoas: 'sp-lsoas',
  cameras: 'sp-cameras',
  coverage: 'sp-camera-coverage',
  'help-points': 'sp-help-points',
  'pspo-zones': 'sp-pspo-zones',
  'safer-streets-areas': 'sp-safer-streets-areas',
  draft: 'sp-draft',
  areas: 'sp-areas',
  hotspotCells: 'sp-hotspot-cells',
  bidEligible: 'sp-bid-eligible',
  bidSelection: 'sp-bid-selection',
  bidTarget: 'sp-bid-target',
  bidBuffer: 'sp-bid-buffer',
  bidComparison: 'sp-bid-comparison',
  hotspotSpots: 'sp-hotspot-spots',
  planning: 'sp-planning',
  context: 'sp-context',
} as const;

export const LAYER_IDS = {
  lsoaFill: 'lsoa-fill',
  lsoaOutline: 'lsoa-outline',
  lsoaSelected: 'lsoa-selected',
  saferStreetsFill: 'safer-streets-fill',
  saferStreetsOutline: 'safer-streets-outline',
  saferStreetsSelected: 'safer-streets-selected',
  pspoFill: 'pspo-fill',
  pspoOutline: 'pspo-outline',
  pspoSelected: 'pspo-selected',
  coverageFill: 'coverage-fill',
  coverageOutline: 'coverage-outline',
  camerasSelected: 'cameras-selected',
  camerasSymbol: 'cameras-symbol',
  helpPointsSelected: 'help-points-selected',
  helpPointsSymbol: 'help-points-symbol',
  draftPoint: 'draft-point',
  areasFill: 'areas-fill',
  areasCasing: 'areas-casing',
  areasOutline: 'areas-outline',
  areasSelected: 'areas-selected',
  bidEligibleFill: 'bid-eligible-fill',
  bidEligibleOutline: 'bid-eligible-outline',
  bidComparisonFill: 'bid-comparison-fill',
  bidComparisonOutline: 'bid-comparison-outline',
  bidBufferFill: 'bid-buffer-fill',
  bidBufferOutline: 'bid-buffer-outline',
  bidSelectionFill: 'bid-selection-fill',
  bidSelectionOutline: 'bid-selection-outline',
  bidTargetOutline: 'bid-target-outline',
  hotspotCellsFill: 'hotspot-cells-fill',
  hotspotCellsSnap: 'hotspot-cells-snap',
  hotspotCellSelected: 'hotspot-cell-selected',
  hotspotSpotSelected: 'hotspot-spot-selected',
  hotspotSpotsSymbol: 'hotspot-spots-symbol',
  planningCellsFill: 'planning-cells-fill',
  planningCellsOutline: 'planning-cells-outline',
  planningCirclesFill: 'planning-circles-fill',
  planningCirclesOutline: 'planning-circles-outline',
  planningRouteCasing: 'planning-route-casing',
  planningRouteLine: 'planning-route-line',
  planningPointsSymbol: 'planning-points-symbol',
  contextStudyAreaCasing: 'context-study-area-casing',
  contextStudyArea: 'context-study-area',
  contextWardLine: 'context-ward-line',
  contextDistrictCasing: 'context-district-casing',
  contextDistrictLine: 'context-district-line',
  contextLabelsLsoa: 'context-labels-lsoa',
  contextLabelsWard: 'context-labels-ward',
  contextLabelsTown: 'context-labels-town',
  contextLabelsDistrict: 'context-labels-district',
} as const;
export type LayerId = (typeof LAYER_IDS)[keyof typeof LAYER_IDS];

/** Draw order, bottom to top: areas under outlines under selections under point symbols. */
export const LAYER_ORDER: readonly LayerId[] = [
  LAYER_IDS.lsoaFill,
  LAYER_IDS.lsoaOutline,
  LAYER_IDS.saferStreetsFill,
  LAYER_IDS.pspoFill,
  LAYER_IDS.saferStreetsOutline,
  LAYER_IDS.pspoOutline,
  LAYER_IDS.coverageFill,
  LAYER_IDS.coverageOutline,
  LAYER_IDS.lsoaSelected,
  LAYER_IDS.saferStreetsSelected,
  LAYER_IDS.pspoSelected,
  LAYER_IDS.camerasSelected,
  LAYER_IDS.helpPointsSelected,
  LAYER_IDS.camerasSymbol,
  LAYER_IDS.helpPointsSymbol,
  LAYER_IDS.draftPoint,
];

/** The drawn-areas layers, shown and hidden together by their own checkbox. */
export const AREA_LAYER_IDS: readonly LayerId[] = [LAYER_IDS.areasFill, LAYER_IDS.areasCasing, LAYER_IDS.areasOutline, LAYER_IDS.areasSelected];

/**
 * Draw order of the whole overlay, drawn areas included: their faint fill sits with the other area fills, their
 * outline above the PSPO and Safer Streets edges (an analyst's own area is what they are looking at), their
 * selection with the other selections.
 */
export const OVERLAY_ORDER: readonly LayerId[] = LAYER_ORDER.flatMap((id): LayerId[] => {
  // Hot spot cells sit just over the LSOA shading (the analysis replaces it), under every asset and drawn area.
  // Bid layers (eligible LSOAs, comparison area, buffer ring, selection, target edge) likewise sit just over the LSOAs.
  if (id === LAYER_IDS.lsoaOutline) {
    return [
      id,
      LAYER_IDS.hotspotCellsFill,
      LAYER_IDS.hotspotCellsSnap,
      LAYER_IDS.hotspotCellSelected,
      LAYER_IDS.bidEligibleFill,
      LAYER_IDS.bidComparisonFill,
      LAYER_IDS.bidBufferFill,
      LAYER_IDS.bidSelectionFill,
      LAYER_IDS.bidEligibleOutline,
      LAYER_IDS.bidComparisonOutline,
      LAYER_IDS.bidBufferOutline,
      LAYER_IDS.bidSelectionOutline,
      LAYER_IDS.bidTargetOutline,
      // The context layer's boundaries over the shading and every analysis fill, under the organisation's areas.
      LAYER_IDS.contextStudyAreaCasing,
      LAYER_IDS.contextStudyArea,
      LAYER_IDS.contextWardLine,
      LAYER_IDS.contextDistrictCasing,
      LAYER_IDS.contextDistrictLine,
    ];
  }
  // Numbered top hot spots are drawn last: they are what a planner reads first.
  if (id === LAYER_IDS.draftPoint) return [LAYER_IDS.hotspotSpotSelected, LAYER_IDS.hotspotSpotsSymbol, id];
  if (id === LAYER_IDS.pspoFill) return [id, LAYER_IDS.areasFill];
  // The planner's cells (coverage gaps, rotation candidates) sit under every camera and its coverage circle; its
  // circles, route and numbered markers over the assets, so the plan reads first.
  if (id === LAYER_IDS.coverageFill) return [LAYER_IDS.planningCellsFill, LAYER_IDS.planningCellsOutline, id];
  if (id === LAYER_IDS.helpPointsSymbol) {
    return [id, LAYER_IDS.planningCirclesFill, LAYER_IDS.planningCirclesOutline, LAYER_IDS.planningRouteCasing, LAYER_IDS.planningRouteLine, LAYER_IDS.planningPointsSymbol];
  }
  if (id === LAYER_IDS.pspoOutline) return [id, LAYER_IDS.areasCasing, LAYER_IDS.areasOutline];
  // Place names over every area and selection, under the point symbols (a camera or a numbered stop wins a collision).
  if (id === LAYER_IDS.pspoSelected) {
    return [id, LAYER_IDS.areasSelected, LAYER_IDS.contextLabelsLsoa, LAYER_IDS.contextLabelsWard, LAYER_IDS.contextLabelsTown, LAYER_IDS.contextLabelsDistrict];
  }
  return [id];
});

/** The map layers that make up each user-facing layer (what its checkbox shows and hides). */
export const MAP_LAYERS_OF: Record<LayerName | 'coverage', readonly LayerId[]> = {
  lsoas: [LAYER_IDS.lsoaFill, LAYER_IDS.lsoaOutline, LAYER_IDS.lsoaSelected],
  cameras: [LAYER_IDS.camerasSelected, LAYER_IDS.camerasSymbol],
  coverage: [LAYER_IDS.coverageFill, LAYER_IDS.coverageOutline],
  'help-points': [LAYER_IDS.helpPointsSelected, LAYER_IDS.helpPointsSymbol],
  'pspo-zones': [LAYER_IDS.pspoFill, LAYER_IDS.pspoOutline, LAYER_IDS.pspoSelected],
  'safer-streets-areas': [LAYER_IDS.saferStreetsFill, LAYER_IDS.saferStreetsOutline, LAYER_IDS.saferStreetsSelected],
};

/** The layer whose rendered features count as "this layer is on the map" (used by tests and clicks). */
export const PRIMARY_LAYER_ID: Record<LayerName, LayerId> = {
  lsoas: LAYER_IDS.lsoaFill,
  cameras: LAYER_IDS.camerasSymbol,
  'help-points': LAYER_IDS.helpPointsSymbol,
  'pspo-zones': LAYER_IDS.pspoFill,
  'safer-streets-areas': LAYER_IDS.saferStreetsFill,
};

/** Click priority, top first: a point symbol wins over the area under it; a drawn area over the layers it covers. */
export const CLICK_TARGETS: readonly { layerId: LayerId; layer: SelectableLayer }[] = [
  { layerId: LAYER_IDS.helpPointsSymbol, layer: 'help-points' },
  { layerId: LAYER_IDS.camerasSymbol, layer: 'cameras' },
  { layerId: LAYER_IDS.areasFill, layer: 'areas' },
  { layerId: LAYER_IDS.pspoFill, layer: 'pspo-zones' },
  { layerId: LAYER_IDS.saferStreetsFill, layer: 'safer-streets-areas' },
  { layerId: LAYER_IDS.lsoaFill, layer: 'lsoas' },
];

/** The property that identifies a feature of each layer. */
export const ID_FIELD: Record<SelectableLayer, 'code' | 'id'> = {
  lsoas: 'code',
  cameras: 'id',
  'help-points': 'id',
  'pspo-zones': 'id',
  'safer-streets-areas': 'id',
  areas: 'id',
};
