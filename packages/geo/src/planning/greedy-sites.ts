import { kdTree } from '../spatial-index/kd-tree';
import { uniqueCoordinates } from '../hotspots/snap-points';

/**
 * Where k new cameras would cover the most crimes not yet covered (maximum coverage), by the greedy rule: take the
 * candidate site that newly covers the most crimes, count those crimes as covered, repeat. Coverage is submodular, so
 * the greedy total is at least (1 − 1/e) ≈ 63 % of the best possible for the same k (Nemhauser, Wolsey & Fisher 1978),
 * each pick's marginal gain is never larger than the one before it, and the first pick is always the best single site.
 * It is not always the best set: two sites that each cover half of a cluster can beat the greedy pair.
 *
 * Implementation: crimes are grouped by published coordinate (police.uk snap points) with a weight each, every
 * candidate's coverage set is one KD-tree range query, and gains are re-evaluated lazily (CELF, Leskovec et al. 2007):
 * a candidate's stale gain is an upper bound, so only candidates that reach the top of the queue are recounted. The
 * picks are exactly those of the plain greedy rule, ties going to the lower candidate index.
 */
export interface GreedySitesOptions {
  /** Candidate sites, interleaved x/y in the points' metres. */
  candidates: Float64Array;
  /** Coverage radius of a new camera, metres. */
  radius: number;
  /** How many sites to pick. */
  k: number;
  /** Points that count (e.g. the chosen crime types and period). Default all. */
  indices?: ArrayLike<number>;
  /** Per point (indexed like xy): 1 when an existing camera already covers it, so it adds nothing. */
  covered?: Uint8Array;
}

export interface GreedyPick {
  /** 1-based order of the pick. */
  rank: number;
  /** Index into the candidates. */
  candidate: number;
  x: number;
  y: number;
  /** Crimes this site covers that nothing before it covered (its marginal gain). */
  gain: number;
  /** Crimes covered (existing cameras and earlier picks) before and after this pick. */
  coveredBefore: number;
  coveredAfter: number;
  /** The newly covered points, ascending. */
  members: Uint32Array;
}

export interface GreedySitesResult {
  picks: GreedyPick[];
  /** Points in the selection with finite coordinates. */
  total: number;
  /** Of those, covered before any pick. */
  coveredInitially: number;
  /** Gain evaluations made (the lazy evaluation's work; a plain greedy makes k × candidates). */
  evaluations: number;
}

export function greedySites(xy: Float64Array, options: GreedySitesOptions): GreedySitesResult {
  const { candidates, radius, k } = options;
  if (!(radius > 0) || !Number.isFinite(radius)) throw new RangeError('greedySites: radius must be a positive number of metres');
  if (!Number.isInteger(k) || k < 0) throw new RangeError('greedySites: k must be a whole number ≥ 0');
  if (candidates.length % 2 !== 0) throw new RangeError('greedySites: candidates must be interleaved x/y pairs');
  const covered = options.covered;
  const n = options.indices ? options.indices.length : xy.length >> 1;

  // The selection split into already covered (counted only) and open points (grouped by coordinate).
  const open: number[] = [];
  let total = 0;
  let coveredInitially = 0;
  for (let t = 0; t < n; t++) {
    const i = options.indices ? options.indices[t]! : t;
    if (!Number.isFinite(xy[2 * i]!) || !Number.isFinite(xy[2 * i + 1]!)) continue;
    total++;
    if (covered && covered[i]) coveredInitially++;
    else open.push(i);
  }
  const coords = uniqueCoordinates(xy, open);
  const U = coords.count;
  const C = candidates.length >> 1;
  if (U === 0 || C === 0 || k === 0) return { picks: [], total, coveredInitially, evaluations: 0 };

  const tree = kdTree(coords.xy, U);
  // Coverage set of every candidate (CSR): the distinct coordinates within the radius.
  const r2 = radius * radius + 1e-9;
  const offsets = new Uint32Array(C + 1);
  const sets: number[] = [];
  for (let c = 0; c < C; c++) {
    const cx = candidates[2 * c]!, cy = candidates[2 * c + 1]!;
    if (Number.isFinite(cx) && Number.isFinite(cy)) {
      for (const u of tree.within(cx, cy, radius + 1e-6)) {
        const dx = coords.xy[2 * u]! - cx, dy = coords.xy[2 * u + 1]! - cy;
        if (dx * dx + dy * dy <= r2) sets.push(u);
      }
    }
    offsets[c + 1] = sets.length;
  }
  const setIds = Uint32Array.from(sets);
  const done = new Uint8Array(U);
  const gainOf = (c: number) => {
    let g = 0;
    for (let j = offsets[c]!; j < offsets[c + 1]!; j++) if (!done[setIds[j]!]) g += coords.weight[setIds[j]!]!;
    return g;
  };

  // Max-heap on (gain desc, candidate asc) with the round each gain was computed in.
  const heapGain: number[] = [];
  const heapCand: number[] = [];
  const heapRound: number[] = [];
  const before = (a: number, b: number) => heapGain[a]! > heapGain[b]! || (heapGain[a] === heapGain[b] && heapCand[a]! < heapCand[b]!);
  const swap = (a: number, b: number) => {
    [heapGain[a], heapGain[b]] = [heapGain[b]!, heapGain[a]!];
    [heapCand[a], heapCand[b]] = [heapCand[b]!, heapCand[a]!];
    [heapRound[a], heapRound[b]] = [heapRound[b]!, heapRound[a]!];
  };
  const push = (gain: number, cand: number, round: number) => {
    heapGain.push(gain);
    heapCand.push(cand);
    heapRound.push(round);
    for (let i = heapGain.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(i, p)) break;
      swap(i, p);
      i = p;
    }
  };
  const pop = () => {
    const top = { gain: heapGain[0]!, cand: heapCand[0]!, round: heapRound[0]! };
    const last = heapGain.length - 1;
    swap(0, last);
    heapGain.pop();
    heapCand.pop();
    heapRound.pop();
    for (let i = 0; ; ) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heapGain.length && before(l, m)) m = l;
      if (r < heapGain.length && before(r, m)) m = r;
      if (m === i) break;
      swap(i, m);
      i = m;
    }
    return top;
  };

  let evaluations = 0;
  for (let c = 0; c < C; c++) {
    evaluations++;
    const g = gainOf(c);
    if (g > 0) push(g, c, 0);
  }
  const picks: GreedyPick[] = [];
  let coveredNow = coveredInitially;
  const byCoord = membersByCoordinate(coords.ids, open, U);
  while (picks.length < k && heapGain.length > 0) {
    const round = picks.length;
    const top = pop();
    if (top.round !== round) {
      evaluations++;
      const g = gainOf(top.cand);
      if (g > 0) push(g, top.cand, round);
      continue;
    }
    const members: number[] = [];
    for (let j = offsets[top.cand]!; j < offsets[top.cand + 1]!; j++) {
      const u = setIds[j]!;
      if (done[u]) continue;
      done[u] = 1;
      for (let q = byCoord.start[u]!; q < byCoord.start[u + 1]!; q++) members.push(byCoord.points[q]!);
    }
    picks.push({
      rank: round + 1,
      candidate: top.cand,
      x: candidates[2 * top.cand]!,
      y: candidates[2 * top.cand + 1]!,
      gain: top.gain,
      coveredBefore: coveredNow,
      coveredAfter: coveredNow + top.gain,
      members: Uint32Array.from(members).sort(),
    });
    coveredNow += top.gain;
  }
  return { picks, total, coveredInitially, evaluations };
}

/** The points of each distinct coordinate (counting sort), to report which crimes a pick covers. */
function membersByCoordinate(ids: Uint32Array, points: readonly number[], U: number) {
  const start = new Uint32Array(U + 1);
  for (const i of points) start[ids[i]! + 1]!++;
  for (let u = 0; u < U; u++) start[u + 1]! += start[u]!;
  const fill = start.slice(0, U);
  const out = new Uint32Array(points.length);
  for (const i of points) out[fill[ids[i]!]!++] = i;
  return { start, points: out };
}
