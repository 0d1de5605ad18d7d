export { geometryBBox, bboxIntersects } from './bbox';
export { coverageCircle } from './coverage-circle';
export { findSelfIntersection } from './self-intersection';
export { tessellate } from './tessellate';
export { unionAreas } from './union-areas';
export { createPolygonLocator, type PolygonLocator } from './polygon-locator';
export { seededRandom, type SeededRandom } from './seeded-random';
export { overlapShares, areasIntersect, areaSquareMetres, distanceMetres, distanceToAreaMetres, type OverlapShare } from './area-overlap';
export * from './hotspots/index';
