import { useState } from 'react';
import type { CategorySelection, LayerName, Measure } from '@safer-places/schemas';
import type { PeriodChoice } from '../../shared/period';

const ALL_VISIBLE: Record<LayerName, boolean> = { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true };

/**
 * What the map controls column holds: the dataset, the layers shown, and what the LSOA shading measures. The column is
 * on screen signed in or not, so these choices live above the signed-in workspace and survive a change of user.
 */
export function useMapPreferences() {
  const [datasetId, setDatasetId] = useState<string | null>(null);
  const [visible, setVisible] = useState<Record<LayerName, boolean>>(ALL_VISIBLE);
  const [showCoverage, setShowCoverage] = useState(false);
  const [measure, setMeasure] = useState<Measure>('rate');
  const [category, setCategory] = useState<CategorySelection>('all-crime');
  const [periodChoice, setPeriodChoice] = useState<PeriodChoice>('last-12');
  const [custom, setCustom] = useState({ from: '', to: '' });
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
  };
}

export type MapPreferences = ReturnType<typeof useMapPreferences>;
