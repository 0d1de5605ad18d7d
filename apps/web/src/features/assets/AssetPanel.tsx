import { useEffect, useState } from 'react';
import { ASSET_KINDS, type AssetInputByKind, type EvaluationResult, type Geometry } from '@safer-places/schemas';
import { ApiError, describeError } from '../../api/client';
import { formValuesFrom, type FormKind } from './itemForm';
import { assetAttributes } from './itemAttributes';
import { ConfirmDelete } from '../../shared/ConfirmDelete';
import { PanelShell } from '../../shared/PanelShell';
import { EvaluationSection } from '../bids/EvaluationSection';
import { AssetForm } from './AssetForm';

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
