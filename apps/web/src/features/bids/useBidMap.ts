import { useMemo, useState } from 'react';
import type { Position, SelectionResult } from '@safer-places/schemas';
import type { LayerCollection } from '../../api/client';
import { geometryCollection, lassoCodes, lsoaSubset, toggleCodes } from './selection';

/**
 * What the map shows of the bid being prepared: the LSOAs chosen (they stay when the panel closes), the ones the
 * criteria found eligible and the target area's geometries (these do not), and the lasso that adds LSOAs.
 */
export function useBidWorkspace({ open, lsoas }: { open: boolean; lsoas: LayerCollection | undefined }) {
  const [selection, setSelection] = useState<string[]>([]);
  const [eligible, setEligible] = useState<string[]>([]);
  const [result, setResult] = useState<SelectionResult | null>(null);
  const [lassoActive, setLassoActive] = useState(false);

  const layerData = useMemo(() => {
    if (!open) return null;
    return {
      eligible: lsoaSubset(lsoas, new Set(eligible)),
      selection: lsoaSubset(lsoas, new Set(selection)),
      target: geometryCollection(result?.target),
      buffer: geometryCollection(result?.buffer),
      comparison: geometryCollection(result?.comparison.geometry),
    };
  }, [open, lsoas, eligible, selection, result]);

  const legend = open
    ? { eligible: eligible.length, selected: selection.length, target: !!result, bufferM: result?.buffer ? result.bufferM : null, comparison: result?.comparison.lsoas.length ?? 0 }
    : null;

  /** Closing the panel: the lasso, the eligible LSOAs and the target area go; the chosen LSOAs stay. */
  const close = () => {
    setLassoActive(false);
    setEligible([]);
    setResult(null);
  };

  /** A click on an LSOA adds it to the target area or takes it out. */
  const toggle = (code: string) => setSelection((codes) => toggleCodes(codes, [code]));

  /** The lasso only adds (a click takes one out again). Returns what to announce. */
  const addByLasso = (ring: Position[]): string => {
    const codes = lassoCodes(lsoas, ring);
    const added = codes.filter((c) => !selection.includes(c));
    if (codes.length === 0) return 'No LSOA has its centre inside the lasso.';
    setSelection((current) => [...new Set([...current, ...codes])].sort());
    return `${added.length} LSOA${added.length === 1 ? '' : 's'} added by the lasso.`;
  };

  return { selection, setSelection, setEligible, setResult, lassoActive, setLassoActive, layerData, legend, close, toggle, addByLasso };
}

export type BidWorkspace = ReturnType<typeof useBidWorkspace>;
