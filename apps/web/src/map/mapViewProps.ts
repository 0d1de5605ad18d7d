import type { BBox, FeatureCollection, LayerName, Position } from '@safer-places/schemas';
import type { BaseMapConfig } from '@safer-places/schemas';
import type { DrawingCallbacks, DrawingState } from './areaDrawing';
import type { BaseStyle } from './style';
import type { BidLayerOptions, ChoroplethPaint, HotspotMode, LsoaView, SelectableLayer } from './layers';
import type { MapTileSource } from './types';
import type { Map as MapLibreMap } from 'maplibre-gl';

/* What the map component takes and offers: its props, its imperative handle and the selection it reports. */

export interface MapSelection {
  layer: SelectableLayer;
  id: string;
}

export interface MapViewHandle {
  /** The map centre as [lon, lat], e.g. to place a new camera without a pointer. */
  getCenter(): Position | null;
  /** What the map shows as [minLon, minLat, maxLon, maxLat], e.g. to limit a patrol plan to the beat in view. */
  getBounds(): BBox | null;
  fitBounds(bbox: BBox, opts?: { maxZoom?: number }): void;
  /** The MapLibre map itself once created (null before): for features that read the view or the canvas (export, shared views, search). */
  getMap(): MapLibreMap | null;
}

/** The hot spot analysis on show: its cells and numbered top spots, and what is selected in them. */
export interface HotspotMapState {
  mode: HotspotMode;
  cells: FeatureCollection | null;
  spots: FeatureCollection | null;
  selectedCell: number | null;
  selectedSpot: string | null;
}

export interface MapViewProps extends DrawingCallbacks {
  baseStyleUrl: string | null;
  /** The base map GET /api/config names (absent from older servers: `baseStyleUrl` is the style, or none). */
  basemap?: BaseMapConfig;
  /** Where to look first (the dataset's extent). */
  initialBounds: BBox | null;
  /** Show this whole box once per `seq` (the session's place: at landing and whenever another place is chosen). */
  fitTo?: { bbox: BBox; seq: number } | null;
  /** The organisation's layers as GeoJSON (the LSOA layer is drawn from `lsoaTiles`; a `lsoas` entry here is not drawn). */
  data: Partial<Record<LayerName, FeatureCollection | null | undefined>>;
  /** The dataset's LSOA vector tiles (URL and the headers each tile request carries); null until a dataset is known. */
  lsoaTiles?: MapTileSource | null;
  /** The scope's LSOAs and the feature state of each (value, class, in scope): what the LSOA tiles are drawn with. */
  lsoaView?: LsoaView | null;
  coverage: FeatureCollection | null;
  visible: Record<LayerName, boolean>;
  showCoverage: boolean;
  choropleth: ChoroplethPaint;
  selected: MapSelection | null;
  draft: Position | null;
  /** While true a click reports the clicked point instead of selecting a feature. */
  addMode: boolean;
  /** True when every layer's data (and the statistics) has arrived. */
  dataReady: boolean;
  /** The organisation's saved drawn areas, their checkbox, and the one being reshaped (drawn by the editor instead). */
  areas: FeatureCollection | null | undefined;
  showAreas: boolean;
  /** The context layer (district and ward boundaries, place names, from the LSOA tiles' dataset); default shown. */
  showContext?: boolean;
  hiddenAreaId: string | null;
  /** What the drawing layer does: nothing, draw a new shape, show an unsaved one, or edit one. */
  drawing: DrawingState;
  onSelect(layer: SelectableLayer, id: string, properties: Record<string, unknown>): void;
  onClearSelection(): void;
  onMapClick(position: Position): void;
  onViewChange?(bbox: BBox): void;
  onBaseStyle?(base: BaseStyle): void;
  /** Hot spot results, or null when the analysis is not shown. */
  hotspots?: HotspotMapState | null;
  /** A click on a numbered top hot spot or a hot spot cell (these take clicks before any other layer). */
  onHotspotClick?(hit: { kind: 'spot'; key: string } | { kind: 'cell'; cell: number }): void;
  /** The planner's patrol route, gaps, sites or suggestions (features carry their kind, colour and icon), or null. */
  planning?: { features: FeatureCollection | null } | null;
  /** The bid being prepared (eligible and chosen LSOAs, target, buffer, comparison), or null. */
  bid?: BidLayerOptions | null;
}
