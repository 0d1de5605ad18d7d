import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '@safer-places/schemas';
import { adjacencyBySegments, connectedComponents, neighboursOf, polygonAdjacency, ringOfNeighbours } from '../src/index';
import { expectGolden, readInput } from './golden';

/** 13 real Nottingham LSOA21 boundaries (ONS BSC V4, OGL v3): Hyson Green, Arboretum, Radford and around. */
const fc = readInput('bids', 'nottingham-lsoas') as { features: { geometry: AreaGeometry; properties: { LSOA21CD: string } }[] };
const codes = fc.features.map((f) => f.properties.LSOA21CD);
const geometries = fc.features.map((f) => f.geometry);
const at = (code: string) => codes.indexOf(code);
const names = (ids: ArrayLike<number>) => Array.from(ids, (i) => codes[i]!);

const square = (x: number, y: number, d = 0.01): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
});

describe('polygonAdjacency (shared boundary, real LSOA21 boundaries)', () => {
  const adjacency = polygonAdjacency(geometries);

  it('matches the golden neighbour lists', () => {
    expectGolden('bids', 'nottingham-adjacency', Object.fromEntries(codes.map((c, i) => [c, names(neighboursOf(adjacency, i))])));
  });

  it('finds known neighbours and rejects known non-neighbours', () => {
    const n = (a: string) => names(neighboursOf(adjacency, at(a)));
    expect(n('E01013810')).toEqual(['E01013811', 'E01013812', 'E01013930', 'E01013944']);
    expect(n('E01013810')).not.toContain('E01013814'); // two streets apart
    expect(n('E01013844')).not.toContain('E01013810');
    expect(n('E01013948')).toEqual(['E01013814', 'E01013945']);
  });

  it('is symmetric and agrees with the slow edge-by-edge reference', () => {
    const reference = adjacencyBySegments(geometries);
    expect(Array.from(adjacency.offsets)).toEqual(Array.from(reference.offsets));
    expect(Array.from(adjacency.neighbours)).toEqual(Array.from(reference.neighbours));
    for (let i = 0; i < adjacency.size; i++) for (const j of neighboursOf(adjacency, i)) expect(Array.from(neighboursOf(adjacency, j))).toContain(i);
  });

  it('does not count polygons touching only at a corner, and ignores vertex order and ring direction', () => {
    const a = square(0, 50);
    const b = square(0.01, 50.01); // corner to corner with a
    const c = square(0.01, 50); // shares a's east edge
    const reversed: AreaGeometry = { type: 'Polygon', coordinates: [[...(c.coordinates[0] as [number, number][])].reverse()] };
    const adj = polygonAdjacency([a, b, reversed]);
    expect(Array.from(neighboursOf(adj, 0))).toEqual([2]);
    expect(Array.from(neighboursOf(adj, 1))).toEqual([2]);
    expect(Array.from(adjacencyBySegments([a, b, reversed]).neighbours)).toEqual(Array.from(adj.neighbours));
  });

  it('finds a neighbour that shares only part of an edge when the vertices line up', () => {
    // c's west edge is split in two by a vertex at 50.005: only the half matching a's vertices counts.
    const a: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 50], [0.01, 50], [0.01, 50.005], [0.01, 50.01], [0, 50.01], [0, 50]]] };
    const c: AreaGeometry = { type: 'Polygon', coordinates: [[[0.01, 50], [0.02, 50], [0.02, 50.005], [0.01, 50.005], [0.01, 50]]] };
    expect(Array.from(neighboursOf(polygonAdjacency([a, c]), 0))).toEqual([1]);
  });
});

describe('connectedComponents', () => {
  const adjacency = polygonAdjacency(geometries);

  it('splits a selection into contiguous groups, largest first', () => {
    const selected = ['E01013810', 'E01013811', 'E01013812', 'E01013844', 'E01013847', 'E01013948'].map(at);
    expect(connectedComponents(adjacency, selected).map(names)).toEqual([
      ['E01013810', 'E01013811', 'E01013812'],
      ['E01013844', 'E01013847'],
      ['E01013948'],
    ]);
  });

  it('uses only links between selected LSOAs: two LSOAs joined through an unselected one are two groups', () => {
    // E01013810 and E01013814 both border E01013812, but not each other.
    expect(connectedComponents(adjacency, [at('E01013810'), at('E01013814')]).map(names)).toEqual([['E01013810'], ['E01013814']]);
  });

  it('lists the neighbours around a selection', () => {
    expect(names(ringOfNeighbours(adjacency, [at('E01013948')]))).toEqual(['E01013814', 'E01013945']);
    expect(connectedComponents(adjacency, [])).toEqual([]);
  });
});
