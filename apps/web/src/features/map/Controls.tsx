import { useId } from 'react';
import { LAYER_NAMES, type LayerName, type Measure } from '@safer-places/schemas';
import { MEASURE_OPTIONS } from './choropleth';
import { formatInteger } from '../../shared/format';
import { CATEGORY_OPTIONS, LAYER_LABELS } from '../../shared/labels';
import { PERIOD_CHOICES, type PeriodChoice } from '../../shared/period';

export function LayerControls(props: {
  visible: Record<LayerName, boolean>;
  onToggle(layer: LayerName, on: boolean): void;
  showCoverage: boolean;
  onCoverage(on: boolean): void;
  counts: Partial<Record<LayerName, number>>;
  /** The organisation's drawn areas: a checkbox of their own, after the five data layers. */
  areas?: { visible: boolean; onToggle(on: boolean): void; count: number | undefined };
  /** The context layer (district and ward boundaries, place names from the dataset): a checkbox of its own, first. */
  context?: { visible: boolean; onToggle(on: boolean): void };
}) {
  const id = useId();
  return (
    <fieldset className="control-group">
      <legend>Layers</legend>
      {props.context && (
        <div className="check">
          <input type="checkbox" id={`${id}-context`} checked={props.context.visible} onChange={(e) => props.context!.onToggle(e.currentTarget.checked)} data-layer="context" />
          <label htmlFor={`${id}-context`}>Place names and boundaries</label>
        </div>
      )}
      {LAYER_NAMES.map((layer) => (
        <div className="check" key={layer}>
          <input
            type="checkbox"
            id={`${id}-${layer}`}
            checked={props.visible[layer]}
            onChange={(e) => props.onToggle(layer, e.currentTarget.checked)}
            data-layer={layer}
          />
          <label htmlFor={`${id}-${layer}`}>
            {LAYER_LABELS[layer]}
            {props.counts[layer] !== undefined && <span className="check__count"> ({formatInteger(props.counts[layer]!)})</span>}
          </label>
        </div>
      ))}
      <div className="check check--nested">
        <input
          type="checkbox"
          id={`${id}-coverage`}
          checked={props.showCoverage}
          disabled={!props.visible.cameras}
          onChange={(e) => props.onCoverage(e.currentTarget.checked)}
          aria-describedby={`${id}-coverage-hint`}
        />
        <label htmlFor={`${id}-coverage`}>Camera coverage circles</label>
        <p className="hint" id={`${id}-coverage-hint`}>
          {props.visible.cameras ? 'Radius per camera, or the default for its type.' : 'Switch cameras on to show coverage.'}
        </p>
      </div>
    </fieldset>
  );
}

export function ChoroplethControls(props: {
  measure: Measure;
  onMeasure(m: Measure): void;
  category: string;
  onCategory(c: string): void;
  period: PeriodChoice;
  onPeriod(p: PeriodChoice): void;
  custom: { from: string; to: string };
  onCustom(c: { from: string; to: string }): void;
  firstMonth: string | null;
  lastMonth: string | null;
  periodError: string | null;
  disabled: boolean;
  /** Why the map shows the count instead of the measure chosen (shownMeasure); the crime choices then apply. */
  measureNote?: string | null;
}) {
  const id = useId();
  const deprivationShown = props.measure === 'imd-decile' && !props.measureNote;
  const crimeDisabled = props.disabled || deprivationShown;
  return (
    <fieldset className="control-group" disabled={props.disabled}>
      <legend>LSOA shading</legend>
      <label htmlFor={`${id}-measure`}>Measure</label>
      <select id={`${id}-measure`} value={props.measure} onChange={(e) => props.onMeasure(e.currentTarget.value as Measure)}>
        {MEASURE_OPTIONS.map((m) => (
          <option key={m.value} value={m.value}>{m.label}</option>
        ))}
      </select>
      {props.measureNote && <p className="hint" role="note">{props.measureNote}</p>}
      <label htmlFor={`${id}-category`}>Crime type</label>
      <select id={`${id}-category`} value={props.category} onChange={(e) => props.onCategory(e.currentTarget.value)} disabled={crimeDisabled}>
        <optgroup label="Groups">
          {CATEGORY_OPTIONS.filter((c) => c.group === 'Groups').map((c) => (
            <option key={c.value} value={c.value}>{c.label}</option>
          ))}
        </optgroup>
        <optgroup label="police.uk categories">
          {CATEGORY_OPTIONS.filter((c) => c.group !== 'Groups').map((c) => (
            <option key={c.value} value={c.value}>{c.label}</option>
          ))}
        </optgroup>
      </select>
      <label htmlFor={`${id}-period`}>Period</label>
      <select id={`${id}-period`} value={props.period} onChange={(e) => props.onPeriod(e.currentTarget.value as PeriodChoice)} disabled={crimeDisabled}>
        {PERIOD_CHOICES.map((p) => (
          <option key={p.value} value={p.value}>{p.label}</option>
        ))}
      </select>
      {props.period === 'custom' && (
        <div className="month-range">
          <div>
            <label htmlFor={`${id}-from`}>First month</label>
            <input
              id={`${id}-from`}
              type="month"
              value={props.custom.from}
              min={props.firstMonth ?? undefined}
              max={props.lastMonth ?? undefined}
              onChange={(e) => props.onCustom({ ...props.custom, from: e.currentTarget.value })}
              disabled={crimeDisabled}
            />
          </div>
          <div>
            <label htmlFor={`${id}-to`}>Last month</label>
            <input
              id={`${id}-to`}
              type="month"
              value={props.custom.to}
              min={props.firstMonth ?? undefined}
              max={props.lastMonth ?? undefined}
              onChange={(e) => props.onCustom({ ...props.custom, to: e.currentTarget.value })}
              disabled={crimeDisabled}
            />
          </div>
        </div>
      )}
      {props.periodError && <p className="field-error" role="alert">{props.periodError}</p>}
      {deprivationShown && <p className="hint">Deprivation does not depend on crime type or period.</p>}
    </fieldset>
  );
}
