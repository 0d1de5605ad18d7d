import { bench, describe } from 'vitest';
import { adjacencyBySegments, connectedComponents, polygonAdjacency } from '../src/index';
import { boundariesAvailable, englandLsoas, nottinghamshireLsoas } from './bids-real-data';

/** LSOA adjacency (shared boundary) on real ONS boundaries: edge hashing against the edge-by-edge reference. */
const available = boundariesAvailable();
const notts = available ? nottinghamshireLsoas().map((l) => l.geometry) : [];
const england = available ? englandLsoas().map((l) => l.geometry) : [];
let sink = 0;

describe.runIf(available)(`adjacency of the ${notts.length} Nottinghamshire LSOAs`, () => {
  bench('polygonAdjacency (edge hashing)', () => {
    sink += polygonAdjacency(notts).neighbours.length;
  });
  bench('baseline: adjacencyBySegments (bbox pairs, edge × edge)', () => {
    sink += adjacencyBySegments(notts).neighbours.length;
  });
});

describe.runIf(available)(`adjacency and contiguity of all ${england.length} England LSOAs`, () => {
  bench(
    'polygonAdjacency + connectedComponents of every LSOA',
    () => {
      const a = polygonAdjacency(england);
      sink += connectedComponents(a, england.map((_, i) => i)).length;
    },
    { iterations: 3, warmupIterations: 1 },
  );
  bench(
    'baseline: adjacencyBySegments + connectedComponents',
    () => {
      const a = adjacencyBySegments(england);
      sink += connectedComponents(a, england.map((_, i) => i)).length;
    },
    { iterations: 2, warmupIterations: 0 },
  );
});

export { sink };
