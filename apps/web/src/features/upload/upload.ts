import { ASSET_KINDS, type AssetKind } from '@safer-places/schemas';

/*
 * Turning a user's file into items for one layer: GeoJSON (any layer) or CSV with longitude/latitude columns (point
 * layers). Only the layer's own fields are taken from properties or columns; numbers and lists written as text are
 * read as numbers and lists. Every item is checked with the same schema the server uses, so the preview shows what
 * the server would say before anything is sent.
 */

export type UploadKind = 'cameras' | 'help-points' | 'pspo-zones' | 'safer-streets-areas';
export const UPLOAD_KINDS: readonly UploadKind[] = ['cameras', 'help-points', 'pspo-zones', 'safer-streets-areas'];

const POINT_KINDS = new Set<UploadKind>(['cameras', 'help-points']);
const NUMBER_FIELDS = new Set(['coverageRadiusM', 'bearingDeg', 'fieldOfViewDeg', 'amountGbp']);
const LIST_FIELDS = new Set(['prohibitions']);

/** The fields a file may set for a layer (not its geometry, which comes from the feature or the lon/lat columns). */
export function uploadFields(kind: UploadKind): string[] {
  const shape = (ASSET_KINDS[kind].schema as unknown as { shape: Record<string, unknown> }).shape;
  const geometryField = ASSET_KINDS[kind].geometryField;
  return Object.keys(shape).filter((k) => k !== geometryField);
}

export interface UploadItem {
  /** 1-based position in the file: feature number or CSV data row. */
  position: number;
  input: Record<string, unknown>;
  /** Null when the item passes the layer's schema, else the first problem. */
  problem: string | null;
}

export interface UploadPreview {
  items: UploadItem[];
  /** Columns or properties that are not fields of the layer and were left out. */
  ignored: string[];
  /** The whole file could not be read (wrong format, no rows); nothing to add. */
  error: string | null;
}

function value(field: string, raw: unknown): unknown {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (NUMBER_FIELDS.has(field) && typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (LIST_FIELDS.has(field) && typeof raw === 'string') return raw.split(/[;\n|]/).map((s) => s.trim()).filter(Boolean);
  return typeof raw === 'string' ? raw.trim() : raw;
}

function check(kind: AssetKind, input: Record<string, unknown>): string | null {
  const r = ASSET_KINDS[kind].schema.safeParse(input);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

function fromProperties(kind: UploadKind, props: Record<string, unknown>, ignored: Set<string>): Record<string, unknown> {
  const fields = new Set(uploadFields(kind));
  const input: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(props)) {
    if (!fields.has(k)) {
      ignored.add(k);
      continue;
    }
    const v = value(k, raw);
    if (v !== undefined) input[k] = v;
  }
  return input;
}

/** Splits one CSV line at any of `separators` (quotes, doubled quotes and separators inside quotes handled). */
export function csvCells(line: string, separators = ','): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (separators.includes(ch)) {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

const LON = /^(lon|lng|long|longitude|x)$/i;
const LAT = /^(lat|latitude|y)$/i;

export function previewUpload(kind: UploadKind, fileName: string, text: string): UploadPreview {
  const ignored = new Set<string>();
  const geometryField = ASSET_KINDS[kind].geometryField as string;
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{')) {
    let doc: { type?: string; features?: { type?: string; geometry?: { type?: string }; properties?: Record<string, unknown> | null }[] };
    try {
      doc = JSON.parse(trimmed) as typeof doc;
    } catch (err) {
      return { items: [], ignored: [], error: `${fileName} is not valid JSON: ${(err as Error).message}` };
    }
    const features = doc.type === 'FeatureCollection' ? doc.features ?? [] : doc.type === 'Feature' ? [doc as never] : null;
    if (!features) return { items: [], ignored: [], error: `${fileName} is not a GeoJSON Feature or FeatureCollection` };
    if (features.length === 0) return { items: [], ignored: [], error: `${fileName} has no features` };
    const items = features.map((f, i) => {
      const input = { ...fromProperties(kind, f.properties ?? {}, ignored), [geometryField]: f.geometry };
      return { position: i + 1, input, problem: check(kind, input) };
    });
    return { items, ignored: [...ignored], error: null };
  }
  if (!POINT_KINDS.has(kind)) {
    return { items: [], ignored: [], error: `${ASSET_KINDS[kind].label} need shapes: upload GeoJSON (a CSV can only hold points)` };
  }
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) return { items: [], ignored: [], error: `${fileName} has no data rows under its header` };
  const header = csvCells(lines[0]!).map((h) => h.trim());
  const lonAt = header.findIndex((h) => LON.test(h));
  const latAt = header.findIndex((h) => LAT.test(h));
  if (lonAt < 0 || latAt < 0) return { items: [], ignored: [], error: `${fileName} needs longitude and latitude columns (lon/lng/longitude and lat/latitude)` };
  const items = lines.slice(1).map((line, i) => {
    const cells = csvCells(line);
    const props: Record<string, unknown> = {};
    header.forEach((h, k) => {
      if (k !== lonAt && k !== latAt) props[h] = cells[k];
    });
    const input = {
      ...fromProperties(kind, props, ignored),
      [geometryField]: { type: 'Point', coordinates: [Number(cells[lonAt]), Number(cells[latAt])] },
    };
    return { position: i + 1, input, problem: check(kind, input) };
  });
  return { items, ignored: [...ignored], error: null };
}
