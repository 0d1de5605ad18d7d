import * as z from 'zod';
import { bidInputSchema } from './bids/drafts';
import { bidPresetInputSchema } from './bids/presets';
import { cameraInputSchema, drawnAreaInputSchema, helpPointInputSchema, pspoZoneInputSchema, saferStreetsAreaInputSchema } from './entities';
import type { Audited } from './fields';
import { cameraDeploymentInputSchema, patrolVisitInputSchema } from './planning';
import { partnershipAreaInputSchema, type PartnershipAreaInput } from './scope';

/**
 * Every kind of item an organisation owns: its API path segment (`/api/<kind>`), its labels, its input schema and the
 * field holding its geometry (null for items not drawn on the map). The item types below are derived from this table.
 */
export const ASSET_KINDS = {
  cameras: { label: 'CCTV cameras', singular: 'camera', schema: cameraInputSchema, geometryField: 'location' },
  'help-points': { label: 'CCTV refuge help points', singular: 'help point', schema: helpPointInputSchema, geometryField: 'location' },
  'pspo-zones': { label: 'PSPO zones', singular: 'PSPO zone', schema: pspoZoneInputSchema, geometryField: 'geometry' },
  'safer-streets-areas': {
    label: 'Safer Streets target areas',
    singular: 'Safer Streets area',
    schema: saferStreetsAreaInputSchema,
    geometryField: 'geometry',
  },
  bids: { label: 'Bid drafts', singular: 'bid', schema: bidInputSchema, geometryField: null },
  'bid-presets': { label: 'Bid presets', singular: 'bid preset', schema: bidPresetInputSchema, geometryField: null },
  areas: { label: 'Drawn areas', singular: 'area', schema: drawnAreaInputSchema, geometryField: 'geometry' },
  'patrol-visits': { label: 'Patrol visits', singular: 'patrol visit', schema: patrolVisitInputSchema, geometryField: 'location' },
  'camera-deployments': { label: 'Camera deployments', singular: 'camera deployment', schema: cameraDeploymentInputSchema, geometryField: 'location' },
  'partnership-areas': { label: 'Partnership areas', singular: 'partnership area', schema: partnershipAreaInputSchema, geometryField: null },
} as const;
export type AssetKind = keyof typeof ASSET_KINDS;
export const ASSET_KIND_NAMES = Object.keys(ASSET_KINDS) as AssetKind[];
export const assetKindSchema = z.enum(ASSET_KIND_NAMES as [AssetKind, ...AssetKind[]]);

/** What a client sends for each kind: the parsed input (defaults filled in). */
export type AssetInputByKind = { [K in AssetKind]: z.output<(typeof ASSET_KINDS)[K]['schema']> };
/** What the API stores and answers for each kind: the input and the fields the server owns. */
export type AssetByKind = { [K in AssetKind]: AssetInputByKind[K] & Audited };
export type Asset = AssetByKind[AssetKind];

export type PartnershipArea = PartnershipAreaInput & Audited;
