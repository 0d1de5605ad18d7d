import { useId, useState } from 'react';
import { CAMERA_TYPES, DEFAULT_COVERAGE_RADIUS_M, type CameraType } from '@safer-places/schemas';
import type { CandidateSites } from './api';
import { formatInteger, formatPercent } from '../../shared/format';
import { parseCandidateSites } from './candidates';
import { coveredText } from './format';
import { CAMERA_SHORT_LABELS, K_CHOICES } from './query';
import { LoadLine, MethodNotes, RankButton, mainTypesLine, type TabProps } from './shared';
import { PlaceLine } from '../scope/PlaceLine';

/** New camera sites: how many, of which type, among which candidates; then the greedy picks with their gains. */
export function SitesTab(props: TabProps<CandidateSites>) {
  const id = useId();
  const { planner } = props;
  const q = planner.query;
  const sites = props.result;
  const [fileMessage, setFileMessage] = useState<{ error: boolean; text: string } | null>(null);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const parsed = parseCandidateSites(await file.text(), file.name);
    if (!parsed.ok) {
      setFileMessage({ error: true, text: parsed.error });
      return;
    }
    planner.setQuery({ ...planner.query, candidates: { name: file.name, sites: parsed.sites } });
    setFileMessage({
      error: false,
      text: `${formatInteger(parsed.sites.length)} feasible sites read from ${file.name}${parsed.skipped.length > 0 ? `; ${parsed.skipped.length} skipped (${parsed.skipped.slice(0, 2).join('; ')}${parsed.skipped.length > 2 ? '; …' : ''})` : ''}.`,
    });
  };

  return (
    <div data-testid="planner-sites">
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-k`} className="field-label">New cameras</label>
          <select id={`${id}-k`} value={q.k} onChange={(e) => planner.setQuery({ ...q, k: Number(e.currentTarget.value) })}>
            {K_CHOICES.map((k) => (
              <option key={k} value={k}>{k}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-type`} className="field-label">Camera type</label>
          <select id={`${id}-type`} value={q.cameraType} onChange={(e) => planner.setQuery({ ...q, cameraType: e.currentTarget.value as CameraType })}>
            {CAMERA_TYPES.map((t) => (
              <option key={t} value={t}>{CAMERA_SHORT_LABELS[t]} ({DEFAULT_COVERAGE_RADIUS_M[t]} m)</option>
            ))}
          </select>
        </div>
      </div>
      <h3 className="side-panel__section">Candidate sites</h3>
      <p className="hint" data-testid="planner-candidates">
        {q.candidates
          ? `Your ${formatInteger(q.candidates.sites.length)} feasible sites from ${q.candidates.name}.`
          : 'The centres of the significant hot cells (100 m). Or upload the sites where a camera could go: a CSV with longitude and latitude columns, or GeoJSON points.'}
      </p>
      <div className="button-row button-row--tight">
        <label className="button planner-file">
          Upload feasible sites (CSV or GeoJSON)
          <input
            type="file"
            accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json"
            className="visually-hidden"
            data-testid="planner-sites-file"
            onChange={(e) => {
              void onFile(e.currentTarget.files?.[0]);
              e.currentTarget.value = '';
            }}
          />
        </label>
        {q.candidates && (
          <button
            type="button"
            className="button"
            onClick={() => {
              planner.setQuery({ ...q, candidates: null });
              setFileMessage(null);
            }}
          >
            Use hot-cell centres
          </button>
        )}
      </div>
      {fileMessage && <p className={fileMessage.error ? 'message message--error' : 'hint'} role={fileMessage.error ? 'alert' : 'status'}>{fileMessage.text}</p>}
      {q.proposed.length > 0 && (
        <p className="hint">
          The {q.proposed.length} proposed {q.proposed.length === 1 ? 'camera' : 'cameras'} from Coverage gaps {q.proposed.length === 1 ? 'counts' : 'count'} as existing here.{' '}
          <button type="button" className="link-button" onClick={() => planner.setQuery({ ...q, proposed: [] })}>
            Remove {q.proposed.length === 1 ? 'it' : 'them'}
          </button>
        </p>
      )}
      <LoadLine load={props.load} what="the camera sites" />
      {sites && (
        <>
          <p data-testid="planner-sites-summary">
            Covered now: {coveredText(sites.coveredBefore, sites.total, sites.shareBefore)}. With {sites.picks.length} new {sites.picks.length === 1 ? 'camera' : 'cameras'}:{' '}
            {coveredText(sites.coveredAfter, sites.total, sites.shareAfter)}.
          </p>
          <div className="table-wrap">
            <table className="data-table" data-testid="planner-picks">
              <caption>
                {sites.picks.length} sites for {sites.camera.typeLabel.toLowerCase()} cameras ({formatInteger(sites.camera.radiusM)} m), in order of pick, from{' '}
                {formatInteger(sites.candidates.count)} candidates
              </caption>
              <thead>
                <tr>
                  <th scope="col">Pick</th>
                  <th scope="col">Near</th>
                  <th scope="col" className="num">Newly covered</th>
                  <th scope="col" className="num">Coverage after</th>
                </tr>
              </thead>
              <tbody>
                {sites.picks.map((p) => (
                  <tr key={p.rank}>
                    <td>
                      <RankButton label={`Show site ${p.rank} on the map`} slot={1} n={p.rank} onPress={() => props.onFocus([p.lon, p.lat])} />
                    </td>
                    <td>
                      {p.location ?? 'Unnamed'}
                      <PlaceLine row={p} />
                      <span className="cell-sub">{mainTypesLine(p.mainTypes)}</span>
                    </td>
                    <td className="num">{formatInteger(p.gain)} crimes</td>
                    <td className="num">{p.shareAfter === null ? '—' : formatPercent(p.shareAfter)}</td>
                  </tr>
                ))}
                {sites.picks.length === 0 && (
                  <tr>
                    <td colSpan={4}>No candidate site covers a crime that is not covered already.</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <MethodNotes notes={sites.notes} />
        </>
      )}
    </div>
  );
}
