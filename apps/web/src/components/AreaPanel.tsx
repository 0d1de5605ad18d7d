import { useEffect, useId, useState } from 'react';
import { AREA_THEME_LABELS, type AreaGeometry, type CategorySelection, type DrawnAreaInput, type Position } from '@safer-places/schemas';
import { ApiError, describeError, type AreaStats, type AreaStatsQuery } from '../api/client';
import { fieldsFor, formValuesFrom, inputFromForm, type FormValues } from '../lib/assets';
import { AREA_PERIOD_CHOICES, areaPeriodOptionLabel, categoriesLabel, figuresHeading, type AreaPeriodChoice, type AreaQueryState } from '../lib/areaQuery';
import { SHAPE_LABELS, vertexCount, type AreaShape } from '../lib/drawing';
import { formatDate, formatDateTime, formatDistance, formatInteger, formatKm2, formatPercent, monthLabel, plural } from '../lib/format';
import { periodLabel, type MonthRange } from '../lib/period';
import { StrategicTableView, TrendChart } from './AreaCharts';
import { CategoryPicker } from './CategoryPicker';
import { Field, PanelShell } from './SidePanel';
import { ConfirmDelete } from './ConfirmDelete';

const SNAP_NOTE = /sit on one published point/;

type StatsState = { state: 'loading' } | { state: 'done'; stats: AreaStats } | { state: 'error'; message: string };

export interface AreaPanelProps {
  /** A saved area's layer properties, or null for an unsaved drawing. */
  area: Record<string, unknown> | null;
  /** The shape the figures and a save are for (while reshaping: the edited one). */
  geometry: AreaGeometry;
  shape: AreaShape;
  /** Changes whenever the figures must be fetched again (another shape, another version). */
  statsKey: string;
  loadStats(q: AreaStatsQuery, signal: AbortSignal): Promise<AreaStats>;
  query: AreaQueryState;
  onQuery(q: AreaQueryState): void;
  /** The months the figures are for, resolved from the query; null when the map's period is not valid. */
  period: MonthRange | null;
  mapPeriodLabel: string | null;
  datasetId: string | null;
  canWrite: boolean;
  /** The shape's corners are editable on the map right now. */
  editingShape: boolean;
  /** A saved area whose shape was changed on the map and not saved yet. */
  shapeChanged: boolean;
  /** Why the shape cannot be edited on the map, if it cannot. */
  shapeProblem: string | null;
  onEditShape(): void;
  /** Unsaved drawing: stop editing and keep the shape; saved area: put the saved shape back. */
  onStopEditShape(): void;
  onCreate(input: DrawnAreaInput): Promise<void>;
  onDiscard(): void;
  onUpdate(input: DrawnAreaInput, version: number): Promise<void>;
  onDelete(version: number): Promise<void>;
  onReload(): Promise<void>;
  onExport(kind: 'csv' | 'geojson', q: AreaStatsQuery): Promise<void>;
  /** Where the server found the shape's edges crossing, to mark on the map (null clears the mark). */
  onCrossing(point: Position | null): void;
  onClose(): void;
}

interface PanelError {
  message: string;
  conflict: boolean;
}

function lonLatText([lon, lat]: Position): string {
  return `${Math.abs(lat).toFixed(5)}° ${lat < 0 ? 'S' : 'N'}, ${Math.abs(lon).toFixed(5)}° ${lon < 0 ? 'W' : 'E'}`;
}

/** The drawn-area panel: save or edit the area, and every figure the server has for it. */
export function AreaPanel(props: AreaPanelProps) {
  const idPrefix = useId();
  const saved = props.area !== null;
  const version = Number(props.area?.version ?? 0);
  const areaId = saved ? String(props.area!.id) : null;
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>(saved ? 'view' : 'edit');
  const [values, setValues] = useState<FormValues>(() => formValuesFrom('areas', props.area ?? {}));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<PanelError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [stats, setStats] = useState<StatsState>({ state: 'loading' });

  // Another area (or the unsaved drawing becoming a saved area) starts afresh; a newer version of this one does not,
  // so nothing typed is lost when someone else's change is reloaded.
  useEffect(() => {
    setMode(saved ? 'view' : 'edit');
    setValues(formValuesFrom('areas', props.area ?? {}));
    setErrors({});
    setError(null);
    setNotice(null);
  }, [areaId]);

  const { loadStats, onCrossing } = props;
  const categoriesKey = props.query.categories.join(',');
  const periodKey = props.period ? `${props.period.from}:${props.period.to}` : '';
  useEffect(() => {
    if (!props.period) {
      setStats({ state: 'error', message: 'Choose a valid period in the map controls, or another period here.' });
      return;
    }
    const controller = new AbortController();
    setStats({ state: 'loading' });
    loadStats({ categories: props.query.categories, from: props.period.from, to: props.period.to, ...(props.datasetId && { dataset: props.datasetId }) }, controller.signal)
      .then((s) => {
        setStats({ state: 'done', stats: s });
        onCrossing(null);
      })
      .catch((err) => {
        if ((err as Error).name === 'AbortError') return;
        if (err instanceof ApiError && err.point) onCrossing(err.point);
        setStats({ state: 'error', message: crossingMessage(err) ?? `The figures could not be loaded: ${describeError(err)}` });
      });
    return () => controller.abort();
  }, [props.statsKey, categoriesKey, periodKey, props.datasetId]);

  const fail = (err: unknown) => {
    const conflict = err instanceof ApiError && err.status === 409;
    if (err instanceof ApiError && err.point) props.onCrossing(err.point);
    setError({ message: crossingMessage(err) ?? describeError(err), conflict });
  };

  /** The strict API input from the form (or the saved details) and the current shape. */
  const buildInput = (from: FormValues): DrawnAreaInput | null => {
    const result = inputFromForm('areas', from, props.geometry);
    if (!result.ok) {
      setErrors(result.errors);
      if (result.errors.form) setError({ message: result.errors.form, conflict: false });
      return null;
    }
    setErrors({});
    return { ...result.input, shape: props.shape };
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = buildInput(values);
    if (!input) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (saved) {
        await props.onUpdate(input, version);
        setMode('view');
      } else {
        await props.onCreate(input);
      }
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const saveShape = async () => {
    const input = buildInput(mode === 'edit' ? values : formValuesFrom('areas', props.area ?? {}));
    if (!input) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await props.onUpdate(input, version);
      if (mode === 'edit') setMode('view');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const reload = async () => {
    setBusy(true);
    try {
      await props.onReload();
      setError(null);
      setNotice('Reloaded the latest version. Your unsaved changes are still here: check them, then save again.');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const exportFile = async (kind: 'csv' | 'geojson') => {
    setBusy(true);
    setError(null);
    try {
      await props.onExport(kind, { categories: props.query.categories, ...(props.period && { from: props.period.from, to: props.period.to }), ...(props.datasetId && { dataset: props.datasetId }) });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const title = saved ? String(props.area!.name ?? 'Drawn area') : 'New area (not saved)';
  const subtitle = `Drawn area · ${SHAPE_LABELS[props.shape]}${saved ? '' : ' · unsaved'}`;
  const fields = fieldsFor('areas');

  return (
    <PanelShell title={title} subtitle={subtitle} onClose={props.onClose} testId="area-panel" className="side-panel--area">
      {error && (
        <div className={`message ${error.conflict ? 'message--conflict' : 'message--error'}`} role="alert">
          <p>{error.conflict ? 'Someone else changed this area — reload to get their version. Your changes stay here until you save or cancel.' : error.message}</p>
          {error.conflict && (
            <button type="button" className="button" onClick={reload} disabled={busy}>
              Reload
            </button>
          )}
        </div>
      )}
      {notice && (
        <p className="message message--info" role="status">
          {notice}
        </p>
      )}
      {props.shapeProblem && <p className="message message--error">{props.shapeProblem}</p>}

      {/* Shape editing on the map. */}
      {props.editingShape && (
        <div className="message message--info" data-testid="shape-editing">
          <p>
            <strong>Editing the shape.</strong> Drag a corner to move it, drag a mid-point to add a corner, right-click a corner to remove it, or drag
            inside the shape to move all of it.
          </p>
          <div className="button-row">
            {saved ? (
              <>
                <button type="button" className="button button--primary" onClick={saveShape} disabled={busy || !props.shapeChanged}>
                  {busy ? 'Saving…' : 'Save shape'}
                </button>
                <button type="button" className="button" onClick={props.onStopEditShape} disabled={busy}>
                  Cancel shape changes
                </button>
              </>
            ) : (
              <button type="button" className="button" onClick={props.onStopEditShape}>
                Done editing the shape
              </button>
            )}
          </div>
        </div>
      )}

      {/* Details: the save form for a new drawing, or the saved area's details with its write controls. */}
      {mode === 'edit' && props.canWrite ? (
        <form className="asset-form" noValidate onSubmit={submit} aria-label={saved ? 'Edit area details' : 'Save this area'}>
          {!saved && <p className="hint">Figures below are for the shape you drew. Give it a name and theme to save it for your organisation.</p>}
          {fields.map((f) => (
            <Field key={f.name} def={f} value={values[f.name] ?? ''} error={errors[f.name]} idPrefix={idPrefix} onChange={(v) => setValues({ ...values, [f.name]: v })} />
          ))}
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={busy}>
              {busy ? 'Saving…' : saved ? 'Save changes' : 'Save area'}
            </button>
            {!props.editingShape && (
              <button type="button" className="button" onClick={props.onEditShape} disabled={busy}>
                Edit shape
              </button>
            )}
            <button type="button" className="button" onClick={saved ? () => setMode('view') : props.onDiscard} disabled={busy}>
              {saved ? 'Cancel' : 'Discard'}
            </button>
          </div>
        </form>
      ) : saved ? (
        <>
          <dl className="attributes">
            <dt>Theme</dt>
            <dd>{AREA_THEME_LABELS[String(props.area!.theme) as keyof typeof AREA_THEME_LABELS] ?? String(props.area!.theme ?? '—')}</dd>
            {typeof props.area!.notes === 'string' && props.area!.notes && (
              <>
                <dt>Notes</dt>
                <dd className="pre-wrap">{props.area!.notes}</dd>
              </>
            )}
            <dt>Shape</dt>
            <dd>
              {SHAPE_LABELS[props.shape]}, {plural(vertexCount(props.geometry), 'corner')}
            </dd>
            {typeof props.area!.updatedAt === 'string' && (
              <>
                <dt>Last changed</dt>
                <dd>
                  {formatDateTime(props.area!.updatedAt)}
                  {props.area!.updatedBy ? ` by ${String(props.area!.updatedBy)}` : ''} (version {formatInteger(version)})
                </dd>
              </>
            )}
          </dl>
          {props.canWrite && !props.editingShape && (
            <div className="button-row" data-testid="write-controls">
              {mode === 'confirm-delete' ? (
                <ConfirmDelete
                  prompt={`Delete “${title}”? This cannot be undone.`}
                  busy={busy}
                  onCancel={() => setMode('view')}
                  onConfirm={async () => {
                    setBusy(true);
                    setError(null);
                    try {
                      await props.onDelete(version);
                    } catch (err) {
                      fail(err);
                      setMode('view');
                    } finally {
                      setBusy(false);
                    }
                  }}
                />
              ) : (
                <>
                  <button
                    type="button"
                    className="button button--primary"
                    onClick={() => {
                      setError(null);
                      setNotice(null);
                      setErrors({});
                      setValues(formValuesFrom('areas', props.area ?? {}));
                      setMode('edit');
                    }}
                  >
                    Edit details
                  </button>
                  <button type="button" className="button" onClick={props.onEditShape}>
                    Edit shape
                  </button>
                  <button type="button" className="button button--danger-outline" onClick={() => setMode('confirm-delete')}>
                    Delete
                  </button>
                </>
              )}
            </div>
          )}
          {!props.canWrite && <p className="hint">Your role can view this area but not change it.</p>}
        </>
      ) : (
        <p className="hint">This drawing is not saved. Your role can look at its figures but not save it.</p>
      )}

      <AreaQueryControls query={props.query} onQuery={props.onQuery} mapPeriodLabel={props.mapPeriodLabel} />

      <AreaFigures state={stats} period={props.period} categories={props.query.categories} shapeChanged={props.shapeChanged} />

      <h3 className="side-panel__section">Export</h3>
      {saved ? (
        <>
          <div className="button-row button-row--tight">
            <button type="button" className="button" onClick={() => exportFile('csv')} disabled={busy}>
              Download figures (CSV)
            </button>
            <button type="button" className="button" onClick={() => exportFile('geojson')} disabled={busy}>
              Download shape (GeoJSON)
            </button>
          </div>
          <p className="hint">The CSV holds the figures above for the chosen crime types and period; the GeoJSON holds the saved shape.</p>
        </>
      ) : (
        <p className="hint">Save the area to download its figures (CSV) and shape (GeoJSON).</p>
      )}
    </PanelShell>
  );
}

/** A shape the server refused at a point (edges crossing, a hole outside, parts overlapping): its words, and where. */
function crossingMessage(err: unknown): string | null {
  if (!(err instanceof ApiError) || !err.point) return null;
  const detail = err.detail.replace(/^geometry: /, '');
  return `The shape cannot be saved: ${detail} (${lonLatText(err.point)}, marked on the map). Move a corner there, or draw it again.`;
}

function AreaQueryControls(props: { query: AreaQueryState; onQuery(q: AreaQueryState): void; mapPeriodLabel: string | null }) {
  const id = useId();
  const { categories } = props.query;
  return (
    <div className="area-query">
      <h3 className="side-panel__section">What to count</h3>
      <CategoryPicker categories={categories} onChange={(c) => props.onQuery({ ...props.query, categories: c })} legend="Crime types to count" />
      <label htmlFor={`${id}-period`} className="field-label">Period</label>
      <select id={`${id}-period`} value={props.query.period} onChange={(e) => props.onQuery({ ...props.query, period: e.currentTarget.value as AreaPeriodChoice })}>
        {AREA_PERIOD_CHOICES.map((p) => (
          <option key={p.value} value={p.value}>
            {areaPeriodOptionLabel(p.value, props.mapPeriodLabel)}
          </option>
        ))}
      </select>
    </div>
  );
}

function AreaFigures(props: { state: StatsState; period: MonthRange | null; categories: CategorySelection[]; shapeChanged: boolean }) {
  const { state } = props;
  if (state.state === 'loading') {
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
  const s = state.stats;
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
