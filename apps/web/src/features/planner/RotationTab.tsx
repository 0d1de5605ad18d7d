import { useState } from 'react';
import { DEFAULT_DEPLOYMENT_MONTHS, addMonthsToDate } from '@safer-places/schemas';
import type { RotationSuggestions } from './api';
import { describeError } from '../../api/client';
import { formatDate, formatInteger } from '../../shared/format';
import { formatDistance, todayIso } from './format';
import { rotationSiteNumbers } from './rotation';
import { periodLabel } from '../../shared/period';
import { LoadLine, MethodNotes, PlannerIcon, RankButton, mainTypesLine, type TabProps } from './shared';
import { PlaceLine } from '../scope/PlaceLine';

type Camera = RotationSuggestions['cameras'][number];
type Suggestion = Camera['suggestions'][number];

/**
 * Re-deployable cameras: for each, its current deployment (and whether it is due to move), the suggested next sites
 * and its history. Planners can move a camera to a suggested site: the camera's position is updated and the
 * deployment logged (three months by default) in one step.
 */
export function RotationTab(props: TabProps<RotationSuggestions>) {
  const r = props.result;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const numbers = r ? rotationSiteNumbers(r) : new Map<number, number>();

  const deploy = async (camera: Camera, site: Suggestion, n: number) => {
    setBusy(`${camera.id}-${site.cell}`);
    setError(null);
    try {
      const current = await props.api.getAsset('cameras', camera.id);
      const { id: _id, orgId: _o, version, createdAt: _c, createdBy: _b, updatedAt: _u, updatedBy: _ub, ...input } = current;
      const location = { type: 'Point' as const, coordinates: [site.lon, site.lat] as [number, number] };
      const startDate = todayIso();
      await props.api.createAsset('camera-deployments', {
        cameraId: camera.id,
        siteName: site.location ?? `Site ${n}`,
        location,
        startDate,
        endDate: addMonthsToDate(startDate, DEFAULT_DEPLOYMENT_MONTHS),
      });
      await props.api.updateAsset('cameras', camera.id, version, { ...input, location });
      await props.onCamerasChanged();
      props.planner.refresh();
      props.announce(`${camera.name} moved to ${site.location ?? `site ${n}`}; deployment logged for three months.`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="planner-rotation">
      <LoadLine load={props.load} what="the next sites" />
      {error && <p className="message message--error" role="alert">The move could not be saved: {error}</p>}
      {r && r.cameras.length === 0 && <p className="message message--info">{r.notes[0]}</p>}
      {r?.cameras.map((c) => (
        <section key={c.id} className="planner-card" aria-labelledby={`rotation-${c.id}`} data-testid="planner-rotation-camera">
          <h3 id={`rotation-${c.id}`} className="side-panel__section">
            <PlannerIcon icon="sp-camera-redeployable" /> {c.name}
          </h3>
          <p className="hint">
            {c.status === 'live' ? 'Live' : c.status === 'planned' ? 'Planned' : c.status}; {formatInteger(c.radiusM)} m coverage{c.district ? `; ${c.district}` : ''}.
          </p>
          {c.current ? (
            <p className={c.current.due ? 'note-warn' : 'hint'}>
              At {c.current.siteName} since {formatDate(c.current.startDate)}, until {formatDate(c.current.endDate)}
              {c.current.overdue ? ': overdue for a move.' : c.current.due ? ': due to move within two weeks.' : '.'}
            </p>
          ) : (
            <p className="hint">No deployment recorded yet.</p>
          )}
          {c.suggestions.length > 0 ? (
            <table className="data-table data-table--compact">
              <caption>Suggested next sites</caption>
              <thead>
                <tr>
                  <th scope="col">Site</th>
                  <th scope="col">Near</th>
                  <th scope="col" className="num">Crimes</th>
                  <th scope="col" className="num">Away</th>
                  {props.canEditCameras && <th scope="col"><span className="visually-hidden">Move</span></th>}
                </tr>
              </thead>
              <tbody>
                {c.suggestions.map((s) => {
                  const n = numbers.get(s.cell)!;
                  return (
                    <tr key={s.cell}>
                      <td>
                        <RankButton label={`Show site ${n} on the map`} slot={2} n={n} onPress={() => props.onFocus([s.lon, s.lat])} />
                      </td>
                      <td>
                        {s.location ?? 'Unnamed'}
                        <PlaceLine row={s} />
                        <span className="cell-sub">
                          {s.pattern === 'emerging' ? 'Emerging' : 'Persistent'} hot spot{s.district && !s.sameDistrict ? `, outside the camera's district` : ''}; {mainTypesLine(s.mainTypes)}
                        </span>
                      </td>
                      <td className="num">{formatInteger(s.crimes)}</td>
                      <td className="num">{formatDistance(s.distanceM)}</td>
                      {props.canEditCameras && (
                        <td>
                          <button type="button" className="link-button" disabled={busy !== null} onClick={() => void deploy(c, s, n)}>
                            {busy === `${c.id}-${s.cell}` ? 'Moving…' : 'Move here'}
                          </button>
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <p className="hint">No emerging or persistent hot spot left uncovered for this camera.</p>
          )}
          {c.history.length > 0 && (
            <details className="planner-details">
              <summary>Deployment history ({c.history.length})</summary>
              <ul className="planner-list">
                {c.history.map((d) => (
                  <li key={d.id}>
                    {d.siteName}: {formatDate(d.startDate)} to {formatDate(d.endDate)}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>
      ))}
      {r && (
        <p className="hint">
          Counted: crimes {periodLabel(r.recent.from, r.recent.to)} within {formatInteger(r.radiusM)} m of each site that fixed, PTZ and ANPR cameras do not cover. Today is {formatDate(r.today)}.
        </p>
      )}
      {r && <MethodNotes notes={r.notes} />}
    </div>
  );
}
