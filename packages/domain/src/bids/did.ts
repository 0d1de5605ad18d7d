import type { EvaluationCounts, EvaluationResult } from '@safer-places/schemas';
import { percentChange, roundHalfAway } from '@safer-places/schemas';

/**
 * Difference in differences for one target area against one comparison area, on counts in equal-length windows
 * before and after the start month.
 *
 * expected target after = target before × (comparison after ÷ comparison before): what the target would have recorded
 * had it moved like the comparison area.
 *   absolute = target after − expected (crimes; negative = fewer than expected)
 *   relative = (target after ÷ target before) ÷ (comparison after ÷ comparison before) − 1 (the ratio of ratios)
 *   unscaled = (target after − target before) − (comparison after − comparison before), the textbook difference of
 *              differences on raw counts; only meaningful when both areas have similar volumes.
 */
export const DID_METHOD =
  'Expected target count after = target before × (comparison after ÷ comparison before). Absolute effect = target after − expected (crimes). Relative effect = (target after ÷ target before) ÷ (comparison after ÷ comparison before) − 1. Unscaled = (target after − target before) − (comparison after − comparison before).';

export const DID_CAVEATS = [
  'One target area against one comparison area cannot show statistical significance: treat the estimate as descriptive, not as proof that the scheme worked.',
  'Regression to the mean: areas are usually chosen when crime is unusually high, and unusually high counts tend to fall back on their own. A fall in the target may partly be that.',
  'Displacement: crime may move to nearby streets (the buffer ring) rather than stop; a rise in the buffer suggests displacement, a fall suggests diffusion of benefits.',
  'Recorded crime also changes with reporting, recording practice and police activity, which an intervention can itself change (more patrols, more reports).',
  'police.uk locations are anonymised to nearby map points, so crimes on the edge of the target may be counted on the wrong side of it.',
];

export function counts(before: number, after: number): EvaluationCounts {
  return { before, after, change: after - before, changePercent: percentChange(after, before) };
}

export function differenceInDifferences(target: EvaluationCounts, comparison: EvaluationCounts): EvaluationResult['did'] {
  const ratioC = comparison.before > 0 ? comparison.after / comparison.before : null;
  const expected = ratioC === null ? null : target.before * ratioC;
  const absolute = expected === null ? null : roundHalfAway(target.after - expected, 1);
  const relative = ratioC !== null && ratioC > 0 && target.before > 0 ? roundHalfAway(target.after / target.before / ratioC - 1, 3) : null;
  return {
    absolute,
    relative,
    unscaled: target.after - target.before - (comparison.after - comparison.before),
    method: DID_METHOD,
  };
}
