import { useId, useState } from 'react';
import type { AreaGeometry, DrawnAreaInput, Position } from '@safer-places/schemas';
import { ApiError, describeError, type AreaStats, type AreaStatsQuery } from '../../api/client';
import { fieldsFor, formValuesFrom, inputFromForm, type FormValues } from '../assets/itemForm';
import { Field } from '../assets/Field';
import { PanelShell } from '../../shared/PanelShell';
import type { MonthRange } from '../../shared/period';
import { SHAPE_LABELS, type AreaShape } from './drawing';
import type { AreaQueryState } from './areaQuery';
import { crossingMessage } from './areaErrors';
import { AreaFigures } from './AreaFigures';
import { AreaQueryControls } from './AreaQueryControls';
import { SavedAreaDetails, ShapeEditing } from './AreaDetails';
import { useAreaFigures } from './useAreaFigures';

/** What every area panel has, drawn or saved. */
interface AreaPanelBase {
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
  /** Why the shape cannot be edited on the map, if it cannot. */
  shapeProblem: string | null;
  onEditShape(): void;
  /** Unsaved drawing: stop editing and keep the shape; saved area: put the saved shape back. */
  onStopEditShape(): void;
  /** Where the server found the shape's edges crossing, to mark on the map (null clears the mark). */
  onCrossing(point: Position | null): void;
  onClose(): void;
}

/** A new drawing, not saved yet: it can be saved or discarded. */
export interface DraftAreaPanelProps extends AreaPanelBase {
  kind: 'draft';
  onCreate(input: DrawnAreaInput): Promise<void>;
  onDiscard(): void;
}

/** A saved area: its details can be edited, its shape changed, the area deleted or exported. */
export interface SavedAreaPanelProps extends AreaPanelBase {
  kind: 'saved';
  /** The saved area's layer properties. */
  area: Record<string, unknown>;
  /** The shape was changed on the map and not saved yet. */
  shapeChanged: boolean;
  onUpdate(input: DrawnAreaInput, version: number): Promise<void>;
  onDelete(version: number): Promise<void>;
  onReload(): Promise<void>;
  onExport(kind: 'csv' | 'geojson', q: AreaStatsQuery): Promise<void>;
}

export type AreaPanelProps = DraftAreaPanelProps | SavedAreaPanelProps;

interface PanelError {
  message: string;
  conflict: boolean;
}

/**
 * The drawn-area panel: save or edit the area, and every figure the server has for it. A saved area is keyed by its id
 * where it is rendered, so another area starts afresh; a newer version of the same one keeps what was typed.
 */
export function AreaPanel(props: AreaPanelProps) {
  const idPrefix = useId();
  const saved = props.kind === 'saved' ? props : null;
  const version = Number(saved?.area.version ?? 0);
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>(saved ? 'view' : 'edit');
  const [values, setValues] = useState<FormValues>(() => formValuesFrom('areas', saved?.area ?? {}));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<PanelError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const figures = useAreaFigures(props);
  const shapeChanged = saved?.shapeChanged ?? false;

  const fail = (err: unknown) => {
    const conflict = err instanceof ApiError && err.status === 409;
    if (err instanceof ApiError && err.point) props.onCrossing(err.point);
    setError({ message: crossingMessage(err) ?? describeError(err), conflict });
  };

  /** Runs one write (save, reload, delete, export) with the panel busy, reporting a failure in the panel. */
  const busyWith = async (work: () => Promise<void>, onFail?: () => void) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      fail(err);
      onFail?.();
    } finally {
      setBusy(false);
    }
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
    setError(null);
    setNotice(null);
    await busyWith(async () => {
      if (saved) {
        await saved.onUpdate(input, version);
        setMode('view');
      } else if (props.kind === 'draft') {
        await props.onCreate(input);
      }
    });
  };

  const saveShape = async (area: SavedAreaPanelProps) => {
    const input = buildInput(mode === 'edit' ? values : formValuesFrom('areas', area.area));
    if (!input) return;
    setError(null);
    setNotice(null);
    await busyWith(async () => {
      await area.onUpdate(input, version);
      if (mode === 'edit') setMode('view');
    });
  };

  const reload = (area: SavedAreaPanelProps) =>
    busyWith(async () => {
      await area.onReload();
      setError(null);
      setNotice('Reloaded the latest version. Your unsaved changes are still here: check them, then save again.');
    });

  const exportFile = (area: SavedAreaPanelProps, kind: 'csv' | 'geojson') => {
    setError(null);
    return busyWith(() =>
      area.onExport(kind, { categories: props.query.categories, ...(props.period && { from: props.period.from, to: props.period.to }), ...(props.datasetId && { dataset: props.datasetId }) }),
    );
  };

  const title = saved ? String(saved.area.name ?? 'Drawn area') : 'New area (not saved)';
  const subtitle = `Drawn area · ${SHAPE_LABELS[props.shape]}${saved ? '' : ' · unsaved'}`;
  const fields = fieldsFor('areas');

  return (
    <PanelShell title={title} subtitle={subtitle} onClose={props.onClose} testId="area-panel" className="side-panel--area">
      {error && (
        <div className={`message ${error.conflict ? 'message--conflict' : 'message--error'}`} role="alert">
          <p>{error.conflict ? 'Someone else changed this area — reload to get their version. Your changes stay here until you save or cancel.' : error.message}</p>
          {error.conflict && saved && (
            <button type="button" className="button" onClick={() => reload(saved)} disabled={busy}>
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
        <ShapeEditing
          saved={!!saved}
          busy={busy}
          shapeChanged={shapeChanged}
          onSave={() => saved && saveShape(saved)}
          onStop={props.onStopEditShape}
        />
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
            <button type="button" className="button" onClick={props.kind === 'saved' ? () => setMode('view') : props.onDiscard} disabled={busy}>
              {saved ? 'Cancel' : 'Discard'}
            </button>
          </div>
        </form>
      ) : saved ? (
        <SavedAreaDetails
          area={saved.area}
          title={title}
          shape={props.shape}
          geometry={props.geometry}
          version={version}
          canWrite={props.canWrite}
          editingShape={props.editingShape}
          confirmingDelete={mode === 'confirm-delete'}
          busy={busy}
          onEditDetails={() => {
            setError(null);
            setNotice(null);
            setErrors({});
            setValues(formValuesFrom('areas', saved.area));
            setMode('edit');
          }}
          onEditShape={props.onEditShape}
          onAskDelete={() => setMode('confirm-delete')}
          onCancelDelete={() => setMode('view')}
          onConfirmDelete={() => {
            setError(null);
            return busyWith(
              () => saved.onDelete(version),
              () => setMode('view'),
            );
          }}
        />
      ) : (
        <p className="hint">This drawing is not saved. Your role can look at its figures but not save it.</p>
      )}

      <AreaQueryControls query={props.query} onQuery={props.onQuery} mapPeriodLabel={props.mapPeriodLabel} />

      <AreaFigures figures={figures} shapeChanged={shapeChanged} />

      <h3 className="side-panel__section">Export</h3>
      {saved ? (
        <>
          <div className="button-row button-row--tight">
            <button type="button" className="button" onClick={() => exportFile(saved, 'csv')} disabled={busy}>
              Download figures (CSV)
            </button>
            <button type="button" className="button" onClick={() => exportFile(saved, 'geojson')} disabled={busy}>
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
