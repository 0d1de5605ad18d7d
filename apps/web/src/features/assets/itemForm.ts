import {
  AREA_THEMES,
  AREA_THEME_LABELS,
  ASSET_KINDS,
  CAMERA_TYPES,
  CAMERA_TYPE_LABELS,
  SAFER_STREETS_ROUNDS,
  SAFER_STREETS_THEMES,
  SAFER_STREETS_THEME_LABELS,
  type AssetInputByKind,
  type Geometry,
} from '@safer-places/schemas';

/*
 * The details form of every item drawn on the map (assets and drawn areas). Pure: properties in, form values or a
 * validated API input out. Validation uses the same zod schemas as the API, so the form and the server never disagree.
 * How the panel shows the saved attributes is in ./itemAttributes.
 */

export type FieldType = 'text' | 'textarea' | 'select' | 'number' | 'date' | 'lines';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  options?: readonly { value: string; label: string }[];
  required?: boolean;
  hint?: string;
  min?: number;
  max?: number;
  step?: number;
}

export type FormValues = Record<string, string>;

/** The items edited with a form and drawn on the map (bids and other documents have panels of their own). */
export type FormKind = 'cameras' | 'help-points' | 'pspo-zones' | 'safer-streets-areas' | 'areas';

export const STATUS_LABELS: Record<string, string> = { live: 'Live', planned: 'Planned', decommissioned: 'Decommissioned' };
export const ROUND_LABELS: Record<string, string> = { R1: 'Round 1', R2: 'Round 2', R3: 'Round 3', R4: 'Round 4', R5: 'Round 5', other: 'Other' };

/** The covert flag is a form field only for users who may see covert cameras (the sensitive-cameras permission). */
export const SENSITIVE_OPTIONS = [
  { value: 'no', label: 'No: visible to everyone in the organisation' },
  { value: 'yes', label: 'Yes: covert or sensitive' },
] as const;

export function fieldsFor(kind: FormKind, cameraOptions: readonly { value: string; label: string }[] = [], options: { sensitiveCameras?: boolean } = {}): FieldDef[] {
  const name: FieldDef = { name: 'name', label: 'Name', type: 'text', required: true };
  const notes: FieldDef = { name: 'notes', label: 'Notes', type: 'textarea', hint: 'Up to 2,000 characters.' };
  switch (kind) {
    case 'cameras':
      return [
        name,
        { name: 'type', label: 'Camera type', type: 'select', required: true, options: CAMERA_TYPES.map((t) => ({ value: t, label: CAMERA_TYPE_LABELS[t] })) },
        { name: 'status', label: 'Status', type: 'select', required: true, options: ['live', 'planned', 'decommissioned'].map((s) => ({ value: s, label: STATUS_LABELS[s]! })) },
        {
          name: 'coverageRadiusM',
          label: 'Coverage radius (metres)',
          type: 'number',
          min: 5,
          max: 1000,
          step: 1,
          hint: 'Leave empty to use the default for the camera type (fixed 100 m, PTZ 150 m, re-deployable 75 m, ANPR 30 m).',
        },
        {
          name: 'bearingDeg',
          label: 'Facing (degrees from north)',
          type: 'number',
          min: 0,
          max: 359,
          step: 1,
          hint: 'Optional, with the view width: 0 north, 90 east, 180 south, 270 west. Leave both empty for all-round coverage.',
        },
        { name: 'fieldOfViewDeg', label: 'View width (degrees)', type: 'number', min: 10, max: 360, step: 1, hint: 'Optional: how wide the camera sees, e.g. 90.' },
        notes,
        ...(options.sensitiveCameras
          ? [{ name: 'sensitive', label: 'Covert or sensitive camera', type: 'select' as const, required: true, options: SENSITIVE_OPTIONS, hint: 'Covert cameras are shown only to users with the sensitive-cameras permission, are left out of every export, and each time one is read it is recorded in the audit log.' }]
          : []),
      ];
    case 'help-points':
      return [
        name,
        { name: 'status', label: 'Status', type: 'select', required: true, options: ['live', 'planned'].map((s) => ({ value: s, label: STATUS_LABELS[s]! })) },
        { name: 'cameraId', label: 'Monitored by camera', type: 'select', options: [{ value: '', label: 'No camera linked' }, ...cameraOptions] },
        notes,
      ];
    case 'areas':
      return [
        name,
        { name: 'theme', label: 'Theme', type: 'select', required: true, options: AREA_THEMES.map((t) => ({ value: t, label: AREA_THEME_LABELS[t] })) },
        notes,
      ];
    case 'pspo-zones':
      return [
        name,
        { name: 'prohibitions', label: 'Prohibitions', type: 'lines', required: true, hint: 'One prohibition per line.' },
        { name: 'district', label: 'District', type: 'text', required: true },
        { name: 'startDate', label: 'Start date', type: 'date', required: true },
        { name: 'endDate', label: 'End date', type: 'date', required: true, hint: 'A PSPO lasts at most 3 years before review.' },
        notes,
      ];
    case 'safer-streets-areas':
      return [
        name,
        { name: 'round', label: 'Funding round', type: 'select', required: true, options: SAFER_STREETS_ROUNDS.map((r) => ({ value: r, label: ROUND_LABELS[r]! })) },
        { name: 'theme', label: 'Theme', type: 'select', required: true, options: SAFER_STREETS_THEMES.map((t) => ({ value: t, label: SAFER_STREETS_THEME_LABELS[t] })) },
        { name: 'amountGbp', label: 'Amount (£)', type: 'number', required: true, min: 0, max: 10_000_000, step: 1 },
        { name: 'startDate', label: 'Start date', type: 'date', required: true },
        { name: 'endDate', label: 'End date', type: 'date', required: true },
        notes,
      ];
  }
}

export const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Prohibitions may arrive as an array, or as a JSON string when they came back through the map renderer. */
export function asStringList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      /* fall through */
    }
  }
  return typeof v === 'string' && v ? [v] : [];
}

/** The form's starting values for an existing item (from its layer properties) or for a new one. */
export function formValuesFrom(kind: FormKind, props: Record<string, unknown> = {}): FormValues {
  switch (kind) {
    case 'cameras':
      return {
        name: str(props.name),
        type: str(props.type) || 'fixed',
        status: str(props.status) || 'live',
        // The layer sends the effective radius; an unset one is shown empty so saving does not pin the default.
        coverageRadiusM: props.coverageRadiusDefaulted === true ? '' : str(props.coverageRadiusM),
        bearingDeg: str(props.bearingDeg),
        fieldOfViewDeg: str(props.fieldOfViewDeg),
        sensitive: props.sensitive === true ? 'yes' : 'no',
        notes: str(props.notes),
      };
    case 'help-points':
      return { name: str(props.name), status: str(props.status) || 'planned', cameraId: str(props.cameraId), notes: str(props.notes) };
    case 'areas':
      return { name: str(props.name), theme: str(props.theme) || 'asb', notes: str(props.notes) };
    case 'pspo-zones':
      return {
        name: str(props.name),
        prohibitions: asStringList(props.prohibitions).join('\n'),
        district: str(props.district),
        startDate: str(props.startDate),
        endDate: str(props.endDate),
        notes: str(props.notes),
      };
    case 'safer-streets-areas':
      return {
        name: str(props.name),
        round: str(props.round) || 'R5',
        theme: str(props.theme) || 'neighbourhood',
        amountGbp: str(props.amountGbp),
        startDate: str(props.startDate),
        endDate: str(props.endDate),
        notes: str(props.notes),
      };
  }
}

export type InputResult<K extends FormKind> = { ok: true; input: AssetInputByKind[K] } | { ok: false; errors: Record<string, string> };

function optionalText(v: string | undefined): string | undefined {
  return v && v.trim() ? v : undefined;
}

function numberOrRaw(v: string | undefined): number | string | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

/** Builds the strict API input from form values plus the item's unchanged geometry, validated with the shared schema. */
export function inputFromForm<K extends FormKind>(kind: K, values: FormValues, geometry: Geometry): InputResult<K> {
  let raw: Record<string, unknown>;
  switch (kind) {
    case 'cameras':
      raw = {
        name: values.name ?? '',
        type: values.type,
        status: values.status,
        location: geometry,
        coverageRadiusM: numberOrRaw(values.coverageRadiusM),
        bearingDeg: numberOrRaw(values.bearingDeg),
        fieldOfViewDeg: numberOrRaw(values.fieldOfViewDeg),
        // Only a permitted user's form has the field; "no" is left out so the stored camera stays as before.
        sensitive: values.sensitive === 'yes' ? true : undefined,
        notes: optionalText(values.notes),
      };
      break;
    case 'help-points':
      raw = { name: values.name ?? '', status: values.status, cameraId: optionalText(values.cameraId), location: geometry, notes: optionalText(values.notes) };
      break;
    case 'areas':
      raw = { name: values.name ?? '', theme: values.theme, geometry, notes: optionalText(values.notes) };
      break;
    case 'pspo-zones':
      raw = {
        name: values.name ?? '',
        prohibitions: (values.prohibitions ?? '').split('\n').map((s) => s.trim()).filter(Boolean),
        district: values.district ?? '',
        startDate: values.startDate ?? '',
        endDate: values.endDate ?? '',
        geometry,
        notes: optionalText(values.notes),
      };
      break;
    default:
      raw = {
        name: values.name ?? '',
        round: values.round,
        theme: values.theme,
        amountGbp: numberOrRaw(values.amountGbp) ?? '',
        startDate: values.startDate ?? '',
        endDate: values.endDate ?? '',
        geometry,
        notes: optionalText(values.notes),
      };
  }
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  const parsed = ASSET_KINDS[kind].schema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data as AssetInputByKind[K] };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    const key = field === 'location' || field === 'geometry' ? 'form' : field;
    if (!errors[key]) errors[key] = friendlyMessage(kind, field, issue.message);
  }
  return { ok: false, errors };
}

/** Schema messages read as sentences: "name is required" → "Name is required"; field names become words. */
export function friendlyMessage(kind: FormKind, field: string, message: string): string {
  let m = message.startsWith('Invalid') ? `${labelOf(kind, field)}: ${message.toLowerCase()}` : message;
  m = m.replace(/\bstartDate\b/g, 'the start date').replace(/\bendDate\b/g, 'the end date');
  return m.charAt(0).toUpperCase() + m.slice(1);
}

function labelOf(kind: FormKind, field: string): string {
  return fieldsFor(kind).find((f) => f.name === field)?.label ?? field;
}
