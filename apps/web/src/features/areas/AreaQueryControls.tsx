import { useId } from 'react';
import { CategoryPicker } from '../../shared/CategoryPicker';
import { AREA_PERIOD_CHOICES, areaPeriodOptionLabel, type AreaPeriodChoice, type AreaQueryState } from './areaQuery';

/** What the area panel counts: the crime types and the period (by default the map's). */
export function AreaQueryControls(props: { query: AreaQueryState; onQuery(q: AreaQueryState): void; mapPeriodLabel: string | null }) {
  const id = useId();
  const { categories } = props.query;
  return (
    <div className="area-query">
      <h3 className="side-panel__section">What to count</h3>
      <CategoryPicker categories={categories} onChange={(c) => props.onQuery({ ...props.query, categories: c })} legend="Crime types to count" />
      <label htmlFor={`${id}-period`} className="field-label">Period</label>
      <select id={`${id}-period`} value={props.query.period} onChange={(e) => props.onQuery({ ...props.query, period: e.currentTarget.value as AreaPeriodChoice })}>
        {AREA_PERIOD_CHOICES.map((p) => (
          <option key={p.value} value={p.value}>
            {areaPeriodOptionLabel(p.value, props.mapPeriodLabel)}
          </option>
        ))}
      </select>
    </div>
  );
}
