import { useId, useState } from 'react';
import type { EvaluationCounts, EvaluationResult } from '@safer-places/schemas';
import { formatInteger, formatNumber } from '../../shared/format';
import { addMonths, monthsInclusive, periodLabel } from '../../shared/period';
import { useRemote } from '../../shared/remote';

/** The area's own start month when the data has months on both sides of it; otherwise the middle of the data. */
export function defaultStart(areaStart: string | null, first: string | null, last: string | null): { start: string; moved: boolean } {
  if (!first || !last) return { start: areaStart ?? '', moved: false };
  if (areaStart && areaStart > first && areaStart <= last) return { start: areaStart, moved: false };
  const span = monthsInclusive(first, last);
  return { start: addMonths(first, Math.max(1, Math.floor(span / 2))), moved: areaStart !== null };
}

/**
 * After funding: crimes before and after the start month in the Safer Streets area, its comparison area and the
 * displacement buffer, with the difference-in-differences estimate and its caveats, as the API works them out.
 */
export function EvaluationSection(props: {
  startDate: string | null;
  firstMonth: string | null;
  lastMonth: string | null;
  load(q: { start: string; months: number }): Promise<EvaluationResult>;
}) {
  const id = useId();
  const initial = defaultStart(props.startDate?.slice(0, 7) ?? null, props.firstMonth, props.lastMonth);
  const [start, setStart] = useState(initial.start);
  const [months, setMonths] = useState(12);
  // Each click asks once (its own key, even for the same months); nothing is asked before the first.
  const [asked, setAsked] = useState<{ start: string; months: number; n: number } | null>(null);
  const evaluation = useRemote(asked && JSON.stringify(asked), () => props.load({ start: asked!.start, months: asked!.months }));
  const state = evaluation.remote;
  const run = () => setAsked({ start, months, n: (asked?.n ?? 0) + 1 });

  const pct = (c: EvaluationCounts) => (c.changePercent === null ? '—' : `${c.changePercent > 0 ? '+' : ''}${formatNumber(c.changePercent, 1)} %`);
  const row = (label: string, c: EvaluationCounts) => (
    <tr key={label}>
      <th scope="row">{label}</th>
      <td className="num">{formatInteger(c.before)}</td>
      <td className="num">{formatInteger(c.after)}</td>
      <td className="num">{pct(c)}</td>
    </tr>
  );

  return (
    <section aria-label="Evaluation" data-testid="evaluation">
      <h3 className="side-panel__section">Evaluation after funding</h3>
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-start`} className="field-label">Intervention start</label>
          <input id={`${id}-start`} type="month" value={start} max={props.lastMonth ?? undefined} onChange={(e) => setStart(e.currentTarget.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-months`} className="field-label">Months before and after</label>
          <input id={`${id}-months`} type="number" min={1} max={24} value={months} onChange={(e) => Number.isFinite(e.currentTarget.valueAsNumber) && setMonths(Math.min(24, Math.max(1, Math.round(e.currentTarget.valueAsNumber))))} />
        </div>
      </div>
      {initial.moved && (
        <p className="hint">
          The area’s start month is outside the crime data ({props.firstMonth} to {props.lastMonth}), so the comparison starts from the middle of the data. Change it to
          the month the work began.
        </p>
      )}
      <button type="button" className="button" onClick={run} disabled={!start || state.state === 'loading'}>
        Compare before and after
      </button>
      {state.state === 'loading' && <p className="hint" role="status">Counting…</p>}
      {state.state === 'error' && <p className="message message--error" role="alert">{state.message}</p>}
      {state.state === 'done' && (
        <div data-testid="evaluation-result">
          <p className="hint">
            {state.value.categories.map((c) => c.label).join(', ')}: before {periodLabel(state.value.before.from, state.value.before.to)}, after{' '}
            {periodLabel(state.value.after.from, state.value.after.to)}.
          </p>
          {!state.value.complete && (
            <p className="note-warn" role="note">
              Not all months are in the data yet ({state.value.monthsAvailable.before} before, {state.value.monthsAvailable.after} after): the figures cover fewer months.
            </p>
          )}
          <table className="data-table data-table--compact">
            <thead>
              <tr>
                <th scope="col">Crimes</th>
                <th scope="col" className="num">Before</th>
                <th scope="col" className="num">After</th>
                <th scope="col" className="num">Change</th>
              </tr>
            </thead>
            <tbody>
              {row('Target area', state.value.target)}
              {row(`Comparison (${state.value.comparison.lsoas.length} LSOAs)`, state.value.comparison)}
              {row(`Buffer, ${formatInteger(state.value.buffer.bufferM)} m`, state.value.buffer)}
            </tbody>
          </table>
          <dl className="attributes">
            <dt>Difference in differences</dt>
            <dd data-testid="evaluation-did">
              {state.value.did.absolute === null ? 'not possible (the comparison area had no crimes before)' : `${state.value.did.absolute > 0 ? '+' : ''}${formatNumber(state.value.did.absolute, 1)} crimes against the expected`}
              {state.value.did.relative !== null && ` (${state.value.did.relative > 0 ? '+' : ''}${formatNumber(state.value.did.relative * 100, 1)} %)`}
            </dd>
          </dl>
          <p className="hint">{state.value.did.method}</p>
          <ul className="notes">
            {state.value.caveats.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
