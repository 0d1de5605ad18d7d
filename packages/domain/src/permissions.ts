import type { AssetKind, Role } from '@safer-places/schemas';
import { ASSET_KIND_NAMES } from '@safer-places/schemas';

/**
 * Who may change which layer. Everyone in an organisation may read its layers; viewers never write.
 * Cameras and help points are the planners' (CCTV, patrols); PSPO zones are mapped by analysts and planners
 * (community protection); Safer Streets areas come from bids; drawn hotspot areas are the analysts'.
 */
const WRITERS: Record<AssetKind, readonly Role[]> = {
  cameras: ['planner', 'admin'],
  'help-points': ['planner', 'admin'],
  'pspo-zones': ['analyst', 'planner', 'admin'],
  'safer-streets-areas': ['bid-writer', 'analyst', 'admin'],
  bids: ['bid-writer', 'analyst', 'admin'],
  'bid-presets': ['bid-writer', 'analyst', 'admin'],
  areas: ['analyst', 'admin'],
  'patrol-visits': ['planner', 'admin'],
  'camera-deployments': ['planner', 'admin'],
  // A partnership's working areas are set up by its analysts (and administrators).
  'partnership-areas': ['analyst', 'admin'],
};

export function canWrite(role: Role, kind: AssetKind): boolean {
  return WRITERS[kind].includes(role);
}

export function writableKinds(role: Role): AssetKind[] {
  return ASSET_KIND_NAMES.filter((k) => canWrite(role, k));
}

export function writersOf(kind: AssetKind): readonly Role[] {
  return WRITERS[kind];
}
