import type { CoverageGaps } from './api';
import { formatInteger, formatPercent } from '../../shared/format';
import { coveredText } from './format';
import { periodLabel } from '../../shared/period';
import { LoadLine, MethodNotes, RankButton, mainTypesLine, type TabProps } from './shared';
import { PlaceLine } from '../scope/PlaceLine';
import { ProposedCameras } from './ProposedCameras';

/** The coverage figures now, and with the proposed cameras when there are any. */
function Figures({ gaps }: { gaps: CoverageGaps }) {
  const b = gaps.before;
  const a = gaps.after;
  // One value column (the panel is narrow): the figure now, and under it the figure with the proposed cameras.
  const row = (label: string, before: string, after: string | null, testId?: string) => (
    <tr {...(testId && { 'data-testid': testId })}>
      <th scope="row">{label}</th>
      <td>
        <span className="planner-now">{before}</span>
        {a && after !== null && <span className="planner-after">with proposed: {after}</span>}
      </td>
    </tr>
  );
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="planner-coverage-figures">
        <caption>
          Coverage by {formatInteger(gaps.cameras.live)} live cameras{a ? ` and ${gaps.cameras.proposed.length} proposed` : ''}: {formatInteger(gaps.crimes)} crimes, {periodLabel(gaps.period.from, gaps.period.to)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">{a ? 'Now, and with the proposed cameras' : 'Now'}</th>
          </tr>
        </thead>
        <tbody>
          {row('Crimes covered', coveredText(b.crimesCovered, gaps.crimes, b.shareCovered), a && coveredText(a.crimesCovered, gaps.crimes, a.shareCovered), 'planner-covered')}
          {row('Crimes in hot cells covered', coveredText(b.hotCellCrimesCovered, b.hotCellCrimes, b.hotCellShareCovered), a && coveredText(a.hotCellCrimesCovered, a.hotCellCrimes, a.hotCellShareCovered))}
          {row(`Hot cells (${gaps.grid.cellSizeM} m) not covered`, `${formatInteger(b.gapCells)} of ${formatInteger(b.hotCells)}`, a && `${formatInteger(a.gapCells)} of ${formatInteger(a.hotCells)}`, 'planner-gap-cells')}
          {row('Crimes in those cells', formatInteger(b.gapCellCrimes), a && formatInteger(a.gapCellCrimes))}
          {row('Top hot spots not covered', `${b.spotGaps} of ${b.spots}`, a && `${a.spotGaps} of ${a.spots}`, 'planner-spot-gaps')}
        </tbody>
      </table>
      {gaps.cameras.proposed.length > 0 && (
        <ul className="planner-list" data-testid="planner-proposed-figures">
          {gaps.cameras.proposed.map((p, i) => (
            <li key={i}>
              Proposed camera {i + 1}: sees {formatInteger(p.crimesInView)} crimes, {formatInteger(p.newlyCovered)} of them covered by no other camera.
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Coverage gaps: the figures (before and after any "what if" cameras), the busiest uncovered cells and the top spots. */
export function GapsTab(props: TabProps<CoverageGaps>) {
  const gaps = props.result;
  return (
    <div data-testid="planner-gaps">
      <LoadLine load={props.load} what="camera coverage" />
      {gaps && <Figures gaps={gaps} />}
      <ProposedCameras {...props} />
      {gaps && (
        <>
          <div className="table-wrap">
            <table className="data-table" data-testid="planner-spots">
              <caption>Top {gaps.spots.length} hot spots and their coverage</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Location</th>
                  <th scope="col" className="num">Crimes</th>
                  <th scope="col" className="num">Covered</th>
                </tr>
              </thead>
              <tbody>
                {gaps.spots.map((s) => (
                  <tr key={s.rank}>
                    <td>
                      <RankButton label={`Show hot spot ${s.rank} on the map`} slot={s.gap ? 0 : 1} n={s.rank} onPress={() => props.onFocus([s.lon, s.lat])} />
                    </td>
                    <td>
                      {s.location ?? 'No location text'}
                      <PlaceLine row={s} />
                      <span className="cell-sub">{mainTypesLine(s.mainTypes)}</span>
                      {s.gap && <span className="planner-badge planner-badge--gap">No camera covers it</span>}
                    </td>
                    <td className="num">{formatInteger(s.count)}</td>
                    <td className="num">{s.share === null ? '—' : formatPercent(s.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {gaps.gapList.length > 0 && (
            <div className="table-wrap">
              <table className="data-table data-table--compact" data-testid="planner-gap-list">
                <caption>Busiest hot cells no camera covers ({gaps.grid.cellSizeM} m cells, shaded on the map)</caption>
                <thead>
                  <tr>
                    <th scope="col">Location</th>
                    <th scope="col" className="num">Crimes</th>
                    <th scope="col">Main crime types</th>
                  </tr>
                </thead>
                <tbody>
                  {gaps.gapList.map((g) => (
                    <tr key={g.cell}>
                      <td>
                        <button type="button" className="link-button" onClick={() => props.onFocus([g.lon, g.lat])}>
                          {g.location ?? 'Unnamed'}
                        </button>
                        <PlaceLine row={g} />
                      </td>
                      <td className="num">{formatInteger(g.crimes)}</td>
                      <td>{mainTypesLine(g.mainTypes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {gaps.truncated && <p className="note-warn">Too many gap cells to draw at once: the map shows the busiest {formatInteger(5000)}.</p>}
          <MethodNotes notes={gaps.notes} />
        </>
      )}
    </div>
  );
}
