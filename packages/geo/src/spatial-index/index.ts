export { type PointIndex, createPointIndex, pointsInPolygon, countByCategory } from './points-in-polygon';
export { type BoxIndex, createBoxIndex } from './box-index';
export { pointInArea } from './point-in-area';
