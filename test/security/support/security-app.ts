import { createApp, createLocalTokenService } from '@safer-places/api';
import {
  AssetService,
  BUILT_IN_BID_PRESETS,
  DEMO_BBOX,
  DEMO_DATASET_ID,
  DEMO_ORG_ID,
  generateDemoDataset,
  seedDemoIfEmpty,
} from '@safer-places/domain';
import type { AssetKind, AuditEvent, Permission, Principal, Role } from '@safer-places/schemas';
import { DynamoUserDirectory, createDocumentClient, dynamoPorts, ensureTable, type DynamoPorts } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';

export const ORG_A = DEMO_ORG_ID;
export const ORG_B = 'other-csp';
export const TOKEN_SECRET = new TextEncoder().encode('security-suite-secret-security-suite');

/** A small area in the synthetic county: a square about 700 m across, in the middle of the demo box. */
const [WEST, SOUTH, EAST, NORTH] = DEMO_BBOX;
const MID: [number, number] = [Number(((WEST + EAST) / 2).toFixed(4)), Number(((SOUTH + NORTH) / 2).toFixed(4))];
export const SQUARE = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [MID[0] - 0.005, MID[1] - 0.005],
      [MID[0] + 0.005, MID[1] - 0.005],
      [MID[0] + 0.005, MID[1] + 0.005],
      [MID[0] - 0.005, MID[1] + 0.005],
      [MID[0] - 0.005, MID[1] - 0.005],
    ],
  ],
};
/** A point inside SQUARE. */
export const IN_SQUARE: [number, number] = [MID[0] + 0.0005, MID[1] + 0.0005];

/** One valid body per kind, so every item route has a real item to aim at. */
export function validBody(kind: AssetKind, refs: { redeployableCameraId?: string } = {}): Record<string, unknown> {
  const point = { type: 'Point', coordinates: IN_SQUARE };
  switch (kind) {
    case 'cameras':
      return { name: 'Security suite camera', type: 'redeployable', location: point };
    case 'help-points':
      return { name: 'Security suite help point', status: 'live', location: point };
    case 'pspo-zones':
      return { name: 'Security suite PSPO', prohibitions: ['Drinking alcohol'], startDate: '2025-01-01', endDate: '2027-12-31', district: 'Mansfield', geometry: SQUARE };
    case 'safer-streets-areas':
      return { name: 'Security suite SSF area', round: 'R5', theme: 'neighbourhood', amountGbp: 100000, startDate: '2024-04-01', endDate: '2025-03-31', geometry: SQUARE };
    case 'bids':
      return { name: 'Security suite bid', criteria: BUILT_IN_BID_PRESETS[0]!.criteria, selection: [] };
    case 'bid-presets':
      return { name: 'Security suite preset', round: BUILT_IN_BID_PRESETS[0]!.round, criteria: BUILT_IN_BID_PRESETS[0]!.criteria };
    case 'areas':
      return { name: 'Security suite area', theme: 'asb', geometry: SQUARE };
    case 'patrol-visits':
      return { spotName: 'Security suite spot', location: point, visitDate: '2025-06-01', minutes: 15, officerRole: 'pcso' };
    case 'camera-deployments':
      return { cameraId: refs.redeployableCameraId, siteName: 'Security suite site', location: point, startDate: '2025-06-01' };
    case 'partnership-areas':
      return { name: 'Security suite partnership', districts: ['DEMOLAD01', 'DEMOLAD02'] };
  }
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/**
 * The real API over the embedded DynamoDB with the synthetic demo data set, as `npm start` runs it, with real signed
 * tokens for any role in either of two organisations.
 */
export async function startSecurityApp(options: { demo?: Parameters<typeof generateDemoDataset>[0]; seedOrg?: string } = {}) {
  const dynamo = await startEmbeddedDynamo();
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  const table = 'security';
  await ensureTable(doc, table);
  const ports: DynamoPorts = dynamoPorts(doc, table);
  const clock = { now: () => new Date() };
  const ids = { newId: () => crypto.randomUUID() };
  await seedDemoIfEmpty(
    { reference: ports.reference, assets: ports.assets, assetService: new AssetService({ assets: ports.assets, clock, ids }) },
    () => generateDemoDataset(options.demo),
    options.seedOrg ?? ORG_A,
  );
  const tokens = createLocalTokenService(TOKEN_SECRET);
  const errors: Record<string, unknown>[] = [];
  const app = createApp({
    ...ports,
    verifier: tokens.verifier,
    // As `npm start` runs it: local sign-in into the demo organisation, and the local user directory.
    devSignIn: { orgId: ORG_A, issue: (p) => tokens.issue(p) },
    users: new DynamoUserDirectory(doc, table),
    log: (e) => (e.level === 'error' ? errors.push(e) : undefined),
  });

  const token = async (role: Role, orgId = ORG_A, permissions?: Permission[]) =>
    (await tokens.issue({ userId: `user-${role}-${orgId}`, orgId, role, ...(permissions && { permissions }) } satisfies Principal)).token;

  const call = async (
    method: string,
    path: string,
    opts: { role?: Role; orgId?: string; permissions?: Permission[]; token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<CallResult> => {
    const headers: Record<string, string> = { ...opts.headers };
    const bearer = opts.token ?? (opts.role ? await token(opts.role, opts.orgId, opts.permissions) : undefined);
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (opts.body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
    const res = await app.request(path, {
      method,
      headers,
      ...(opts.body !== undefined && { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, text, json };
  };

  /** Every item of a kind in an organisation, straight from the store (not through the API under test). */
  const stored = <K extends AssetKind>(orgId: string, kind: K) => ports.assets.list(orgId, kind);
  const auditEvents = async (orgId: string): Promise<AuditEvent[]> => (await ports.audit.list(orgId, { limit: 10_000 })).events;

  return {
    app,
    ports,
    token,
    call,
    stored,
    auditEvents,
    errors,
    datasetId: DEMO_DATASET_ID,
    close: async () => {
      doc.destroy();
      await dynamo.close();
    },
  };
}

export type SecurityApp = Awaited<ReturnType<typeof startSecurityApp>>;
