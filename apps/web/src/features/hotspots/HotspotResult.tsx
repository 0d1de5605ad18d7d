import { useMemo } from 'react';
import { spotLsoaText, type HotspotAnswer } from './hotspots';
import { formatDistance, formatInteger, formatMetres, formatPercent, plural } from '../../shared/format';
import { periodLabel } from '../../shared/period';
import { hotspotRankIconSpec, rasterizeIcon } from '../../map/icons';
import { spotKey } from './layers';
import { ImageSwatch } from '../../shared/Swatches';
import { PlaceLine } from '../scope/PlaceLine';

/* The answer of a hot spot analysis as the panel shows it: the summary, and the top spots' tables (Gi* only). */

/** The LSOA under a location, as the small line of a table cell (above its ward and district). */
export function LsoaLine({ row }: { row: { lsoaCode?: string | null; lsoaName?: string | null } }) {
  const text = spotLsoaText(row);
  return text ? (
    <span className="cell-sub" data-testid="lsoa-line">
      {text}
    </span>
  ) : null;
}

export function Summary({ answer }: { answer: HotspotAnswer }) {
  const r = answer.result;
  const grid = `${r.grid.shape === 'hex' ? 'Hexagons' : 'Squares'} of ${formatMetres(r.grid.cellSizeM)}, ${formatInteger(r.grid.studyAreaCells)} in the study area`;
  return (
    <div data-testid="hotspot-summary">
      <h3 className="side-panel__section">Result</h3>
      <dl className="attributes">
        <dt>Crimes analysed</dt>
        <dd data-testid="hotspot-crimes">
          {formatInteger(r.crimes)} ({r.categories.map((c) => c.label).join(', ')}, {periodLabel(r.period.from, r.period.to)})
        </dd>
        <dt>Grid</dt>
        <dd>{grid}</dd>
        {answer.mode === 'gi' && (
          <>
            <dt>Significant cells</dt>
            <dd data-testid="hotspot-counts">
              {plural(answer.result.hot, 'hot cell')}, {plural(answer.result.cold, 'cold cell')}
            </dd>
            {answer.result.snapPointCells > 0 && (
              <>
                <dt>Snap-point warnings</dt>
                <dd className="note-warn" data-testid="hotspot-snap-count">
                  {plural(answer.result.snapPointCells, 'hot cell')} with most crimes on one published point (dashed edge on the map)
                </dd>
              </>
            )}
          </>
        )}
        {answer.mode === 'change' && (
          <>
            <dt>Cells with a pattern</dt>
            <dd data-testid="hotspot-counts">
              {Object.entries(answer.result.summary)
                .filter(([, n]) => n > 0)
                .map(([k, n]) => `${formatInteger(n)} ${k}`)
                .join(', ') || 'none'}
            </dd>
            <dt>Sub-periods</dt>
            <dd>
              {answer.result.subPeriods.length}, the last {answer.result.rules.recentPeriods} counted as recent
            </dd>
          </>
        )}
        {answer.mode === 'density' && (
          <>
            <dt>Bandwidth</dt>
            <dd>
              {formatDistance(answer.result.bandwidthM)}
              {answer.result.bandwidthDefault ? ' (automatic)' : ''}
            </dd>
            <dt>Measure</dt>
            <dd>{answer.result.unit}</dd>
          </>
        )}
      </dl>
      {r.truncated && <p className="note-warn">Too many cells to draw at once: the map shows the {formatInteger(5000)} strongest.</p>}
    </div>
  );
}

export function TopTables(props: {
  answer: Extract<HotspotAnswer, { mode: 'gi' }>;
  periodText: string;
  selectedSpot: string | null;
  onSelectSpot(key: string, position: [number, number]): void;
  onExport(): Promise<void>;
  scopeLabel: string | null;
}) {
  const icons = useMemo(
    () => props.answer.result.top.map((_, slot) => Array.from({ length: 20 }, (_x, i) => rasterizeIcon(hotspotRankIconSpec(slot, i + 1, 2)))),
    [props.answer],
  );
  return (
    <div data-testid="hotspot-top">
      {props.answer.result.top.map((group, slot) => (
        <div key={group.key} className="table-wrap">
          <table className="data-table" data-testid={`hotspot-top-${group.key}`}>
            <caption>
              Top {group.spots.length} hot spots{props.scopeLabel ? ` in ${props.scopeLabel}` : ''}: {group.label}, {props.periodText} ({formatInteger(group.crimes)} crimes)
            </caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Location</th>
                <th scope="col" className="num">Crimes</th>
                <th scope="col" className="num">Radius</th>
              </tr>
            </thead>
            <tbody>
              {group.spots.map((s) => {
                const key = spotKey(slot, s.rank);
                const selected = props.selectedSpot === key;
                return (
                  <tr key={key} className={selected ? 'is-selected' : undefined} aria-selected={selected}>
                    <td>
                      <button type="button" className="rank-button" onClick={() => props.onSelectSpot(key, [s.lon, s.lat])} aria-label={`Show ${group.label} hot spot ${s.rank} on the map`}>
                        {icons[slot]?.[s.rank - 1] ? <ImageSwatch image={icons[slot]![s.rank - 1]!} /> : s.rank}
                      </button>
                    </td>
                    <td>
                      {s.location ?? 'No location text'}
                      <LsoaLine row={s} />
                      <PlaceLine row={s} />
                      {s.snapPointWarning && (
                        <span className="note-warn note-warn--inline" title="Police.uk snaps crimes to map points: this may be one address.">
                          {' '}
                          {formatPercent(s.busiestPointShare)} on one published point
                        </span>
                      )}
                    </td>
                    <td className="num">{formatInteger(s.count)}</td>
                    <td className="num">{formatMetres(s.radiusM)}</td>
                  </tr>
                );
              })}
              {group.spots.length === 0 && (
                <tr>
                  <td colSpan={4}>No crimes of this type in the period.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      ))}
      <p className="hint">Each spot: the published crime location whose 150 m circle holds the most crimes, at least 500 m from a higher-ranked spot.</p>
      <div className="button-row button-row--tight">
        <button type="button" className="button" onClick={() => void props.onExport()}>
          Download top hot spots (CSV)
        </button>
      </div>
    </div>
  );
}
