import { useEffect, useId, useRef, useState } from 'react';
import { useRemote } from '../../shared/remote';
import { describeError, type StrategicAssessment, type StrategicGroupBy } from '../../api/client';
import { ScopeNote } from '../scope/ScopeNote';
import { answerScope } from '../scope/scopeState';
import { monthLabel } from '../../shared/format';
import { CHANGE_PCT_NOTE, strategicPeriodLabels } from './strategic';
import { StrategicTableView } from './AreaCharts';

/** How the tables are split: one per district, one per CSP, or one for the whole place. */
export type StrategicScope = StrategicGroupBy;

const SCOPE_LABELS: Record<StrategicScope, string> = { district: 'District', csp: 'Community Safety Partnership (CSP)', all: 'The whole place (one table)' };

/**
 * The strategic assessment for the partnership plans: for the session's place, the last 12 months against the 12
 * before, per crime type, for each district or CSP in it (or the place as one), with a CSV of the same tables. Opens
 * over the map; Escape or Close returns to it.
 */
export function StrategicView(props: {
  datasetId: string | null;
  /** The session's place: the tables load again when it changes. */
  scopeKey: string | null;
  scopeLabel: string;
  load(groupBy: StrategicScope, signal: AbortSignal): Promise<StrategicAssessment>;
  onExport(groupBy: StrategicScope): Promise<void>;
  onClose(): void;
}) {
  const id = useId();
  const [scope, setScope] = useState<StrategicScope>('district');
  const [exportError, setExportError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { load } = props;

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const { remote: state } = useRemote<StrategicAssessment>(
    props.scopeKey ? JSON.stringify([scope, props.datasetId, props.scopeKey]) : null,
    (signal) => load(scope, signal),
    (err) => `The strategic assessment could not be loaded: ${describeError(err)}`,
  );

  return (
    <section className="overlay-panel" aria-labelledby={`${id}-heading`} data-testid="strategic-view">
      <div className="overlay-panel__head">
        <div>
          <h2 id={`${id}-heading`} ref={headingRef} tabIndex={-1}>
            Strategic assessment
          </h2>
          <p className="side-panel__sub">Last 12 months against the previous 12, per crime type, with a suggested target.</p>
          <ScopeNote summary={state.state === 'done' ? answerScope(state.value) : null} asked={state.state === 'done' ? null : props.scopeLabel} testId="strategic-scope" />
        </div>
        <button type="button" className="icon-button" onClick={props.onClose} aria-label="Close the strategic assessment">
          ×
        </button>
      </div>
      <div className="overlay-panel__tools">
        <label htmlFor={`${id}-scope`}>Tables by</label>
        <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.currentTarget.value as StrategicScope)}>
          {(Object.keys(SCOPE_LABELS) as StrategicScope[]).map((s) => (
            <option key={s} value={s}>
              {SCOPE_LABELS[s]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          disabled={busy || state.state !== 'done'}
          onClick={async () => {
            setBusy(true);
            setExportError(null);
            try {
              await props.onExport(scope);
            } catch (err) {
              setExportError(`The CSV could not be downloaded: ${describeError(err)}`);
            } finally {
              setBusy(false);
            }
          }}
        >
          Download CSV
        </button>
      </div>
      <div className="overlay-panel__body">
        {exportError && (
          <p className="message message--error" role="alert">
            {exportError}
          </p>
        )}
        {state.state === 'loading' && (
          <p className="hint" role="status">
            Loading the tables…
          </p>
        )}
        {state.state === 'error' && (
          <p className="message message--error" role="alert">
            {state.message}
          </p>
        )}
        {state.state === 'done' && (
          <>
            <p className={`source-line${state.value.dataset.synthetic ? ' source-line--synthetic' : ''}`}>
              Figures from <strong>{state.value.dataset.name}</strong>
              {state.value.dataset.synthetic ? ': synthetic data, generated for demonstration — not real crime.' : '.'} Twelve months to{' '}
              {monthLabel(state.value.to)}, {scope === 'all' ? 'as one table' : `by ${scope === 'csp' ? 'Community Safety Partnership' : 'district'}`}
              {answerScope(state.value) ? ` in ${answerScope(state.value)!.label}` : ''}.
            </p>
            {state.value.tables.length === 0 && <p className="hint">No areas in this dataset.</p>}
            <div className="strategic-grid">
              {state.value.tables.map((t) => (
                <section key={t.code} className="strategic-grid__item" aria-labelledby={`${id}-${t.code}`}>
                  <h3 id={`${id}-${t.code}`}>
                    {t.name} <span className="cell-sub cell-sub--inline">{t.code}</span>
                  </h3>
                  <StrategicTableView table={t.table} caption={`Strategic assessment, ${t.name}`} testId={`strategic-${t.code}`} footnotes={false} />
                </section>
              ))}
            </div>
            {state.value.tables[0] && (
              <div className="strategic-notes">
                <p className="hint">
                  Last 12 months: {strategicPeriodLabels(state.value.tables[0].table).current}. Previous 12 months:{' '}
                  {strategicPeriodLabels(state.value.tables[0].table).previous}. {CHANGE_PCT_NOTE}
                </p>
                <p className="hint" data-testid="strategic-rule">{state.value.tables[0].table.rule}</p>
              </div>
            )}
          </>
        )}
      </div>
    </section>
  );
}
