import { useId, useMemo, useState } from 'react';
import type { BBox } from '@safer-places/schemas';
import type { ApiClient } from '../../api/client';
import { MAP_VIEW_CHOICE, groupScopeOptions } from './scopeState';
import type { ScopeState } from './useScope';
import { ScopeDialog } from './ScopeDialog';
import './scope.css';

export interface ScopePickerProps {
  api: ApiClient;
  scope: ScopeState;
  /** The map's current bounds, for "Map view". */
  getView(): BBox | null;
  /** May create and delete partnership areas (analysts and administrators). */
  canEditPartnerships: boolean;
  /** May set the organisation's home area (administrators). */
  canSetHome: boolean;
  announce(message: string): void;
}

/**
 * The header's place picker: which place every analysis in this session runs on (study area, a CSP, a district, a
 * partnership area, a drawn area, or the map view), and a "Places…" dialog for the home area and partnership areas.
 * A native select with groups: reachable with Tab, changed with the arrow keys, read out with its label.
 */
export function ScopePicker(props: ScopePickerProps) {
  const id = useId();
  const { scope } = props;
  const [dialog, setDialog] = useState(false);
  const groups = useMemo(() => groupScopeOptions(scope.options, scope.key ? { key: scope.key, label: scope.label } : null), [scope.options, scope.key, scope.label]);
  const loading = scope.status === 'loading' && !scope.options;

  const onChange = (value: string) => {
    if (value === MAP_VIEW_CHOICE) {
      const view = props.getView();
      if (!view) {
        props.announce('The map is not ready yet: try again in a moment.');
        return;
      }
      scope.chooseView(view);
      props.announce('Every analysis now runs on the map view.');
      return;
    }
    scope.choose(value);
    const label = groups.flatMap((g) => g.options).find((o) => o.value === value)?.label ?? value;
    props.announce(`Every analysis now runs on ${label}.`);
  };

  return (
    <div className="scope-picker" data-testid="scope-picker">
      <label htmlFor={`${id}-scope`} className="scope-picker__label">
        Place
      </label>
      <select
        id={`${id}-scope`}
        className="scope-picker__select"
        data-testid="scope-select"
        value={scope.key ?? ''}
        disabled={loading || !scope.key}
        aria-describedby={`${id}-scope-hint`}
        onChange={(e) => onChange(e.currentTarget.value)}
        title={scope.label || undefined}
      >
        {!scope.key && <option value="">{loading ? 'Loading places…' : 'No place yet'}</option>}
        {groups.map((g) => (
          <optgroup key={g.id} label={g.label}>
            {g.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.text}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <span id={`${id}-scope-hint`} className="visually-hidden">
        Every map, table and plan in this session covers the place chosen here.
      </span>
      <button type="button" className="button scope-picker__more" aria-haspopup="dialog" aria-expanded={dialog} onClick={() => setDialog(true)} disabled={!scope.key}>
        Places…
      </button>
      {dialog && (
        <ScopeDialog
          api={props.api}
          scope={scope}
          canEditPartnerships={props.canEditPartnerships}
          canSetHome={props.canSetHome}
          announce={props.announce}
          onClose={() => setDialog(false)}
        />
      )}
    </div>
  );
}
