import * as z from 'zod';
import { PERMISSIONS, permissionSchema, roleSchema, type Permission, type Role } from './roles';
import { categorySelectionSchema } from './crime-categories';
import { areaGeometrySchema } from './geometry';
import { monthSchema } from './reference';
import { scopeSchema } from './scope';
import { visibleText } from './text';

const datasetParam = z.string().min(1).max(64).optional();

/** `categories=burglary,robbery` on the query string. */
export const categoryList = z
  .string()
  .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
  .pipe(z.array(categorySelectionSchema).max(16, 'at most 16 categories'));

export const areaStatsQuerySchema = z.strictObject({
  dataset: datasetParam,
  categories: categoryList.optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
});

export const areaAnalyseSchema = z.strictObject({
  geometry: areaGeometrySchema,
  dataset: datasetParam,
  categories: z.array(categorySelectionSchema).max(16).optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
});

export const strategicQuerySchema = z.strictObject({
  dataset: datasetParam,
  /** Which place: the table covers the LSOAs of this scope. */
  scope: scopeSchema.optional(),
  /** One table per district, per CSP, or one for the whole scope. */
  groupBy: z.enum(['district', 'csp', 'all']).default('district'),
  to: monthSchema.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export const LAYER_NAMES = ['lsoas', 'cameras', 'help-points', 'pspo-zones', 'safer-streets-areas'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];
/** Everything the layer route serves: the five map layers plus the organisation's drawn areas. */
export const layerNameSchema = z.enum([...LAYER_NAMES, 'areas']);
export type LayerRouteName = z.infer<typeof layerNameSchema>;

/** Upper bound on features in one layer response; clients narrow with bbox. */
export const MAX_LAYER_FEATURES = 5000;

export const layerQuerySchema = z.strictObject({
  bbox: z.string().optional(),
  dataset: z.string().min(1).max(64).optional(),
  /** LSOA layer: only the LSOAs of this scope. */
  scope: scopeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LAYER_FEATURES).optional(),
});

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
  after: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'after must be an id from the previous page').optional(),
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

export interface ClientConfig {
  /** Base map style for users online; the app falls back to its offline style when unset or unreachable. */
  mapStyleUrl: string | null;
  devSignIn: boolean;
  /** Present where users sign in with Cognito (AWS, or a local server pointed at a user pool). */
  cognito?: CognitoClientConfig;
}

/** What every hot spot analysis is asked for: crimes, months and the grid. */
const hotspotGridFields = {
  dataset: datasetParam,
  scope: scopeSchema.optional(),
  categories: categoryList.optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
  cellSize: z.coerce.number().int().min(50, 'cellSize is at least 50 m').max(500, 'cellSize is at most 500 m').optional(),
  shape: z.enum(['square', 'hex']).default('square'),
};
const correction = z.enum(['fdr', 'holm', 'none']).default('fdr');

export const hotspotQuerySchema = z.strictObject({
  ...hotspotGridFields,
  correction,
  top: z.coerce.number().int().min(1).max(50).default(10),
});
export type HotspotQuery = z.infer<typeof hotspotQuerySchema>;

const share = (name: string) => z.coerce.number().gt(0, `${name} must be between 0 and 1`).lt(1, `${name} must be between 0 and 1`).optional();

/** Hot-spot change: Gi* per sub-period and a classification per cell; thresholds as in sfhotspot's hotspot_classify. */
export const hotspotChangeQuerySchema = z.strictObject({
  ...hotspotGridFields,
  correction,
  periods: z.coerce.number().int().min(2, 'periods is at least 2').max(24, 'periods is at most 24').optional(),
  hotspotProp: share('hotspotProp'),
  persistentProp: share('persistentProp'),
  recentProp: share('recentProp'),
  criticalP: share('criticalP'),
});
export type HotspotChangeQuery = z.infer<typeof hotspotChangeQuerySchema>;

/** Kernel density on the grid, per km² or per 1,000 residents (dual KDE). */
export const densityQuerySchema = z.strictObject({
  ...hotspotGridFields,
  bandwidth: z.coerce.number().int().min(50, 'bandwidth is at least 50 m').max(5000, 'bandwidth is at most 5000 m').optional(),
  perResidents: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type DensityQuery = z.infer<typeof densityQuerySchema>;
