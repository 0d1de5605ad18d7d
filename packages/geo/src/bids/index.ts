export { type Adjacency, polygonAdjacency, connectedComponents, ringOfNeighbours, neighboursOf } from './adjacency';
export { adjacencyBySegments } from './adjacency-segments';
export { type DissolveOptions, type DissolveResult, dissolvePolygons } from './dissolve';
export { bufferRing, bufferArea } from './buffer-ring';
