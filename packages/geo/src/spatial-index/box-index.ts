import Flatbush from 'flatbush';
import type { BBox } from '@safer-places/schemas';

/** Which of a fixed list of boxes meet a query box, without looking at each of them. */
export interface BoxIndex {
  /** How many boxes the index holds. */
  readonly size: number;
  /** Indexes (into the list the index was built from) of the boxes that meet `box`, edges included, ascending. */
  search(box: BBox): number[];
}

/**
 * An R-tree (packed Hilbert, static) over `boxes` ([west, south, east, north] each): a query costs about log(n) plus
 * what it finds, so picking England's LSOAs near a drawn area reads a few dozen boxes, not 33,755. The answer is in
 * the input order, so a caller filtering a list through it keeps that list's order.
 */
export function createBoxIndex(boxes: readonly BBox[]): BoxIndex {
  if (boxes.length === 0) return { size: 0, search: () => [] };
  const tree = new Flatbush(boxes.length);
  for (const [w, s, e, n] of boxes) tree.add(w, s, e, n);
  tree.finish();
  return {
    size: boxes.length,
    search: ([w, s, e, n]) => tree.search(w, s, e, n).sort((a, b) => a - b),
  };
}
