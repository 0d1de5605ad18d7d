import { useEffect, useId, useMemo, useState } from 'react';
import { OFFICER_ROLES, OFFICER_ROLE_LABELS, type OfficerRole, type Position } from '@safer-places/schemas';
import type { DosageReport } from './api';
import { describeError } from '../../api/client';
import { fileNameFromDisposition, saveBlob } from '../../shared/download';
import { formatInteger, formatNumber, monthLabelLong } from '../../shared/format';
import { pointsBounds } from './dosage';
import { todayIso } from './format';
import { hotspotRankIconId } from '../../map/icons';
import { LoadLine, MethodNotes, PlannerIcon, type TabProps } from './shared';

/** The report last shown on the map, so coming back to the tab does not move the map again. */
let lastFitted: string | null = null;

interface SpotChoice {
  key: string;
  spotName: string;
  location: Position;
  from: string;
}

const num = (n: number | null, digits = 0) => (n === null ? 'n/a' : formatNumber(n, digits));

/** The dosage log: record a visit to a patrolled spot, and read the month's report of hours and crimes per spot. */
export function DosageTab(props: TabProps<DosageReport>) {
  const id = useId();
  const { planner, dataset } = props;
  const report = props.result;
  const plan = planner.answers.patrol?.result ?? null;

  // Spots to record against: a spot sent from the patrol plan, the plan's stops, and spots already in the log.
  const spots = useMemo(() => {
    const out: SpotChoice[] = [];
    const seen = new Set<string>();
    const add = (spotName: string, location: Position, from: string) => {
      const key = `${spotName}|${location[0].toFixed(5)},${location[1].toFixed(5)}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ key, spotName, location, from });
    };
    if (planner.visitDraft) add(planner.visitDraft.spotName, planner.visitDraft.location, 'patrol plan');
    for (const s of plan?.stops ?? []) add(s.location ?? `Hot spot ${s.rank}`, [s.lon, s.lat], `patrol plan, visit ${s.visit}`);
    for (const s of report?.spots ?? []) add(s.spotName, [s.lon, s.lat], 'patrolled before');
    return out;
  }, [planner.visitDraft, plan, report]);

  const [spotKey, setSpotKey] = useState('');
  const [date, setDate] = useState(todayIso());
  const [minutes, setMinutes] = useState(String(planner.query.minutes));
  const [role, setRole] = useState<OfficerRole>('police-officer');
  const [notes, setNotes] = useState('');
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  useEffect(() => {
    if (planner.visitDraft) setSpotKey(`${planner.visitDraft.spotName}|${planner.visitDraft.location[0].toFixed(5)},${planner.visitDraft.location[1].toFixed(5)}`);
  }, [planner.visitDraft]);
  const chosen = spots.find((s) => s.key === spotKey) ?? spots[0] ?? null;
  // A new report shows its spots on the map.
  useEffect(() => {
    if (!report || !planner.key || lastFitted === planner.key) return;
    lastFitted = planner.key;
    const box = pointsBounds(report.spots.map((s) => [s.lon, s.lat] as Position));
    if (box) props.onFit(box);
  }, [report, planner.key]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    const m = Number(minutes);
    if (!Number.isInteger(m) || m < 1 || m > 720) {
      setFormError('Minutes must be a whole number from 1 to 720.');
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      await props.api.createAsset('patrol-visits', {
        spotName: chosen.spotName,
        location: { type: 'Point', coordinates: chosen.location },
        radiusM: 150,
        visitDate: date,
        minutes: m,
        officerRole: role,
        ...(notes.trim() && { notes: notes.trim() }),
      });
      setNotes('');
      planner.setVisitDraft(null);
      planner.setDosageMonth(date.slice(0, 7));
      planner.refresh();
      props.announce(`Visit to ${chosen.spotName} on ${date} logged (${m} minutes).`);
    } catch (err) {
      setFormError(describeError(err));
    } finally {
      setSaving(false);
    }
  };

  const downloadCsv = async () => {
    setDownloadError(null);
    try {
      const file = await props.api.downloadDosageCsv({ dataset: dataset.id, ...(report && { month: report.month }) });
      saveBlob(file.blob, fileNameFromDisposition(file.disposition, `patrol-dosage-${report?.month ?? 'report'}.csv`));
    } catch (err) {
      setDownloadError(describeError(err));
    }
  };

  return (
    <div data-testid="planner-dosage">
      {props.canRecord && (
        <form className="planner-box" onSubmit={(e) => void save(e)} aria-labelledby={`${id}-record`}>
          <h3 id={`${id}-record`} className="side-panel__section">Record a visit</h3>
          {spots.length === 0 ? (
            <p className="hint">Make a patrol plan first: its hot spots are the spots visits are logged against.</p>
          ) : (
            <>
              <div className="field">
                <label htmlFor={`${id}-spot`}>Hot spot</label>
                <select id={`${id}-spot`} value={chosen?.key ?? ''} onChange={(e) => setSpotKey(e.currentTarget.value)}>
                  {spots.map((s) => (
                    <option key={s.key} value={s.key}>{s.spotName} ({s.from})</option>
                  ))}
                </select>
              </div>
              <div className="field-row">
                <div className="field">
                  <label htmlFor={`${id}-date`}>Date</label>
                  <input id={`${id}-date`} type="date" required value={date} max={todayIso()} onChange={(e) => setDate(e.currentTarget.value)} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-minutes`}>Minutes at the spot</label>
                  <input id={`${id}-minutes`} type="number" required min={1} max={720} step={1} value={minutes} onChange={(e) => setMinutes(e.currentTarget.value)} />
                </div>
              </div>
              <div className="field">
                <label htmlFor={`${id}-role`}>Officer role</label>
                <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.currentTarget.value as OfficerRole)}>
                  {OFFICER_ROLES.map((r) => (
                    <option key={r} value={r}>{OFFICER_ROLE_LABELS[r]}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-notes`}>Notes</label>
                <textarea id={`${id}-notes`} rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
              </div>
              {formError && <p className="field-error" role="alert">{formError}</p>}
              <button type="submit" className="button button--primary" disabled={saving}>{saving ? 'Saving…' : 'Log the visit'}</button>
              <p className="hint">Visits are saved for your organisation; record roles, not names.</p>
            </>
          )}
        </form>
      )}

      <h3 className="side-panel__section">Monthly report</h3>
      <label htmlFor={`${id}-month`} className="field-label">Month</label>
      <input
        id={`${id}-month`}
        type="month"
        value={planner.dosageMonth ?? report?.month ?? ''}
        onChange={(e) => {
          if (/^\d{4}-\d{2}$/.test(e.currentTarget.value)) planner.setDosageMonth(e.currentTarget.value);
        }}
      />
      <LoadLine load={props.load} what="the dosage report" />
      {report && (
        <>
          <p data-testid="planner-dosage-summary">
            {monthLabelLong(report.month)}: {formatInteger(report.totals.visits)} {report.totals.visits === 1 ? 'visit' : 'visits'}, {formatNumber(report.totals.hours, 1)} hours of patrol at{' '}
            {formatInteger(report.totals.spots)} {report.totals.spots === 1 ? 'spot' : 'spots'}.
          </p>
          {report.spots.length > 0 ? (
            <div className="table-wrap">
              <table className="data-table data-table--compact" data-testid="planner-dosage-table">
                <caption>
                  Patrol hours and crimes within each spot, {monthLabelLong(report.month)}; "before" is the monthly average over the {report.beforeMonths} months before its first patrol
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Spot</th>
                    <th scope="col" className="num">Visits</th>
                    <th scope="col" className="num">Hours</th>
                    <th scope="col" className="num">Crimes</th>
                    <th scope="col" className="num">ASB</th>
                  </tr>
                </thead>
                {report.spots.map((s, i) => (
                  <tbody key={s.key} className="planner-dosage-spot">
                    <tr>
                      <th scope="rowgroup" colSpan={5}>
                        <span className="planner-spot">
                          <PlannerIcon icon={hotspotRankIconId(0, Math.min(i + 1, 20))} />
                          <span>
                            {s.spotName}
                            <span className="cell-sub">
                              First patrol {s.firstVisit}; crimes within {formatInteger(s.radiusM)} m
                              {s.month.byRole.length > 0 ? `; ${s.month.byRole.map((r) => `${r.role} ${formatNumber(r.hours, 1)} h`).join(', ')}` : ''}
                            </span>
                          </span>
                        </span>
                      </th>
                    </tr>
                    <tr data-testid="planner-dosage-month">
                      <th scope="row">{monthLabelLong(report.month)}</th>
                      <td className="num">{formatInteger(s.month.visits)}</td>
                      <td className="num">{formatNumber(s.month.hours, 1)}</td>
                      <td className="num">{num(s.month.crimes)}</td>
                      <td className="num">{num(s.month.asb)}</td>
                    </tr>
                    <tr data-testid="planner-dosage-before">
                      <th scope="row">Before, a month ({s.before.months} {s.before.months === 1 ? 'month' : 'months'})</th>
                      <td className="num">—</td>
                      <td className="num">—</td>
                      <td className="num">{num(s.before.crimesPerMonth, 1)}</td>
                      <td className="num">{num(s.before.asbPerMonth, 1)}</td>
                    </tr>
                  </tbody>
                ))}
              </table>
            </div>
          ) : (
            <p className="hint">No visits recorded up to this month.</p>
          )}
          {!report.crimeMonthPublished && <p className="note-warn">Crimes for {monthLabelLong(report.month)} are not published yet (n/a): police.uk publishes about two months in arrears.</p>}
          <div className="button-row">
            <button type="button" className="button" onClick={() => void downloadCsv()}>Download the report (CSV)</button>
          </div>
          {downloadError && <p className="message message--error" role="alert">The CSV could not be made: {downloadError}</p>}
          <MethodNotes notes={report.notes} />
        </>
      )}
    </div>
  );
}
