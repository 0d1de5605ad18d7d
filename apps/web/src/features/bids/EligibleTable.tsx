import type { EligibilityResult } from '@safer-places/schemas';
import type { Remote } from '../../shared/remote';
import { formatInteger, formatRate } from '../../shared/format';
import { periodLabel } from '../../shared/period';
import { ScopeNote } from '../scope/ScopeNote';
import { answerScope, bidScopeWords, type BidScope } from '../scope/scopeState';
import { formatMargin, type PlaceNames } from './criteria';
import { toggleCodes } from './selection';

/** Rows shown in the table; every eligible LSOA is on the map. */
export const SHOWN_ROWS = 60;

interface EligibleTableProps {
  eligibility: Remote<EligibilityResult>;
  /** The scope asked, for the note that says where the answer looked. */
  scope: BidScope;
  names: PlaceNames;
  areas: { id: string; name: string }[];
  selection: string[];
  onSelection(codes: string[]): void;
}

/** The eligible LSOAs: how many, the LSOAs ranked by rate (eligible first) with each rule's margin, and the choosing. */
export function EligibleTable(props: EligibleTableProps) {
  const { eligibility } = props;
  const result = eligibility.state === 'done' ? eligibility.value : null;
  const selected = new Set(props.selection);
  return (
    <section aria-label="Eligible LSOAs" aria-live="polite">
      <h3 className="side-panel__section">Eligible LSOAs</h3>
      {eligibility.state === 'loading' && <p className="hint" role="status" data-testid="bid-eligibility-loading">Checking every LSOA…</p>}
      {eligibility.state === 'error' && <p className="message message--error" role="alert">The criteria could not be applied: {eligibility.message}</p>}
      {result && (
        <>
          <ScopeNote summary={answerScope(result)} asked={bidScopeWords(props.scope, props.names, props.areas)} testId="bid-scope" />
          <p data-testid="bid-eligible-summary">
            <strong>{formatInteger(result.eligible)}</strong> of {formatInteger(result.scopeLsoas)} LSOAs eligible ·{' '}
            {result.categories.map((c) => c.label).join(', ')}, {periodLabel(result.period.from, result.period.to)}
            {result.averageRate !== null && <> · force-area average {formatRate(result.averageRate)} per 1,000 residents</>}
          </p>
          <div className="button-row button-row--tight">
            <button
              type="button"
              className="button"
              disabled={result.eligible === 0}
              onClick={() => props.onSelection(toggleCodes(props.selection, result.lsoas.filter((l) => l.passes).map((l) => l.code)))}
            >
              Select all eligible
            </button>
            {props.selection.length > 0 && (
              <button type="button" className="button" onClick={() => props.onSelection([])}>Clear the selection</button>
            )}
          </div>
          <div className="table-wrap table-wrap--scroll">
            <table className="data-table data-table--compact" data-testid="bid-eligibility-table">
              <caption className="visually-hidden">LSOAs ranked by rate, eligible first</caption>
              <thead>
                <tr>
                  <th scope="col">In bid</th>
                  <th scope="col">LSOA</th>
                  <th scope="col" className="num">Rate per 1,000</th>
                  <th scope="col" className="num">Crimes</th>
                  <th scope="col" className="num">Decile</th>
                  <th scope="col">Rules</th>
                </tr>
              </thead>
              <tbody>
                {result.lsoas.slice(0, SHOWN_ROWS).map((l) => (
                  <tr key={l.code} className={l.passes ? 'is-eligible' : undefined}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Include ${l.name} (${l.code}) in the bid`}
                        checked={selected.has(l.code)}
                        onChange={() => props.onSelection(toggleCodes(props.selection, [l.code]))}
                      />
                    </td>
                    <th scope="row">
                      {l.name}
                      <span className="cell-sub">{l.code}{l.passes ? ' · eligible' : ''}</span>
                    </th>
                    <td className="num">{l.rate === null ? '—' : formatRate(l.rate)}</td>
                    <td className="num">{formatInteger(l.count)}</td>
                    <td className="num">{l.decile ?? '—'}</td>
                    <td>
                      {l.rules.map((r) => (
                        <span key={r.kind} className={`rule-chip${r.pass ? ' rule-chip--pass' : ''}`} title={r.label}>
                          {r.pass ? '✓' : '✗'} {formatMargin(r.kind, r.margin)}
                        </span>
                      ))}
                      {l.inList && <span className="rule-chip rule-chip--pass">✓ list</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {result.lsoas.length > SHOWN_ROWS && <p className="hint">The first {SHOWN_ROWS} of {formatInteger(result.lsoas.length)} LSOAs; every eligible one is marked on the map.</p>}
          {result.notes.length > 0 && (
            <ul className="notes">
              {result.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
