export { type PointIndex, createPointIndex, pointsInPolygon, countByCategory } from './points-in-polygon';
