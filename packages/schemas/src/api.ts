import { z } from 'zod';
import { roleSchema } from './roles';

export const LAYER_NAMES = ['lsoas', 'cameras', 'help-points', 'pspo-zones', 'safer-streets-areas'] as const;
export const layerNameSchema = z.enum(LAYER_NAMES);
export type LayerName = z.infer<typeof layerNameSchema>;

/** Upper bound on features in one layer response; clients narrow with bbox. */
export const MAX_LAYER_FEATURES = 5000;

export const layerQuerySchema = z.strictObject({
  bbox: z.string().optional(),
  dataset: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LAYER_FEATURES).optional(),
});

export interface ApiError {
  error: string;
  detail: string;
}

export const devSignInSchema = z.strictObject({
  role: roleSchema,
  name: z.string().trim().min(1).max(80).optional(),
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
}

export interface ClientConfig {
  /** Base map style for users online; the app falls back to its offline style when unset or unreachable. */
  mapStyleUrl: string | null;
  devSignIn: boolean;
}
