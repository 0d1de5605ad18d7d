import * as z from 'zod';
import { PERMISSIONS, permissionSchema, roleSchema, type Permission, type Role } from './roles';
import type { CameraType } from './entities';
import { ITEM_ID, datasetParam } from './fields';
import type { FeatureCollection, PolygonGeometry } from './geometry';
import { scopeSchema } from './scope';
import { visibleText } from './text';

export const LAYER_NAMES = ['lsoas', 'cameras', 'help-points', 'pspo-zones', 'safer-streets-areas'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];
/** Everything the layer route serves: the five map layers plus the organisation's drawn areas. */
export const layerNameSchema = z.enum([...LAYER_NAMES, 'areas']);
export type LayerRouteName = z.infer<typeof layerNameSchema>;

/** Upper bound on features in one layer response; clients narrow with bbox. */
export const MAX_LAYER_FEATURES = 5000;

export const layerQuerySchema = z.strictObject({
  bbox: z.string().optional(),
  dataset: datasetParam,
  /** LSOA layer: only the LSOAs of this scope. */
  scope: scopeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LAYER_FEATURES).optional(),
});

/** `GET /api/layers/cameras/coverage`: properties of each camera's coverage polygon. */
export type CameraCoverageProperties = {
  id: string;
  type: CameraType;
  /** The camera's own radius, or its type's default. */
  radiusM: number;
};

/**
 * `GET /api/layers/cameras/coverage` (same query as the cameras layer): what each camera of the cameras layer covers,
 * its circle or the sector of its field of view, 48 steps to the full circle (COVERAGE_POLYGON_STEPS). Decommissioned
 * cameras cover nothing and are left out; covert cameras only for readers allowed to see them, as in the layer.
 */
export interface CameraCoverageLayer extends FeatureCollection<PolygonGeometry, CameraCoverageProperties> {
  layer: 'cameras';
  /** As for the cameras layer: more cameras than the limit. */
  truncated: boolean;
  dataset?: { id: string; name: string; synthetic: boolean };
}

export interface ApiError {
  error: string;
  detail: string;
}

export const devSignInSchema = z.strictObject({
  role: roleSchema,
  name: visibleText('name', 80).optional(),
  permissions: z.array(permissionSchema).max(PERMISSIONS.length).optional(),
});

export interface SignInResponse {
  token: string;
  expiresAt: string;
}

export interface Me {
  userId: string;
  orgId: string;
  role: z.infer<typeof roleSchema>;
  name: string | null;
  canWrite: string[];
  permissions: Permission[];
}

/** The most items one list page returns; `?limit=` may ask for fewer, and `next` continues. */
export const MAX_PAGE_SIZE = 1000;
export const pageQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_PAGE_SIZE, `limit is at most ${MAX_PAGE_SIZE} items per page`)
    .default(MAX_PAGE_SIZE),
  after: z.string().regex(ITEM_ID, 'after must be an id from the previous page').optional(),
});
export interface Page<T> {
  items: T[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'import', 'export', 'sensitive-read', 'denied', 'not-found'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  import: 'Uploaded (import)',
  export: 'Exported',
  'sensitive-read': 'Read sensitive cameras',
  denied: 'Refused: role not allowed',
  'not-found': 'Refused: not in your organisation',
};

/** One entry in an organisation's append-only audit log. */
export interface AuditEvent {
  id: string;
  orgId: string;
  at: string;
  userId: string;
  role: Role;
  action: AuditAction;
  method: string;
  path: string;
  status: number;
  /** The layer or item kind, when the route is about one. */
  kind?: string;
  itemIds?: string[];
  detail?: string;
  /** About a covert camera (or its deployment or help point link): shown only to readers with the sensitive-cameras permission. */
  sensitive?: boolean;
}

export const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200, 'limit is at most 200 events per page').default(50),
  before: z.string().max(200).optional(),
});

/**
 * Sign-in with Cognito's managed login (OAuth 2.0 authorization code + PKCE). Everything here is public: the web client
 * has no secret.
 */
export interface CognitoClientConfig {
  region: string;
  userPoolId: string;
  /** The web app client: the audience of the ID tokens the API accepts. */
  clientId: string;
  /** The managed login (hosted UI) base URL, e.g. https://<prefix>.auth.eu-west-2.amazoncognito.com (no trailing slash). */
  domain: string;
  /** Where Cognito sends the browser back to; default: the page's origin + '/'. Must be one of the client's callback URLs. */
  redirectUri?: string;
}

/**
 * The base map under the app's layers. Whatever is chosen, the context layer (district and ward boundaries and place
 * names from the imported ONS data) is drawn above the shading, so a machine with no network still shows where things are.
 */
export type BaseMapConfig =
  /** A public MapLibre style (streets and labels), fetched by the browser; falls back to the context layer when unreachable. */
  | { kind: 'style'; url: string; attribution?: string }
  /** A self-hosted PMTiles archive in the Protomaps base map schema, served by the app's own origin (HTTP range requests). */
  | { kind: 'pmtiles'; url: string; attribution: string }
  /** No base map: the context layer only. */
  | { kind: 'none' };

export interface ClientConfig {
  /** Base map style for users online; the app falls back to its offline style when unset or unreachable. Same as `basemap.url` when that is a style. */
  mapStyleUrl: string | null;
  /** The base map to draw (absent from older servers: read `mapStyleUrl`). */
  basemap?: BaseMapConfig;
  devSignIn: boolean;
  /** Present where users sign in with Cognito (AWS, or a local server pointed at a user pool). */
  cognito?: CognitoClientConfig;
}
