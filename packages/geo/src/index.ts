export { geometryBBox, bboxIntersects } from './bbox';
export { coverageCircle } from './coverage-circle';
export { findSelfIntersection } from './self-intersection';
export { tessellate } from './tessellate';
export { unionAreas } from './union-areas';
export { createPolygonLocator, type PolygonLocator } from './polygon-locator';
export { seededRandom, type SeededRandom } from './seeded-random';
export { overlapShares, areasIntersect, type OverlapShare } from './area-overlap';
export {
  projectPosition,
  unprojectPosition,
  projectRing,
  distanceMetres,
  planarRingArea,
  planarPathLength,
  ringAreaSquareMetres,
  ringPerimeterMetres,
  areaSquareMetres,
  areaSquareKilometres,
  pointSegmentDistance,
  distanceToArea,
  distanceToAreaMetres,
  destinationPosition,
  circlePolygon,
  sectorPolygon,
  cameraViewAt,
  coveredAmong,
} from './measure';
export * from './projection/index';
export * from './spatial-index/index';
export * from './render/index';
export * from './hotspots/index';
export * from './bids/index';
export * from './planning/index';
export { findAreaProblem, type AreaProblem, type AreaProblemKind } from './area-validity';
export * from './context/index';
