import type { CategorySelection, DatasetSummary, LayerName } from '@safer-places/schemas';
import type { PeriodChoice, PeriodResolution } from '../../shared/period';
import { ChoroplethControls, LayerControls } from './Controls';
import type { MapPreferences } from './useMapPreferences';

export interface MapControlsProps {
  prefs: MapPreferences;
  dataset: DatasetSummary | null;
  /** The map's period resolved for the dataset (null without one). */
  period: PeriodResolution | null;
  counts: Partial<Record<LayerName, number>>;
  /** The drawn areas' checkbox (signed in only). */
  areas?: { visible: boolean; onToggle(on: boolean): void; count: number | undefined };
  signedIn: boolean;
  /** Why the map shows another measure than the one chosen (shownMeasure), under the measure. */
  measureNote?: string | null;
}

/** The layer checkboxes and the LSOA shading's measure, crime type and period. */
export function MapControls({ prefs, dataset, period, counts, areas, signedIn, measureNote = null }: MapControlsProps) {
  // A custom range starts from the current preset so the inputs are never empty.
  const onPeriod = (choice: PeriodChoice) => {
    if (choice === 'custom' && period?.ok && !prefs.custom.from) prefs.setCustom({ from: period.range.from, to: period.range.to });
    prefs.setPeriodChoice(choice);
  };
  return (
    <>
      <LayerControls
        visible={prefs.visible}
        onToggle={(layer, on) => prefs.show(layer, on)}
        showCoverage={prefs.showCoverage}
        onCoverage={prefs.setShowCoverage}
        counts={counts}
        {...(areas && { areas })}
        context={{ visible: prefs.showContext, onToggle: prefs.setShowContext }}
      />
      <ChoroplethControls
        measure={prefs.measure}
        onMeasure={prefs.setMeasure}
        category={prefs.category}
        onCategory={(c) => prefs.setCategory(c as CategorySelection)}
        period={prefs.periodChoice}
        onPeriod={onPeriod}
        custom={prefs.custom}
        onCustom={prefs.setCustom}
        firstMonth={dataset?.firstMonth ?? null}
        lastMonth={dataset?.lastMonth ?? null}
        periodError={period && !period.ok ? period.error : null}
        disabled={!signedIn}
        measureNote={measureNote}
      />
    </>
  );
}
