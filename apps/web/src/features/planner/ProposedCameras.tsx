import { useId, useState } from 'react';
import { CAMERA_TYPES, CAMERA_TYPE_LABELS, DEFAULT_COVERAGE_RADIUS_M, type CameraType } from '@safer-places/schemas';
import { formatInteger } from '../../shared/format';
import { formatLonLat } from './format';
import { CAMERA_SHORT_LABELS, proposedCamera } from './query';
import { PlannerIcon, type TabProps } from './shared';

/** "What if" cameras: the type, and optionally the way it faces, of the next camera dropped on the map. */
export function ProposedCameras(props: TabProps<unknown>) {
  const id = useId();
  const { planner } = props;
  const q = planner.query;
  const [type, setType] = useState<CameraType>('fixed');
  const [bearing, setBearing] = useState('');
  const [fov, setFov] = useState('');
  const view = bearing !== '' && fov !== '' ? { bearingDeg: Number(bearing), fieldOfViewDeg: Number(fov) } : {};
  const viewProblem = (bearing === '') !== (fov === '') ? 'Give both the direction and the width of the view, or neither.' : null;
  const add = (at: [number, number]) => planner.setQuery({ ...planner.query, proposed: [...planner.query.proposed, proposedCamera(at, type, view)] });
  const picking = props.picking === 'proposed';
  return (
    <div className="planner-box" data-testid="planner-what-if">
      <h3 className="side-panel__section">What if: drop a camera</h3>
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-type`} className="field-label">Camera type</label>
          <select id={`${id}-type`} value={type} onChange={(e) => setType(e.currentTarget.value as CameraType)}>
            {CAMERA_TYPES.map((t) => (
              <option key={t} value={t}>{CAMERA_SHORT_LABELS[t]} ({DEFAULT_COVERAGE_RADIUS_M[t]} m)</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-bearing`} className="field-label">Facing (° from north)</label>
          <input id={`${id}-bearing`} type="number" min={0} max={359} step={1} value={bearing} placeholder="All round" onChange={(e) => setBearing(e.currentTarget.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-fov`} className="field-label">View width (°)</label>
          <input id={`${id}-fov`} type="number" min={10} max={360} step={1} value={fov} placeholder="360" onChange={(e) => setFov(e.currentTarget.value)} />
        </div>
      </div>
      {viewProblem && <p className="field-error">{viewProblem}</p>}
      <div className="button-row button-row--tight">
        <button
          type="button"
          className="button"
          aria-pressed={picking}
          disabled={!!viewProblem}
          onClick={() => (picking ? props.onCancelPick() : props.onPick('proposed', `Click the map where the proposed ${CAMERA_TYPE_LABELS[type].toLowerCase()} camera goes.`, add))}
        >
          Drop a camera on the map
        </button>
        <button
          type="button"
          className="button"
          disabled={!!viewProblem}
          onClick={() => {
            const c = props.getCentre();
            if (c) add(c);
          }}
        >
          At the map centre
        </button>
      </div>
      {q.proposed.length > 0 && (
        <ul className="planner-list" data-testid="planner-proposed">
          {q.proposed.map((p, i) => (
            <li key={`${p.location.coordinates.join(',')}-${i}`}>
              <PlannerIcon icon={`sp-camera-${p.type}`} />
              <span>
                {CAMERA_TYPE_LABELS[p.type]}, {formatInteger(p.coverageRadiusM ?? DEFAULT_COVERAGE_RADIUS_M[p.type])} m
                {p.bearingDeg !== undefined ? `, facing ${p.bearingDeg}° (${p.fieldOfViewDeg}° wide)` : ', all round'} at {formatLonLat(p.location.coordinates)}
              </span>
              <button type="button" className="link-button" onClick={() => planner.setQuery({ ...planner.query, proposed: planner.query.proposed.filter((_, j) => j !== i) })}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {q.proposed.length > 0 && <p className="hint">Proposed cameras count in this tab and in Camera sites until you remove them; nothing is saved.</p>}
    </div>
  );
}
