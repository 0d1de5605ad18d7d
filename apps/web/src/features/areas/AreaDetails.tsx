import { AREA_THEME_LABELS, type AreaGeometry } from '@safer-places/schemas';
import { ConfirmDelete } from '../../shared/ConfirmDelete';
import { formatDateTime, formatInteger, plural } from '../../shared/format';
import { SHAPE_LABELS, vertexCount, type AreaShape } from './drawing';

/** While the corners are editable on the map: how to edit, and save or put back the shape (a drawing: stop editing). */
export function ShapeEditing(props: { saved: boolean; busy: boolean; shapeChanged: boolean; onSave(): void; onStop(): void }) {
  return (
    <div className="message message--info" data-testid="shape-editing">
      <p>
        <strong>Editing the shape.</strong> Drag a corner to move it, drag a mid-point to add a corner, right-click a corner to remove it, or drag
        inside the shape to move all of it.
      </p>
      <div className="button-row">
        {props.saved ? (
          <>
            <button type="button" className="button button--primary" onClick={props.onSave} disabled={props.busy || !props.shapeChanged}>
              {props.busy ? 'Saving…' : 'Save shape'}
            </button>
            <button type="button" className="button" onClick={props.onStop} disabled={props.busy}>
              Cancel shape changes
            </button>
          </>
        ) : (
          <button type="button" className="button" onClick={props.onStop}>
            Done editing the shape
          </button>
        )}
      </div>
    </div>
  );
}

export interface SavedAreaDetailsProps {
  area: Record<string, unknown>;
  title: string;
  shape: AreaShape;
  geometry: AreaGeometry;
  version: number;
  canWrite: boolean;
  editingShape: boolean;
  confirmingDelete: boolean;
  busy: boolean;
  onEditDetails(): void;
  onEditShape(): void;
  onAskDelete(): void;
  onCancelDelete(): void;
  onConfirmDelete(): Promise<void>;
}

/** A saved area's details (theme, notes, shape, last change) and, for a role that may change it, its write controls. */
export function SavedAreaDetails(props: SavedAreaDetailsProps) {
  const { area } = props;
  return (
    <>
      <dl className="attributes">
        <dt>Theme</dt>
        <dd>{AREA_THEME_LABELS[String(area.theme) as keyof typeof AREA_THEME_LABELS] ?? String(area.theme ?? '—')}</dd>
        {typeof area.notes === 'string' && area.notes && (
          <>
            <dt>Notes</dt>
            <dd className="pre-wrap">{area.notes}</dd>
          </>
        )}
        <dt>Shape</dt>
        <dd>
          {SHAPE_LABELS[props.shape]}, {plural(vertexCount(props.geometry), 'corner')}
        </dd>
        {typeof area.updatedAt === 'string' && (
          <>
            <dt>Last changed</dt>
            <dd>
              {formatDateTime(area.updatedAt)}
              {area.updatedBy ? ` by ${String(area.updatedBy)}` : ''} (version {formatInteger(props.version)})
            </dd>
          </>
        )}
      </dl>
      {props.canWrite && !props.editingShape && (
        <div className="button-row" data-testid="write-controls">
          {props.confirmingDelete ? (
            <ConfirmDelete prompt={`Delete “${props.title}”? This cannot be undone.`} busy={props.busy} onCancel={props.onCancelDelete} onConfirm={props.onConfirmDelete} />
          ) : (
            <>
              <button type="button" className="button button--primary" onClick={props.onEditDetails}>
                Edit details
              </button>
              <button type="button" className="button" onClick={props.onEditShape}>
                Edit shape
              </button>
              <button type="button" className="button button--danger-outline" onClick={props.onAskDelete}>
                Delete
              </button>
            </>
          )}
        </div>
      )}
      {!props.canWrite && <p className="hint">Your role can view this area but not change it.</p>}
    </>
  );
}
