import { useState } from 'react';
import type { CategorySelection, LayerName, Measure } from '@safer-places/schemas';
import type { PeriodChoice } from '../../shared/period';

const ALL_VISIBLE: Record<LayerName, boolean> = { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true };

/**
 * What the map controls column holds: the dataset, the layers shown, and what the LSOA shading measures. The column is
 * on screen signed in or not, so these choices live above the signed-in workspace and survive a change of user. They
 * are also kept in the address (app/useUrlView.ts sets them from a shared link and writes them back as they change).
 */
export function useMapPreferences() {
  const [datasetId, setDatasetId] = useState<string | null>(null);
  const [visible, setVisible] = useState<Record<LayerName, boolean>>(ALL_VISIBLE);
  const [showCoverage, setShowCoverage] = useState(false);
  const [measure, setMeasure] = useState<Measure>('rate');
  const [category, setCategory] = useState<CategorySelection>('all-crime');
  const [periodChoice, setPeriodChoice] = useState<PeriodChoice>('last-12');
  const [custom, setCustom] = useState({ from: '', to: '' });
  // The context layer (district and ward boundaries, place names): on unless the user switches it off.
  const [showContext, setShowContext] = useState(true);
  const show = (layer: LayerName, on = true) => setVisible((v) => ({ ...v, [layer]: on }));
  return {
    datasetId,
    setDatasetId,
    visible,
    show,
    showCoverage,
    setShowCoverage,
    measure,
    setMeasure,
    category,
    setCategory,
    periodChoice,
    setPeriodChoice,
    custom,
    setCustom,
    showContext,
    setShowContext,
  };
}

export type MapPreferences = ReturnType<typeof useMapPreferences>;
