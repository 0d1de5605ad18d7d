export { type RouteOptions, type RouteOrder, orderRoute, tourLength } from './route-order';
export { type CameraView, inView, cameraSees, pointTree, coveredPoints, pointsInView } from './camera-coverage';
export { type GreedySitesOptions, type GreedyPick, type GreedySitesResult, greedySites } from './greedy-sites';
export { cameraViewPolygon } from './view-polygon';
