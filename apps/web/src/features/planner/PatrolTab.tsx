import { useEffect, useId, useState } from 'react';
import type { PatrolPlan } from './api';
import { describeError } from '../../api/client';
import { fileNameFromDisposition, saveBlob } from '../../shared/download';
import { formatInteger, formatPercent } from '../../shared/format';
import { boxSize, formatDistance, formatLonLat, formatMinutes } from './format';
import { planBounds } from './patrol';
import { MINUTE_CHOICES, PER_DAY_CHOICES, SPEED_CHOICES, TOP_SPOT_CHOICES, plannerSelection } from './query';
import { hotspotRankIconId } from '../../map/icons';
import { periodLabel } from '../../shared/period';
import { LoadLine, MethodNotes, PlannerIcon, type TabProps } from './shared';
import { PatrolSheet } from './PatrolSheet';
import { PlaceLine } from '../scope/PlaceLine';
import { LsoaLine } from '../hotspots/HotspotResult';

/** The plan last shown whole on the map, so coming back to the tab does not move the map again. */
let lastFitted: string | null = null;

/** Patrol plan: the start, the dosage, then the visiting order with distances and time, the sheet and the downloads. */
export function PatrolTab(props: TabProps<PatrolPlan>) {
  const id = useId();
  const { planner, dataset } = props;
  const q = planner.query;
  const plan = props.result;
  const [sheet, setSheet] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const set = <K extends keyof typeof q>(k: K, v: (typeof q)[K]) => planner.setQuery({ ...q, [k]: v });
  const setStart = (p: [number, number]) => planner.setQuery({ ...planner.query, start: [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6] });
  const picking = props.picking === 'start';
  // A new plan is shown whole: the start, every stop and the route.
  useEffect(() => {
    if (!plan || !planner.key || lastFitted === planner.key) return;
    lastFitted = planner.key;
    props.onFit(planBounds(plan));
  }, [plan, planner.key]);

  const download = async (kind: 'gpx' | 'geojson') => {
    if (!q.start) return;
    setDownloadError(null);
    try {
      const file = await props.api.downloadPatrol(
        { ...plannerSelection(q, dataset, false, props.scopeKey), start: q.start, bbox: q.area, top: q.top, minutes: q.minutes, perDay: q.perDay, speedKmh: q.speedKmh, roundTrip: q.roundTrip },
        kind,
      );
      saveBlob(file.blob, fileNameFromDisposition(file.disposition, `patrol-plan.${kind}`));
    } catch (err) {
      setDownloadError(describeError(err));
    }
  };

  return (
    <div data-testid="planner-patrol">
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-top`} className="field-label">Hot spots to visit</label>
          <select id={`${id}-top`} value={q.top} onChange={(e) => set('top', Number(e.currentTarget.value))}>
            {TOP_SPOT_CHOICES.map((n) => (
              <option key={n} value={n}>Top {n}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-speed`} className="field-label">Travel</label>
          <select id={`${id}-speed`} value={q.speedKmh} onChange={(e) => set('speedKmh', Number(e.currentTarget.value))}>
            {SPEED_CHOICES.map((s) => (
              <option key={s.value} value={s.value}>{s.label}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-minutes`} className="field-label">Minutes per spot</label>
          <select id={`${id}-minutes`} value={q.minutes} onChange={(e) => set('minutes', Number(e.currentTarget.value))}>
            {MINUTE_CHOICES.map((n) => (
              <option key={n} value={n}>{n} minutes</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-per-day`} className="field-label">Patrols a day</label>
          <select id={`${id}-per-day`} value={q.perDay} onChange={(e) => set('perDay', Number(e.currentTarget.value))}>
            {PER_DAY_CHOICES.map((n) => (
              <option key={n} value={n}>{n === 1 ? 'Once' : n === 2 ? 'Twice' : `${n} times`} a day</option>
            ))}
          </select>
        </div>
      </div>
      <div className="check">
        <input type="checkbox" id={`${id}-round`} checked={q.roundTrip} onChange={(e) => set('roundTrip', e.currentTarget.checked)} />
        <label htmlFor={`${id}-round`}>Return to the start (round trip)</label>
      </div>
      <fieldset className="control-group control-group--plain planner-where">
        <legend className="field-label">Hot spots from</legend>
        <div className="radio">
          <input type="radio" id={`${id}-anywhere`} name={`${id}-where`} checked={!q.area} onChange={() => set('area', null)} />
          <label htmlFor={`${id}-anywhere`}>Anywhere in {props.scopeLabel || 'the place chosen'}</label>
        </div>
        <div className="radio">
          <input
            type="radio"
            id={`${id}-view`}
            name={`${id}-where`}
            checked={!!q.area}
            onChange={() => {
              const v = props.getView();
              if (v) set('area', v);
            }}
          />
          <label htmlFor={`${id}-view`}>Only the map view (a beat or town)</label>
        </div>
        {q.area && (
          <p className="hint" data-testid="planner-area">
            The view when chosen, {boxSize(q.area)}.{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                const v = props.getView();
                if (v) set('area', v);
              }}
            >
              Use the view now
            </button>
          </p>
        )}
      </fieldset>

      <h3 className="side-panel__section">Start</h3>
      <p data-testid="planner-start">{q.start ? `Start: ${formatLonLat(q.start)}` : 'No start chosen yet: choose where the patrol leaves from (a police station or depot).'}</p>
      <div className="button-row button-row--tight">
        <button
          type="button"
          className="button"
          aria-pressed={picking}
          onClick={() => (picking ? props.onCancelPick() : props.onPick('start', 'Click the map where the patrol starts (a police station or depot).', setStart))}
        >
          {q.start ? 'Move the start on the map' : 'Choose the start on the map'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            const c = props.getCentre();
            if (c) setStart(c);
          }}
        >
          Use the map centre
        </button>
      </div>

      <LoadLine load={props.load} what="the patrol plan" />
      {plan && q.start && (
        <>
          <h3 className="side-panel__section">Patrol</h3>
          <dl className="attributes" data-testid="planner-patrol-summary">
            <dt>Distance</dt>
            <dd data-testid="planner-distance">
              {formatDistance(plan.distance.totalM)} in straight lines{plan.roundTrip ? ', there and back' : ''}
              <span className="cell-sub">
                Nearest neighbour alone: {formatDistance(plan.distance.nearestNeighbourM)}; 2-opt saves {formatDistance(plan.distance.savedM)}.
              </span>
            </dd>
            <dt>Each patrol</dt>
            <dd>
              {formatMinutes(plan.dosage.minutesPerPatrol)}: {formatMinutes(plan.dosage.minutesOnSpotsPerPatrol)} at {plan.stops.length} spots ({plan.dosage.minutesPerVisit} minutes each) and at least{' '}
              {formatMinutes(plan.dosage.travelMinutesPerPatrol)} travelling
            </dd>
            <dt>Dosage</dt>
            <dd data-testid="planner-dosage">
              {plan.dosage.patrolsPerDay === 1 ? 'Once' : plan.dosage.patrolsPerDay === 2 ? 'Twice' : `${plan.dosage.patrolsPerDay} times`} a day: {formatInteger(plan.dosage.minutesPerSpotPerDay)} minutes at each spot and{' '}
              {plan.dosage.hoursPerDay} hours of patrol a day ({plan.dosage.hoursPerWeek} hours a week)
            </dd>
            <dt>Crimes</dt>
            <dd>
              {formatInteger(plan.crimes)} ({plan.categories.map((c) => c.label).join(', ')}), {periodLabel(plan.period.from, plan.period.to)}{plan.area ? ', in the map view chosen' : ''}
            </dd>
          </dl>
          <div className="table-wrap">
            <table className="data-table" data-testid="planner-stops">
              <caption>Visiting order (straight-line legs, nearest neighbour + 2-opt)</caption>
              <thead>
                <tr>
                  <th scope="col">Visit</th>
                  <th scope="col">Hot spot</th>
                  <th scope="col" className="num">Crimes</th>
                  <th scope="col" className="num">Leg</th>
                </tr>
              </thead>
              <tbody>
                {plan.stops.map((s) => (
                  <tr key={s.visit} className={planner.selected === s.visit ? 'is-selected' : undefined} aria-selected={planner.selected === s.visit}>
                    <td>
                      <button
                        type="button"
                        className="rank-button"
                        aria-label={`Show visit ${s.visit} on the map`}
                        onClick={() => {
                          planner.setSelected(s.visit);
                          props.onFocus([s.lon, s.lat]);
                        }}
                      >
                        <PlannerIcon icon={hotspotRankIconId(0, Math.min(s.visit, 20))} />
                      </button>
                    </td>
                    <td>
                      {s.location ?? `Hot spot ${s.rank}`}
                      <LsoaLine row={s} />
                      <PlaceLine row={s} />
                      <span className="cell-sub">
                        Rank {s.rank}; {s.mainTypes.map((t) => `${t.label} ${formatInteger(t.count)}`).join(', ')}
                      </span>
                      {s.snapPointWarning && <span className="note-warn note-warn--inline">{formatPercent(s.busiestPointShare)} on one published point</span>}
                      {props.canRecord && (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => {
                            planner.setVisitDraft({ spotName: s.location ?? `Hot spot ${s.rank}`, location: [s.lon, s.lat] });
                            planner.setTab('dosage');
                          }}
                        >
                          Log a visit
                        </button>
                      )}
                    </td>
                    <td className="num">{formatInteger(s.count)}</td>
                    <td className="num">{formatDistance(s.legM)}</td>
                  </tr>
                ))}
                {plan.roundTrip && plan.distance.returnLegM !== null && (
                  <tr>
                    <td />
                    <td>Back to the start</td>
                    <td />
                    <td className="num">{formatDistance(plan.distance.returnLegM)}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <div className="button-row">
            <button type="button" className="button button--primary" onClick={() => setSheet(true)}>Patrol sheet (print)</button>
            <button type="button" className="button" onClick={() => void download('gpx')}>Download GPX</button>
            <button type="button" className="button" onClick={() => void download('geojson')}>Download GeoJSON</button>
          </div>
          {downloadError && <p className="message message--error" role="alert">The file could not be made: {downloadError}</p>}
          <MethodNotes notes={plan.notes} />
          {sheet && <PatrolSheet plan={plan} onClose={() => setSheet(false)} />}
        </>
      )}
    </div>
  );
}
