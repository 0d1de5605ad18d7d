import type { SelectionResult } from '@safer-places/schemas';
import type { Remote } from '../../shared/remote';
import { formatInteger, formatKm2, formatNumber, formatPercent, formatRate, plural } from '../../shared/format';
import { periodLabel } from '../../shared/period';
import { bufferFromInput } from './criteria';

interface TargetAreaSectionProps {
  /** The panel's id prefix for its form fields. */
  id: string;
  selection: string[];
  target: Remote<SelectionResult>;
  bufferM: number;
  onBufferM(metres: number): void;
  lassoActive: boolean;
  onLasso(on: boolean): void;
}

/** The chosen LSOAs as one target area: the lasso, the displacement buffer, the totals, contiguity and a comparison area. */
export function TargetAreaSection(props: TargetAreaSectionProps) {
  const { id, target } = props;
  const sel = target.state === 'done' ? target.value : null;
  return (
    <section aria-label="Target area">
      <h3 className="side-panel__section">Target area</h3>
      <p className="hint">Click LSOAs on the map to add or remove them, or draw round several with the lasso.</p>
      <div className="button-row button-row--tight">
        <button type="button" className="button" aria-pressed={props.lassoActive} onClick={() => props.onLasso(!props.lassoActive)}>
          {props.lassoActive ? 'Cancel lasso' : 'Lasso LSOAs'}
        </button>
      </div>
      <label htmlFor={`${id}-buffer`} className="field-label">Displacement buffer (metres)</label>
      <input
        id={`${id}-buffer`}
        type="number"
        min={0}
        max={5000}
        step={50}
        value={props.bufferM}
        onChange={(e) => {
          const metres = bufferFromInput(e.currentTarget.valueAsNumber);
          if (metres !== null) props.onBufferM(metres);
        }}
      />
      {props.selection.length === 0 && <p className="hint" data-testid="bid-no-selection">No LSOAs chosen yet.</p>}
      {target.state === 'loading' && <p className="hint" role="status">Working out the target area…</p>}
      {target.state === 'error' && <p className="message message--error" role="alert">{target.message}</p>}
      {sel && (
        <div data-testid="bid-totals">
          <dl className="attributes">
            <dt>LSOAs</dt>
            <dd data-testid="bid-total-lsoas">{formatInteger(sel.totals.lsoas)}</dd>
            <dt>Area</dt>
            <dd>{formatKm2(sel.totals.areaKm2)}</dd>
            <dt>Residents</dt>
            <dd>{formatInteger(sel.totals.residents)}{sel.totals.populationUnknown > 0 ? ` (${plural(sel.totals.populationUnknown, 'LSOA')} without a figure)` : ''}</dd>
            <dt>Crimes, {periodLabel(sel.period.from, sel.period.to)}</dt>
            <dd data-testid="bid-total-crimes">
              {formatInteger(sel.totals.crimes)}
              {sel.totals.rate !== null && ` (${formatRate(sel.totals.rate)} per 1,000 residents)`}
            </dd>
            <dt>Previous 12 months</dt>
            <dd>
              {formatInteger(sel.totals.previousCrimes)}; change {sel.totals.change > 0 ? '+' : ''}
              {formatInteger(sel.totals.change)}
              {sel.totals.changePercent !== null && ` (${sel.totals.changePercent > 0 ? '+' : ''}${formatNumber(sel.totals.changePercent, 1)} %)`}
            </dd>
            <dt>Inside</dt>
            <dd>
              {plural(sel.inside.cameras, 'camera')}, {plural(sel.inside.helpPoints, 'help point')}, {plural(sel.inside.pspoZones, 'PSPO zone')}
            </dd>
          </dl>
          {sel.groups.length > 1 ? (
            <p className="note-warn" role="note" data-testid="bid-contiguity">
              The chosen LSOAs form {sel.groups.length} separate groups ({sel.groups.map((g) => g.length).join(' + ')} LSOAs). Funders usually expect one
              contiguous target area: add the LSOAs between them, or bid for the groups separately.
            </p>
          ) : (
            <p className="hint" data-testid="bid-contiguity">The chosen LSOAs form one contiguous area.</p>
          )}
          <h4 className="side-panel__subsection">Suggested comparison area</h4>
          <p className="hint">{sel.comparison.method}</p>
          <ul className="plain-list" data-testid="bid-comparison">
            {sel.comparison.lsoas.map((c) => (
              <li key={c.code}>
                {c.name} ({c.code}): {c.rate === null ? 'rate unknown' : `${formatRate(c.rate)} per 1,000`}
                {c.trend !== null && `, trend ${c.trend > 0 ? '+' : ''}${formatPercent(c.trend)}`}
                {c.decile !== null && `, decile ${c.decile}`}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
