import { useId } from 'react';
import type { StrategicTable } from '@safer-places/schemas';
import { trendChartLayout, trendSummary } from './chart';
import { formatInteger, monthLabel } from '../../shared/format';
import { CHANGE_PCT_NOTE, previousIncompleteNote, strategicDisplayRows, strategicPeriodLabels } from './strategic';

/**
 * The monthly trend as an inline SVG bar chart: y axis from 0 with round ticks, month labels that never crowd, the
 * chosen period in the darker colour. A sentence summary is the image's description and every figure is also in a
 * table below it.
 */
export function TrendChart(props: { trend: { month: string; count: number }[]; period: { from: string; to: string } | null; caption: string }) {
  const id = useId();
  const layout = trendChartLayout(props.trend, { period: props.period });
  const { plot } = layout;
  const summary = trendSummary(props.trend);
  return (
    <figure className="trend" data-testid="area-trend">
      <svg
        className="trend__svg"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{props.caption}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <g className="trend__grid" aria-hidden="true">
          {layout.yTicks.map((t) => (
            <g key={t.value}>
              <line x1={plot.left} x2={plot.right} y1={t.y} y2={t.y} />
              <text x={plot.left - 4} y={t.y} dy="0.32em" textAnchor="end">{t.label}</text>
            </g>
          ))}
        </g>
        <g aria-hidden="true">
          {layout.bars.map((b) => (
            <rect key={b.month} className={b.inPeriod ? 'trend__bar trend__bar--period' : 'trend__bar'} x={b.x} y={b.y} width={b.width} height={b.height}>
              <title>{`${b.label}: ${formatInteger(b.count)}`}</title>
            </rect>
          ))}
        </g>
        <g className="trend__axis" aria-hidden="true">
          <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} />
          {layout.xLabels.map((l) => (
            <text key={l.label} x={l.x} y={plot.bottom + 13} textAnchor={l.anchor}>{l.label}</text>
          ))}
          <text className="trend__axis-title" x={(plot.left + plot.right) / 2} y={layout.height - 3} textAnchor="middle">Month</text>
          <text className="trend__axis-title" transform={`translate(10 ${(plot.top + plot.bottom) / 2}) rotate(-90)`} textAnchor="middle">Crimes</text>
        </g>
      </svg>
      <figcaption className="hint">
        {props.period ? (
          <>
            <span className="trend__key trend__key--period" aria-hidden="true" /> {monthLabel(props.period.from)} to {monthLabel(props.period.to)} (the period above){' '}
            <span className="trend__key" aria-hidden="true" /> other months in the data.
          </>
        ) : (
          'Every month in the data.'
        )}
      </figcaption>
      <details className="trend__table">
        <summary>Monthly figures as a table</summary>
        <table className="data-table">
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" className="num">Crimes</th>
            </tr>
          </thead>
          <tbody>
            {props.trend.map((t) => (
              <tr key={t.month}>
                <th scope="row">{monthLabel(t.month)}</th>
                <td className="num">{formatInteger(t.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/**
 * Current 12 months against the previous 12, per crime type, with the suggested target and how it is set. Compact
 * (the side panel) puts the % change under the volume change so the table fits a narrow column.
 */
export function StrategicTableView(props: { table: StrategicTable; caption: string; compact?: boolean; testId?: string; footnotes?: boolean }) {
  const periods = strategicPeriodLabels(props.table);
  const incomplete = previousIncompleteNote(props.table);
  return (
    <div className="strategic" data-testid={props.testId}>
      {incomplete && (
        <p className="note-warn" role="note" data-testid="previous-incomplete">
          {incomplete}
        </p>
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={`${props.caption} (scrolls sideways)`}>
        <table className={`data-table data-table--strategic${props.compact ? ' data-table--compact' : ''}`}>
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">Crime type</th>
              <th scope="col" className="num">
                <abbr title={periods.current}>Last 12 m</abbr>
                <span className="visually-hidden"> ({periods.current})</span>
              </th>
              <th scope="col" className="num">
                <abbr title={periods.previous}>Prev. 12 m</abbr>
                <span className="visually-hidden"> ({periods.previous})</span>
              </th>
              {props.compact ? (
                <th scope="col" className="num">
                  Change <span className="cell-sub">number, %</span>
                </th>
              ) : (
                <>
                  <th scope="col" className="num">Change</th>
                  <th scope="col" className="num">% change</th>
                </>
              )}
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {strategicDisplayRows(props.table).map((r) => (
              <tr key={r.key} className={r.isGroup ? 'is-group' : undefined} data-key={r.key}>
                <th scope="row">{r.label}</th>
                <td className="num">{r.current}</td>
                <td className="num">{r.previous}</td>
                {props.compact ? (
                  <td className="num">
                    {r.change}
                    <span className="cell-sub">{r.changePct}</span>
                  </td>
                ) : (
                  <>
                    <td className="num">{r.change}</td>
                    <td className="num">{r.changePct}</td>
                  </>
                )}
                <td>
                  <span className={`target target--${r.target.toLowerCase()}`}>{r.target}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.footnotes !== false && (
        <>
          <p className="hint">
            Last 12 months: {periods.current}. Previous 12 months: {periods.previous}. {CHANGE_PCT_NOTE}
          </p>
          <p className="hint">{props.table.rule}</p>
        </>
      )}
    </div>
  );
}
