export {
  type Grid,
  type GridShape,
  type Extent,
  type GridOptions,
  type GridCellFeature,
  MIN_CELL_SIZE,
  MAX_CELL_SIZE,
  MAX_GRID_CELLS,
  autoCellSize,
  pointsExtent,
  createGrid,
  cellCount,
  cellArea,
  rowSpacing,
  isShiftedRow,
  rowCentreX0,
  rowCentreY,
  cellCentre,
  cellOf,
  assignCells,
  countCells,
  gridCounts,
  cellNeighbours,
  cellRing,
  cellsToGeoJSON,
} from './grid';
export { areasExtent, gridMask, maskSize, populationGrid, rasterisePolygon, polygonRingsToBng } from './grid-mask';
export {
  type KdeOptions,
  type KdeResult,
  type DualKdeOptions,
  type DualKdeResult,
  bandwidthNrd,
  defaultBandwidth,
  kde,
  kdeOfGrid,
  dualKde,
  densityToCellCount,
} from './kde';
export { type PAdjustMethod, P_ADJUST_METHODS, erfc, twoSidedP, adjustPValues, adjustDistinct } from './multiple-testing';
export { type GiStarOptions, type GiStarResult, GI_CLASS_ALPHA, giClass, giStar, significantCells } from './gistar';
export {
  type CountChange,
  type HotspotCategory,
  type HotspotClassifyOptions,
  type HotspotClassification,
  type HotspotRules,
  HOTSPOT_CATEGORIES,
  HOTSPOT_CLASSIFY_DEFAULTS,
  NO_PERIOD,
  countChange,
  monthPeriods,
  classifyHotspots,
  hotspotCategoryOf,
} from './hotspot-change';
export { type TopHotspot, type TopHotspotOptions, topHotspots, topHotspotsByCategory } from './top-hotspots';
export {
  type UniqueCoordinates,
  type DominantCoordinate,
  type SnapPointCheck,
  type SnapPointOptions,
  NO_COORDINATE,
  DEFAULT_SNAP_THRESHOLD,
  uniqueCoordinates,
  dominantCoordinate,
  snapPointCheck,
} from './snap-points';
export { type PointFilter, selectPoints } from './select-points';
