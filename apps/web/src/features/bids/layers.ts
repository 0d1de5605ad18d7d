import type { FeatureCollection } from '@safer-places/schemas';
import type { LayerBundle } from '../../map/types';
import { BID_COLOURS } from '../../map/palette';
import { LAYER_IDS, SOURCE_IDS } from '../../map/layers/ids';
import { geojsonSource } from '../../map/layers/common';

export const BID_FILL_OPACITY = { eligible: 0.3, selection: 0.45, comparison: 0.3, buffer: 0.12 } as const;

export interface BidLayerOptions {
  eligible?: FeatureCollection;
  selection?: FeatureCollection;
  target?: FeatureCollection;
  buffer?: FeatureCollection;
  comparison?: FeatureCollection;
}

/**
 * A bid on the map: the LSOAs the criteria found eligible, the ones chosen for the bid, their dissolved target area,
 * the displacement buffer ring around it and the suggested comparison area.
 */
export function bidLayers(opts: BidLayerOptions): LayerBundle {
  return {
    sources: [
      { id: SOURCE_IDS.bidEligible, source: geojsonSource(opts.eligible) },
      { id: SOURCE_IDS.bidSelection, source: geojsonSource(opts.selection) },
      { id: SOURCE_IDS.bidTarget, source: geojsonSource(opts.target) },
      { id: SOURCE_IDS.bidBuffer, source: geojsonSource(opts.buffer) },
      { id: SOURCE_IDS.bidComparison, source: geojsonSource(opts.comparison) },
    ],
    layers: [
      { id: LAYER_IDS.bidEligibleFill, type: 'fill', source: SOURCE_IDS.bidEligible, paint: { 'fill-color': BID_COLOURS.eligible, 'fill-opacity': BID_FILL_OPACITY.eligible } },
      { id: LAYER_IDS.bidEligibleOutline, type: 'line', source: SOURCE_IDS.bidEligible, paint: { 'line-color': BID_COLOURS.eligible, 'line-width': 1.5 } },
      { id: LAYER_IDS.bidComparisonFill, type: 'fill', source: SOURCE_IDS.bidComparison, paint: { 'fill-color': BID_COLOURS.comparison, 'fill-opacity': BID_FILL_OPACITY.comparison } },
      {
        id: LAYER_IDS.bidComparisonOutline,
        type: 'line',
        source: SOURCE_IDS.bidComparison,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': BID_COLOURS.comparison, 'line-width': 2.5, 'line-dasharray': [3, 2] },
      },
      { id: LAYER_IDS.bidBufferFill, type: 'fill', source: SOURCE_IDS.bidBuffer, paint: { 'fill-color': BID_COLOURS.buffer, 'fill-opacity': BID_FILL_OPACITY.buffer } },
      {
        id: LAYER_IDS.bidBufferOutline,
        type: 'line',
        source: SOURCE_IDS.bidBuffer,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': BID_COLOURS.buffer, 'line-width': 2, 'line-dasharray': [0.5, 2] },
      },
      { id: LAYER_IDS.bidSelectionFill, type: 'fill', source: SOURCE_IDS.bidSelection, paint: { 'fill-color': BID_COLOURS.selection, 'fill-opacity': BID_FILL_OPACITY.selection } },
      { id: LAYER_IDS.bidSelectionOutline, type: 'line', source: SOURCE_IDS.bidSelection, paint: { 'line-color': BID_COLOURS.selection, 'line-width': 1.5 } },
      { id: LAYER_IDS.bidTargetOutline, type: 'line', source: SOURCE_IDS.bidTarget, layout: { 'line-join': 'round' }, paint: { 'line-color': BID_COLOURS.target, 'line-width': 3.5 } },
    ],
  };
}
