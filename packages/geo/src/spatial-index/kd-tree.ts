import KDBush from 'kdbush';

/**
 * The one KD-tree (kdbush) builder of this package: a static tree over interleaved x/y points whose ids are the point
 * indices. A non-finite point is kept (so ids stay aligned) but placed at infinity, outside any real query box or
 * radius; an empty set gets one such point, since kdbush needs at least one. Query with coordinates in the points' own
 * units (lon/lat or BNG metres).
 */
export function kdTree(xy: Float64Array, count = xy.length >> 1): KDBush {
  const tree = new KDBush(Math.max(1, count), 64, Float64Array);
  for (let i = 0; i < count; i++) {
    const x = xy[2 * i]!, y = xy[2 * i + 1]!;
    if (Number.isFinite(x) && Number.isFinite(y)) tree.add(x, y);
    else tree.add(Infinity, Infinity);
  }
  if (count === 0) tree.add(Infinity, Infinity);
  tree.finish();
  return tree;
}
