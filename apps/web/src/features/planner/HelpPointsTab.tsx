import { useId } from 'react';
import type { HelpPointSuggestions } from './api';
import { formatInteger } from '../../shared/format';
import { formatDistance } from './format';
import { plannerPeriod, PLANNER_PERIODS, TOP_SPOT_CHOICES } from './query';
import type { HotspotPeriod } from '../hotspots/hotspots';
import { periodLabel } from '../../shared/period';
import { PLANNING_ICONS } from './layers';
import { LoadLine, MethodNotes, PlannerIcon, RankButton, type TabProps } from './shared';
import { PlaceLine } from '../scope/PlaceLine';

const DISTANCES = [200, 300, 400, 500] as const;

/** Help points: VAWG-related hot spots and VAWG-themed areas further than a chosen distance from any refuge help point. */
export function HelpPointsTab(props: TabProps<HelpPointSuggestions>) {
  const id = useId();
  const { planner, dataset } = props;
  const q = planner.query;
  const h = props.result;
  const range = plannerPeriod(q.period, dataset);
  const nearest = (n: { name: string; status: string; distanceM: number } | null) =>
    n ? (
      <>
        <strong>{formatDistance(n.distanceM)}</strong>
        <span className="cell-sub">
          {n.name}, {n.status}
        </span>
      </>
    ) : (
      'No help point'
    );
  return (
    <div data-testid="planner-help">
      <p className="hint">Crimes: violence and sexual offences, and public order (police.uk has no VAWG category).</p>
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-period`} className="field-label">Period</label>
          <select id={`${id}-period`} value={q.period} onChange={(e) => planner.setQuery({ ...q, period: e.currentTarget.value as HotspotPeriod })}>
            {PLANNER_PERIODS.map((p) => (
              <option key={p.value} value={p.value}>{p.label}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-distance`} className="field-label">Further than</label>
          <select id={`${id}-distance`} value={q.helpDistanceM} onChange={(e) => planner.setQuery({ ...q, helpDistanceM: Number(e.currentTarget.value) })}>
            {DISTANCES.map((d) => (
              <option key={d} value={d}>{d} m from a help point</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-top`} className="field-label">Hot spots</label>
          <select id={`${id}-top`} value={q.top} onChange={(e) => planner.setQuery({ ...q, top: Number(e.currentTarget.value) })}>
            {TOP_SPOT_CHOICES.map((n) => (
              <option key={n} value={n}>Top {n}</option>
            ))}
          </select>
        </div>
      </div>
      <p className="hint">{range ? periodLabel(range.from, range.to) : 'No crime data in this dataset.'}</p>
      <LoadLine load={props.load} what="the help point suggestions" />
      {h && (
        <>
          <p data-testid="planner-help-summary">
            {formatInteger(h.suggested)} {h.suggested === 1 ? 'place needs' : 'places need'} a help point: more than {formatInteger(h.distanceM)} m from all {formatInteger(h.helpPoints.total)} help points ({h.helpPoints.live} live,{' '}
            {h.helpPoints.planned} planned).
          </p>
          <div className="table-wrap">
            <table className="data-table" data-testid="planner-help-spots">
              <caption>Top {h.spots.length} VAWG-related hot spots</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Location</th>
                  <th scope="col" className="num">Crimes</th>
                  <th scope="col">Nearest help point</th>
                </tr>
              </thead>
              <tbody>
                {h.spots.map((s) => (
                  <tr key={s.rank}>
                    <td>
                      <RankButton label={`Show hot spot ${s.rank} on the map`} slot={s.suggest ? 0 : 1} n={s.rank} onPress={() => props.onFocus([s.lon, s.lat])} />
                    </td>
                    <td>
                      {s.location ?? 'No location text'}
                      <PlaceLine row={s} />
                    </td>
                    <td className="num">{formatInteger(s.count)}</td>
                    <td>
                      {nearest(s.nearestHelpPoint)}
                      {s.suggest && <span className="planner-badge planner-badge--gap">Suggest one</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 className="side-panel__section">VAWG-themed areas</h3>
          {h.areas.length === 0 ? (
            <p className="hint">No drawn area themed "Serious violence, VAWG and domestic abuse" and no Safer Streets area themed "VAWG in public spaces".</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table" data-testid="planner-help-areas">
                <caption>Areas and their nearest help point</caption>
                <thead>
                  <tr>
                    <th scope="col">Area</th>
                    <th scope="col" className="num">Crimes</th>
                    <th scope="col">Nearest help point</th>
                  </tr>
                </thead>
                <tbody>
                  {h.areas.map((a) => (
                    <tr key={a.id}>
                      <td>
                        {a.suggest && a.busiestPoint ? (
                          <button type="button" className="link-button" onClick={() => props.onFocus([a.busiestPoint!.lon, a.busiestPoint!.lat])}>
                            {a.name}
                          </button>
                        ) : (
                          a.name
                        )}
                        <span className="cell-sub">
                          {a.theme}
                          {a.suggest && a.busiestPoint ? `; suggested at ${a.busiestPoint.location ?? 'its busiest point'} (${formatInteger(a.busiestPoint.crimes)} crimes)` : ''}
                        </span>
                        {a.suggest && (
                          <span className="planner-badge planner-badge--gap">
                            <PlannerIcon icon={PLANNING_ICONS.helpSuggested} /> Suggest a help point
                          </span>
                        )}
                      </td>
                      <td className="num">{formatInteger(a.crimes)}</td>
                      <td>{a.nearestHelpPoint ? (a.nearestHelpPoint.distanceM === 0 ? `Inside (${a.nearestHelpPoint.name})` : nearest(a.nearestHelpPoint)) : 'No help point'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <MethodNotes notes={h.notes} />
        </>
      )}
    </div>
  );
}
