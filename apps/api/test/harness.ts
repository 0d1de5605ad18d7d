import { AssetService, DEMO_ORG_ID, generateDemoDataset, partitionOf, seedDemoIfEmpty, type CrimeBlock, type DemoDataset } from '@safer-places/domain';
import { CRIME_CATEGORY_SLUGS, type DatasetSummary, type Lsoa, type Principal, type Role } from '@safer-places/schemas';
import { createDocumentClient, dynamoPorts, ensureTable, type DynamoReferenceRepository } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';
import { createApp } from '../src/app';
import { createLocalTokenService } from '../src/auth';

export const ORG_A = 'org-a';
export const ORG_B = 'org-b';

/** A real app on a real (in-memory) dynalite with real signed tokens. */
export async function startTestApp() {
  const dynamo = await startEmbeddedDynamo();
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  const tableName = 'api-test';
  await ensureTable(doc, tableName);
  const ports = dynamoPorts(doc, tableName);
  const { assets, reference } = ports;
  const tokens = createLocalTokenService(new TextEncoder().encode('test-secret-test-secret-test-secret!'));
  const errors: Record<string, unknown>[] = [];
  const deps = {
    ...ports,
    verifier: tokens.verifier,
    devSignIn: { orgId: ORG_A, issue: (p: Principal) => tokens.issue(p) },
    log: (e: Record<string, unknown>) => {
      if (e.level === 'error') errors.push(e);
    },
  };
  const app = createApp(deps);
  const tokenFor = async (role: Role, orgId = ORG_A) => (await tokens.issue({ userId: `u-${role}-${orgId}`, orgId, role })).token;
  const call = async (method: string, path: string, opts: { role?: Role; orgId?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.role) headers.Authorization = `Bearer ${await tokenFor(opts.role, opts.orgId)}`;
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
      json = text;
    }
    return { status: res.status, headers: res.headers, json };
  };
  return {
    app,
    deps,
    assets,
    reference,
    tokenFor,
    call,
    errors,
    close: async () => {
      doc.destroy();
      await dynamo.close();
    },
  };
}

/** Two square LSOAs side by side, with known crimes, so expected figures can be written down by hand. */
export const TEST_LSOAS: Lsoa[] = [
  square('E01000001', 'West', -1.2, 53.0, 1000, 2),
  square('E01000002', 'East', -1.19, 53.0, null, 7),
];

function square(code: string, name: string, lon: number, lat: number, population: number | null, imdDecile: number): Lsoa {
  const d = 0.01;
  return {
    code,
    name,
    districtCode: 'E07000174',
    districtName: 'Mansfield',
    wardName: 'Test ward',
    cspCode: 'E22000001',
    cspName: 'Mansfield',
    population,
    imdDecile,
    deprivationSource: 'IoD 2025',
    geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] },
    bbox: [lon, lat, lon + d, lat + d],
  };
}

export const TEST_DATASET: DatasetSummary = {
  id: 'test-ds',
  name: 'Test dataset',
  synthetic: false,
  version: 'v1',
  firstMonth: '2024-01',
  lastMonth: '2024-12',
  lsoaCount: 2,
  crimeCount: 0,
  bbox: [-1.2, 53.0, -1.18, 53.01],
  sources: [{ name: 'police.uk street-level crime', publisher: 'Home Office', licence: 'Open Government Licence v3.0' }],
  importedAt: '2026-11-01T00:00:00.000Z',
  notes: [],
};

/** In each month m (1..12) of 2024: West gets m burglaries + 1 shoplifting, East gets 2 robberies. */
export async function loadTestDataset(reference: DynamoReferenceRepository) {
  await reference.putLsoas(TEST_DATASET.id, TEST_LSOAS);
  for (let m = 1; m <= 12; m++) {
    const month = `2024-${String(m).padStart(2, '0')}`;
    const crime = (lsoaCode: string, category: (typeof CRIME_CATEGORY_SLUGS)[number], i: number) => ({
      id: `${month}-${lsoaCode}-${category}-${i}`,
      month,
      category,
      // The centre of the crime's own LSOA square.
      lon: lsoaCode === 'E01000001' ? -1.195 : -1.185,
      lat: 53.005,
      location: 'On or near High Street',
      lsoaCode,
      publishedLsoaCode: lsoaCode,
      outcome: null,
    });
    const blocks: CrimeBlock[] = [
      {
        month,
        lsoaCode: 'E01000001',
        crimes: [...Array.from({ length: m }, (_, i) => crime('E01000001', 'burglary', i)), crime('E01000001', 'shoplifting', 0)],
      },
      { month, lsoaCode: 'E01000002', crimes: [crime('E01000002', 'robbery', 0), crime('E01000002', 'robbery', 1)] },
    ];
    await reference.replaceCrimeMonth(TEST_DATASET.id, month, blocks, (code) => partitionOf(code, (c) => TEST_LSOAS.find((l) => l.code === c)?.districtCode));
  }
  await reference.putDataset(TEST_DATASET);
}

export const validCamera = {
  name: 'Market Place camera',
  type: 'fixed',
  location: { type: 'Point', coordinates: [-1.1953, 53.0051] },
};

export const validPspo = {
  name: 'Town Centre PSPO 2024',
  prohibitions: ['No consumption of alcohol when asked to stop'],
  startDate: '2024-04-01',
  endDate: '2027-03-31',
  district: 'Mansfield',
  geometry: { type: 'Polygon', coordinates: [[[-1.2, 53.0], [-1.19, 53.0], [-1.19, 53.01], [-1.2, 53.01], [-1.2, 53.0]]] },
};

/** Seeds the synthetic demo set into a test app's store, with its demo items in `orgId` (the demo organisation by default). */
export function seedDemo(t: Pick<Awaited<ReturnType<typeof startTestApp>>, 'reference' | 'assets'>, dataset: DemoDataset = generateDemoDataset(), orgId = DEMO_ORG_ID) {
  const assetService = new AssetService({ assets: t.assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } });
  return seedDemoIfEmpty({ reference: t.reference, assets: t.assets, assetService }, () => dataset, orgId);
}
