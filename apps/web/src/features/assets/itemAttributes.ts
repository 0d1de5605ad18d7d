import { AREA_THEME_LABELS, CAMERA_TYPE_LABELS, DEFAULT_COVERAGE_RADIUS_M, SAFER_STREETS_THEME_LABELS, type CameraType } from '@safer-places/schemas';
import { formatDate, formatDateTime, formatGbp, formatInteger, formatMetres } from '../../shared/format';
import { ROUND_LABELS, STATUS_LABELS, asStringList, str, type FormKind } from './itemForm';

/* An item's saved attributes as the side panel lists them. Pure: layer properties in, labelled text out. */

export interface Attribute {
  label: string;
  value: string;
  /** When the value is a list (PSPO prohibitions), its items, for display as a list. */
  list?: string[];
}

/** Every attribute of an asset as label and display text, with units. */
export function assetAttributes(kind: FormKind, props: Record<string, unknown>): Attribute[] {
  const out: Attribute[] = [];
  const add = (label: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    out.push({ label, value: String(value) });
  };
  switch (kind) {
    case 'cameras': {
      const type = str(props.type) as CameraType;
      add('Type', CAMERA_TYPE_LABELS[type] ?? type);
      add('Status', STATUS_LABELS[str(props.status)] ?? props.status);
      const radius = Number(props.coverageRadiusM);
      if (Number.isFinite(radius)) {
        add('Coverage radius', props.coverageRadiusDefaulted === true ? `${formatMetres(radius)} (default for the camera type)` : formatMetres(radius));
      } else if (DEFAULT_COVERAGE_RADIUS_M[type]) {
        add('Coverage radius', `${formatMetres(DEFAULT_COVERAGE_RADIUS_M[type])} (default)`);
      }
      const bearing = Number(props.bearingDeg);
      const fov = Number(props.fieldOfViewDeg);
      if (props.bearingDeg !== undefined && props.bearingDeg !== null && Number.isFinite(bearing) && Number.isFinite(fov)) {
        add('Field of view', `${formatInteger(fov)}° wide, facing ${formatInteger(bearing)}° from north`);
      } else add('Field of view', 'All round');
      if (props.sensitive === true) add('Covert or sensitive', 'Yes: hidden from users without the sensitive-cameras permission, never exported; reads are audited');
      break;
    }
    case 'help-points':
      add('Status', STATUS_LABELS[str(props.status)] ?? props.status);
      add('Monitored by camera', props.cameraName ?? (props.cameraId ? `Camera ${str(props.cameraId)}` : 'No camera linked'));
      break;
    case 'pspo-zones': {
      const list = asStringList(props.prohibitions);
      if (list.length > 0) out.push({ label: 'Prohibitions', value: list.join('; '), list });
      add('District', props.district);
      add('In force', dateRange(props.startDate, props.endDate));
      break;
    }
    case 'areas':
      add('Theme', AREA_THEME_LABELS[str(props.theme) as keyof typeof AREA_THEME_LABELS] ?? props.theme);
      break;
    case 'safer-streets-areas':
      add('Funding round', ROUND_LABELS[str(props.round)] ?? props.round);
      add('Theme', SAFER_STREETS_THEME_LABELS[str(props.theme) as keyof typeof SAFER_STREETS_THEME_LABELS] ?? props.theme);
      if (typeof props.amountGbp === 'number') add('Amount', formatGbp(props.amountGbp));
      add('Period', dateRange(props.startDate, props.endDate));
      break;
  }
  add('Notes', props.notes);
  if (typeof props.updatedAt === 'string') add('Last changed', `${formatDateTime(props.updatedAt)}${props.updatedBy ? ` by ${str(props.updatedBy)}` : ''}`);
  if (typeof props.version === 'number') add('Version', formatInteger(props.version));
  add('Reference', props.id);
  return out;
}

function dateRange(start: unknown, end: unknown): string | undefined {
  if (typeof start !== 'string' || typeof end !== 'string') return undefined;
  return `${formatDate(start)} to ${formatDate(end)}`;
}
