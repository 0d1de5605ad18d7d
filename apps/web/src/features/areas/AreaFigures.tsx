import type { AreaStats } from '../../api/client';
import { formatDate, formatDistance, formatInteger, formatKm2, formatPercent, monthLabel, plural } from '../../shared/format';
import { periodLabel } from '../../shared/period';
import type { Remote } from '../../shared/remote';
import { StrategicTableView, TrendChart } from '../reports/AreaCharts';
import { categoriesLabel } from '../../shared/categories';
import { figuresHeading } from './areaQuery';

const SNAP_NOTE = /sit on one published point/;

/** The figures' loading state; `error` also stands for "no valid period" (nothing was asked). */
export type AreaFiguresState = Remote<AreaStats>;

/** Every figure the server has for a drawn area: crimes, residents, trend, strategic table, LSOAs, CCTV, PSPO zones. */
export function AreaFigures(props: { figures: AreaFiguresState; shapeChanged: boolean }) {
  const { figures: state } = props;
  if (state.state === 'idle' || state.state === 'loading') {
    return (
      <p className="hint" role="status" data-testid="area-loading">
        Counting the crimes inside the area…
      </p>
    );
  }
  if (state.state === 'error') {
    return (
      <p className="message message--error" role="alert">
        {state.message}
      </p>
    );
  }
  const s = state.value;
  const snapNote = s.notes.find((n) => SNAP_NOTE.test(n)) ?? null;
  const otherNotes = s.notes.filter((n) => n !== snapNote);
  const period = { from: s.period.from, to: s.period.to };
  const heading = figuresHeading(s.categories.map((c) => c.key), period);
  return (
    <div className="area-figures" data-testid="area-figures">
      <p className={`source-line${s.dataset.synthetic ? ' source-line--synthetic' : ''}`} data-testid="area-source">
        Figures from <strong>{s.dataset.name}</strong>
        {s.dataset.synthetic ? ': synthetic data, generated for demonstration — not real crime.' : '.'} Crimes are police.uk anonymised map points inside the
        area.
      </p>
      {props.shapeChanged && <p className="note-warn">These figures are for the saved shape. Save the new shape to see its figures.</p>}

      <h3 className="side-panel__section">{heading}</h3>
      <dl className="attributes">
        <dt>Crimes</dt>
        <dd data-testid="area-total">{plural(s.total, 'crime')}</dd>
        <dt>Area</dt>
        <dd>{formatKm2(s.areaKm2)}</dd>
        <dt>Residents inside</dt>
        <dd>
          {s.populationInside === null ? 'Not known (an LSOA has no population)' : `${formatInteger(s.populationInside)} (area-weighted from the LSOAs overlapped)`}
        </dd>
        {s.populationInside !== null && s.populationInside > 0 && (
          <>
            <dt>Rate</dt>
            <dd>{`${new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format((s.total / s.populationInside) * 1000)} crimes per 1,000 residents over ${plural(s.period.months, 'month')}`}</dd>
          </>
        )}
      </dl>
      {snapNote && (
        <p className="note-warn" role="note" data-testid="snap-warning">
          <strong>Busiest point:</strong> {snapNote}
        </p>
      )}

      <h3 className="side-panel__section">By crime type</h3>
      <table className="data-table" data-testid="area-by-category">
        <caption className="visually-hidden">Crimes by type, {periodLabel(period.from, period.to)}</caption>
        <thead>
          <tr>
            <th scope="col">Crime type</th>
            <th scope="col" className="num">Crimes</th>
            <th scope="col" className="num">Share</th>
          </tr>
        </thead>
        <tbody>
          {s.byCategory.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td className="num">{formatInteger(r.count)}</td>
              <td className="num">{s.total > 0 ? formatPercent(r.count / s.total) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3 className="side-panel__section">Monthly trend</h3>
      <TrendChart
        trend={s.trend}
        period={period}
        caption={`${categoriesLabel(s.categories.map((c) => c.key))}: crimes per month inside the area, every month in the data`}
      />

      <h3 className="side-panel__section">Strategic assessment</h3>
      <p className="hint">Every crime type, whatever is chosen above: the 12 months to {monthLabel(s.strategic.current.to)} against the 12 months before.</p>
      <StrategicTableView table={s.strategic} caption="Strategic assessment for this area" compact testId="area-strategic" />

      <h3 className="side-panel__section">LSOAs overlapped</h3>
      {s.lsoas.length === 0 ? (
        <p className="hint">The area overlaps no LSOA in this dataset.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="LSOAs overlapped (scrolls)">
          <table className="data-table" data-testid="area-lsoas">
            <caption className="visually-hidden">LSOAs overlapped by the area, with the share of each inside and residents inside</caption>
            <thead>
              <tr>
                <th scope="col">LSOA</th>
                <th scope="col" className="num">Inside</th>
                <th scope="col" className="num">Residents inside</th>
              </tr>
            </thead>
            <tbody>
              {s.lsoas.map((l) => (
                <tr key={l.code}>
                  <th scope="row">
                    {l.name}
                    <span className="cell-sub">{l.code}</span>
                  </th>
                  <td className="num">{formatPercent(l.shareInside)}</td>
                  <td className="num">
                    {l.populationInside === null ? 'not known' : formatInteger(l.populationInside)}
                    {l.population !== null && <span className="cell-sub">of {formatInteger(l.population)}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="hint">“Inside”: the share of each LSOA’s area within the drawn area. Residents inside assume people are spread evenly over each LSOA.</p>

      <h3 className="side-panel__section">CCTV</h3>
      <dl className="attributes" data-testid="area-cctv">
        <dt>Cameras inside</dt>
        <dd>
          {s.cctv.camerasInside.length === 0 ? (
            'None'
          ) : (
            <ul className="attributes__list">
              {s.cctv.camerasInside.map((c) => (
                <li key={c.id}>
                  {c.name} <span className="cell-sub cell-sub--inline">({c.type}, {c.status})</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Covered by a live camera</dt>
        <dd>
          {s.cctv.shareCovered === null
            ? 'No crimes in the period'
            : `${formatPercent(s.cctv.shareCovered)} of the area’s crimes (${formatInteger(s.cctv.crimesCovered)} of ${formatInteger(s.total)}) are within a live camera’s coverage radius`}
        </dd>
        <dt>Nearest help point</dt>
        <dd>
          {s.cctv.nearestHelpPoint
            ? `${s.cctv.nearestHelpPoint.name} (${s.cctv.nearestHelpPoint.status}), ${s.cctv.nearestHelpPoint.distanceM === 0 ? 'inside the area' : `${formatDistance(s.cctv.nearestHelpPoint.distanceM)} from the area’s edge`}`
            : 'No CCTV refuge help points recorded'}
        </dd>
      </dl>

      <h3 className="side-panel__section">PSPO zones</h3>
      {s.pspoZones.length === 0 ? (
        <p className="hint">No PSPO zone overlaps the area.</p>
      ) : (
        <ul className="pspo-list" data-testid="area-pspo">
          {s.pspoZones.map((z) => (
            <li key={z.id}>
              <strong>{z.name}</strong>{' '}
              <span className="cell-sub cell-sub--inline">
                ({formatDate(z.startDate)} to {formatDate(z.endDate)})
              </span>
              <ul className="attributes__list">
                {z.prohibitions.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}

      {s.busiestPoint && !snapNote && (
        <p className="hint">
          Busiest map point: {s.busiestPoint.location || 'unnamed point'}, {plural(s.busiestPoint.count, 'crime')} ({formatPercent(s.busiestPoint.share)} of the area’s
          crimes).
        </p>
      )}

      <h3 className="side-panel__section">Notes</h3>
      <ul className="panel-notes" data-testid="area-notes">
        {otherNotes.map((n) => (
          <li key={n}>{n}</li>
        ))}
        {snapNote && <li>{snapNote}</li>}
      </ul>
    </div>
  );
}
