import { useEffect, useId, useRef, useState } from 'react';
import {
  ASSET_KINDS,
  type AssetInputByKind,
  type DatasetSummary,
  type EvaluationResult,
  type Geometry,
  type LsoaStats,
  type LsoaStatsRow,
  type Position,
} from '@safer-places/schemas';
import { ApiError, describeError } from '../api/client';
import { assetAttributes, fieldsFor, formValuesFrom, inputFromForm, type FieldDef, type FormKind, type FormValues } from '../lib/assets';
import { decileLabel } from '../lib/choropleth';
import { formatInteger, formatRate, ordinal, plural } from '../lib/format';
import { periodLabel } from '../lib/period';
import { populationSourceLabel } from '../lib/labels';
import { ConfirmDelete } from './ConfirmDelete';
import { EvaluationSection } from './EvaluationSection';

export function PanelShell(props: { title: string; subtitle?: string; onClose(): void; children: React.ReactNode; testId: string; className?: string }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, [props.title]);
  return (
    <aside className={`side-panel${props.className ? ` ${props.className}` : ''}`} aria-labelledby="panel-heading" data-testid={props.testId}>
      <div className="side-panel__head">
        <div>
          <h2 id="panel-heading" ref={headingRef} tabIndex={-1}>{props.title}</h2>
          {props.subtitle && <p className="side-panel__sub">{props.subtitle}</p>}
        </div>
        <button type="button" className="icon-button" onClick={props.onClose} aria-label="Close details">×</button>
      </div>
      <div className="side-panel__body">{props.children}</div>
    </aside>
  );
}

export interface LsoaPanelProps {
  properties: Record<string, unknown>;
  row: LsoaStatsRow | undefined;
  stats: LsoaStats | null;
  rank: { count: number | null; rate: number | null; of: number } | null;
  dataset: DatasetSummary | null;
  /** The place the ranks are within (the session's scope). */
  scopeLabel?: string | null;
  onClose(): void;
}

export function LsoaPanel({ properties: p, row, stats, rank, dataset, scopeLabel, onClose }: LsoaPanelProps) {
  const code = String(p.code ?? '');
  const population = typeof p.population === 'number' ? p.population : (row?.population ?? null);
  const decile = typeof p.imdDecile === 'number' ? p.imdDecile : (row?.imdDecile ?? null);
  const period = stats ? periodLabel(stats.from, stats.to) : null;
  return (
    <PanelShell title={String(p.name ?? code)} subtitle={`LSOA ${code}`} onClose={onClose} testId="lsoa-panel">
      <dl className="attributes">
        <dt>District</dt>
        <dd>{String(p.districtName ?? '—')}{p.districtCode ? ` (${String(p.districtCode)})` : ''}</dd>
        {typeof p.wardName === 'string' && p.wardName && (
          <>
            <dt>Ward</dt>
            <dd>{p.wardName}</dd>
          </>
        )}
        <dt>Population</dt>
        <dd>{population === null ? 'Not known' : `${formatInteger(population)} ${populationSourceLabel(dataset)}`}</dd>
      </dl>
      <h3 className="side-panel__section">{stats ? `${stats.categoryLabel}, ${period}` : 'Crime'}</h3>
      {!stats ? (
        <p className="hint">Crime figures are loading or unavailable for this period.</p>
      ) : (
        <dl className="attributes">
          <dt>Recorded crimes</dt>
          <dd data-testid="lsoa-count">{row ? `${plural(row.count, 'crime')} in ${period}` : `No data for ${period}`}</dd>
          <dt>Rate</dt>
          <dd>
            {row && row.ratePer1000 !== null
              ? `${formatRate(row.ratePer1000)} crimes per 1,000 residents over ${plural(stats.months, 'month')}`
              : 'Not available (population unknown)'}
          </dd>
          {rank && rank.count !== null && (
            <>
              <dt>Rank</dt>
              <dd>
                {ordinal(rank.count)} highest count of {formatInteger(rank.of)} LSOAs{scopeLabel ? ` in ${scopeLabel}` : ''}
                {rank.rate !== null && `; ${ordinal(rank.rate)} highest rate`}
              </dd>
            </>
          )}
        </dl>
      )}
      {stats && stats.notes.length > 0 && (
        <ul className="panel-notes">
          {stats.notes.map((n) => <li key={n}>{n}</li>)}
        </ul>
      )}
      <h3 className="side-panel__section">Deprivation</h3>
      <dl className="attributes">
        <dt>IMD decile</dt>
        <dd>{decile === null ? 'Not known' : `${decileLabel(decile)} (1 = most deprived 10 % of England)`}</dd>
        {typeof p.deprivationSource === 'string' && p.deprivationSource && (
          <>
            <dt>Source</dt>
            <dd>{p.deprivationSource}</dd>
          </>
        )}
      </dl>
      <p className="hint">police.uk places each crime at an anonymised map point, never an exact address.</p>
    </PanelShell>
  );
}

export function Field({ def, value, error, onChange, idPrefix }: { def: FieldDef; value: string; error?: string; onChange(v: string): void; idPrefix: string }) {
  const id = `${idPrefix}-${def.name}`;
  const describedBy = [def.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: def.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    required: def.required,
  } as const;
  let control: React.ReactNode;
  switch (def.type) {
    case 'select':
      control = (
        <select {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          {def.options?.map((o) => (
            <option key={o.value} value={o.value}>{o.label}</option>
          ))}
        </select>
      );
      break;
    case 'textarea':
    case 'lines':
      control = <textarea {...common} value={value} rows={def.type === 'lines' ? 4 : 3} onChange={(e) => onChange(e.currentTarget.value)} />;
      break;
    default:
      control = (
        <input
          {...common}
          type={def.type}
          value={value}
          {...(def.min !== undefined && { min: def.min })}
          {...(def.max !== undefined && { max: def.max })}
          {...(def.step !== undefined && { step: def.step })}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{def.label}{def.required && <span aria-hidden="true"> *</span>}</label>
      {control}
      {def.hint && <p className="hint" id={`${id}-hint`}>{def.hint}</p>}
      {error && <p className="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

function AssetForm<K extends FormKind>(props: {
  kind: K;
  initial: FormValues;
  geometry: Geometry;
  cameraOptions: { value: string; label: string }[];
  sensitiveCameras: boolean;
  submitLabel: string;
  onSubmit(input: AssetInputByKind[K]): Promise<void>;
  onCancel(): void;
}) {
  const idPrefix = useId();
  const [values, setValues] = useState<FormValues>(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const fields = fieldsFor(props.kind, props.cameraOptions, { sensitiveCameras: props.sensitiveCameras });
  return (
    <form
      className="asset-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const result = inputFromForm(props.kind, values, props.geometry);
        if (!result.ok) {
          setErrors(result.errors);
          return;
        }
        setErrors({});
        setBusy(true);
        try {
          await props.onSubmit(result.input);
        } finally {
          setBusy(false);
        }
      }}
    >
      {fields.map((f) => (
        <Field key={f.name} def={f} value={values[f.name] ?? ''} error={errors[f.name]} idPrefix={idPrefix} onChange={(v) => setValues({ ...values, [f.name]: v })} />
      ))}
      {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy}>{busy ? 'Saving…' : props.submitLabel}</button>
        <button type="button" className="button" onClick={props.onCancel} disabled={busy}>Cancel</button>
      </div>
    </form>
  );
}

export interface AssetPanelProps<K extends FormKind> {
  kind: K;
  properties: Record<string, unknown>;
  geometry: Geometry;
  canWrite: boolean;
  cameraOptions: { value: string; label: string }[];
  /** The user may see and record covert cameras. */
  sensitiveCameras: boolean;
  onSave(input: AssetInputByKind[K], version: number): Promise<void>;
  onDelete(version: number): Promise<void>;
  onReload(): Promise<void>;
  onClose(): void;
  /** Safer Streets areas: before/after figures for an intervention start month. */
  evaluate?(q: { start: string; months: number }): Promise<EvaluationResult>;
  firstMonth?: string | null;
  lastMonth?: string | null;
}

export function AssetPanel<K extends FormKind>(props: AssetPanelProps<K>) {
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [error, setError] = useState<{ message: string; conflict: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const version = Number(props.properties.version);
  const meta = ASSET_KINDS[props.kind];
  const idKey = `${String(props.properties.id)}:${version}`;

  // A different item, or a newer version of this one, starts afresh.
  useEffect(() => {
    setMode('view');
  }, [idKey]);

  const fail = (err: unknown) => {
    const conflict = err instanceof ApiError && err.status === 409;
    setError({ message: describeError(err), conflict });
  };

  return (
    <PanelShell title={String(props.properties.name ?? meta.singular)} subtitle={meta.label.replace(/s$/, '')} onClose={props.onClose} testId="asset-panel">
      {error && (
        <div className={`message ${error.conflict ? 'message--conflict' : 'message--error'}`} role="alert">
          <p>{error.conflict ? 'Someone else changed this — reload to see the latest version, then make your change again.' : error.message}</p>
          {error.conflict && (
            <button
              type="button"
              className="button"
              onClick={async () => {
                setBusy(true);
                try {
                  await props.onReload();
                  setError(null);
                  setMode('view');
                } catch (err) {
                  fail(err);
                } finally {
                  setBusy(false);
                }
              }}
              disabled={busy}
            >
              Reload
            </button>
          )}
        </div>
      )}
      {mode === 'edit' ? (
        <AssetForm
          key={idKey}
          kind={props.kind}
          initial={formValuesFrom(props.kind, props.properties)}
          geometry={props.geometry}
          cameraOptions={props.cameraOptions}
          sensitiveCameras={props.sensitiveCameras}
          submitLabel="Save changes"
          onCancel={() => setMode('view')}
          onSubmit={async (input) => {
            try {
              setError(null);
              await props.onSave(input, version);
              setMode('view');
            } catch (err) {
              fail(err);
            }
          }}
        />
      ) : (
        <>
          <dl className="attributes">
            {assetAttributes(props.kind, props.properties).map((a) => (
              <div className="attributes__row" key={a.label}>
                <dt>{a.label}</dt>
                <dd>
                  {a.list ? (
                    <ul className="attributes__list">
                      {a.list.map((item) => <li key={item}>{item}</li>)}
                    </ul>
                  ) : (
                    a.value
                  )}
                </dd>
              </div>
            ))}
          </dl>
          {props.canWrite && (
            <div className="button-row" data-testid="write-controls">
              {mode === 'confirm-delete' ? (
                <ConfirmDelete
                  prompt={`Delete this ${meta.singular}? This cannot be undone.`}
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
                  <button type="button" className="button button--primary" onClick={() => { setError(null); setMode('edit'); }}>Edit details</button>
                  <button type="button" className="button button--danger-outline" onClick={() => setMode('confirm-delete')}>Delete</button>
                </>
              )}
            </div>
          )}
          {!props.canWrite && <p className="hint">Your role can view this {meta.singular} but not change it.</p>}
          {props.evaluate && (
            <EvaluationSection key={idKey} startDate={typeof props.properties.startDate === 'string' ? props.properties.startDate : null} firstMonth={props.firstMonth ?? null} lastMonth={props.lastMonth ?? null} load={props.evaluate} />
          )}
        </>
      )}
    </PanelShell>
  );
}

export function AddPanel(props: {
  kind: 'cameras' | 'help-points';
  position: Position | null;
  cameraOptions: { value: string; label: string }[];
  sensitiveCameras: boolean;
  onCreate(input: AssetInputByKind['cameras'] | AssetInputByKind['help-points']): Promise<void>;
  onUseCentre(): void;
  onCancel(): void;
}) {
  const [error, setError] = useState<string | null>(null);
  const meta = ASSET_KINDS[props.kind];
  return (
    <PanelShell title={`Add a ${meta.singular}`} onClose={props.onCancel} testId="add-panel">
      {!props.position ? (
        <>
          <p>Click the map where the {meta.singular} is, or place it at the centre of the map.</p>
          <div className="button-row">
            <button type="button" className="button" onClick={props.onUseCentre}>Use the map centre</button>
            <button type="button" className="button" onClick={props.onCancel}>Cancel</button>
          </div>
        </>
      ) : (
        <>
          <p className="hint">
            Location: {props.position[1].toFixed(5)}° N, {Math.abs(props.position[0]).toFixed(5)}° {props.position[0] < 0 ? 'W' : 'E'}. Click the map again to move it.
          </p>
          {error && <div className="message message--error" role="alert"><p>{error}</p></div>}
          <AssetForm
            key={props.kind}
            kind={props.kind}
            initial={formValuesFrom(props.kind)}
            geometry={{ type: 'Point', coordinates: props.position }}
            cameraOptions={props.cameraOptions}
            sensitiveCameras={props.sensitiveCameras}
            submitLabel={`Add ${meta.singular}`}
            onCancel={props.onCancel}
            onSubmit={async (input) => {
              try {
                setError(null);
                await props.onCreate(input as AssetInputByKind['cameras']);
              } catch (err) {
                setError(describeError(err));
              }
            }}
          />
        </>
      )}
    </PanelShell>
  );
}
