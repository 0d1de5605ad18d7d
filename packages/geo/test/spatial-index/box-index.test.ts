import type { BBox } from '@safer-places/schemas';
import { describe, expect, it } from 'vitest';
import { bboxIntersects } from '../../src/bbox';
import { seededRandom } from '../../src/seeded-random';
import { createBoxIndex } from '../../src/spatial-index/box-index';

describe('createBoxIndex', () => {
  const rng = seededRandom(7);
  const boxes: BBox[] = Array.from({ length: 5_000 }, () => {
    const x = -3 + rng.next() * 4;
    const y = 51 + rng.next() * 3;
    return [x, y, x + rng.next() * 0.05, y + rng.next() * 0.05];
  });
  const index = createBoxIndex(boxes);

  it('finds exactly the boxes a linear scan finds, in input order', () => {
    for (let q = 0; q < 300; q++) {
      const x = -3.2 + rng.next() * 4.4;
      const y = 50.8 + rng.next() * 3.4;
      const query: BBox = [x, y, x + rng.next() * 0.3, y + rng.next() * 0.3];
      const want = boxes.flatMap((b, i) => (bboxIntersects(b, query) ? [i] : []));
      expect(index.search(query)).toEqual(want);
    }
  });

  it('counts boxes that only touch the query (shared edge or corner)', () => {
    const [w, s, e, n] = boxes[0]!;
    expect(index.search([e, n, e + 1, n + 1])).toContain(0);
    expect(index.search([w - 1, s - 1, w, s])).toContain(0);
  });

  it('an empty list finds nothing', () => {
    const empty = createBoxIndex([]);
    expect(empty.size).toBe(0);
    expect(empty.search([-180, -90, 180, 90])).toEqual([]);
  });
});
