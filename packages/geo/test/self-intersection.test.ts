import { describe, expect, it } from 'vitest';
import { kinks } from '@turf/turf';
import type { AreaGeometry } from '@safer-places/schemas';
import { findSelfIntersection } from '../src/index';
import { expectGolden, readInput } from './golden';

const cases = readInput<{ features: { geometry: AreaGeometry; properties: { name: string } }[] }>('self-intersection', 'cases').features;
const byName = (name: string) => cases.find((c) => c.properties.name === name)!.geometry;

describe('findSelfIntersection', () => {
  it('matches the golden results', () => {
    const features = cases.map((c) => {
      const hit = findSelfIntersection(c.geometry);
      return { type: 'Feature', properties: { name: c.properties.name, valid: hit === null }, geometry: hit ? { type: 'Point', coordinates: hit } : null };
    });
    expectGolden('self-intersection', 'results', { type: 'FeatureCollection', features });
  });

  it.each([
    ['bowtie', [1, 1]],
    ['hole-crosses-shell', [10, 4]],
    ['multipolygon-second-part-bowtie', [4, 1]],
    ['ring-pinched-at-vertex', [2, 2]],
    ['spike', [4, 4]],
    ['hole-shares-shell-edge', [0, 2]],
  ])('finds where %s goes wrong', (name, at) => {
    expect(findSelfIntersection(byName(name))).toEqual(at);
  });

  it.each(['square', 'square-with-hole', 'multipolygon-touching-corner', 'hole-touches-shell-at-a-point', 'repeated-vertex-is-fine'])(
    'accepts the valid %s',
    (name) => {
      expect(findSelfIntersection(byName(name))).toBeNull();
    },
  );

  it('agrees with turf.kinks on a plain crossing, and differs where kinks is too strict', () => {
    const bowtie = byName('bowtie');
    expect(kinks(bowtie as any).features[0]!.geometry.coordinates).toEqual(findSelfIntersection(bowtie));
    // kinks reports the single touching vertex of a hole, which OGC (and we) allow.
    expect(kinks(byName('hole-touches-shell-at-a-point') as any).features.length).toBeGreaterThan(0);
  });

  it('checks every ring against every other on a larger polygon', () => {
    // A 200-vertex star is simple; moving one vertex across the opposite side makes it cross.
    const ring: [number, number][] = [];
    for (let i = 0; i < 200; i++) {
      const a = (i / 200) * 2 * Math.PI;
      const r = i % 2 ? 1 : 0.8;
      ring.push([r * Math.cos(a), r * Math.sin(a)]);
    }
    ring.push(ring[0]!);
    expect(findSelfIntersection({ type: 'Polygon', coordinates: [ring] })).toBeNull();
    const broken = ring.map((p) => [...p] as [number, number]);
    broken[50] = [0, -2];
    expect(findSelfIntersection({ type: 'Polygon', coordinates: [broken] })).not.toBeNull();
  });
});
