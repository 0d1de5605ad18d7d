import { createApp, createLocalTokenService } from '@safer-places/api';
import { AssetService, generateDemoDataset, seedDemoIfEmpty } from '@safer-places/domain';
import type { AssetKind } from '@safer-places/schemas';
import { createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';

export const CORPUS_ORG = 'geojson-corpus-csp';

export interface RawResult {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/**
 * The real API (createApp) over the embedded DynamoDB, with a small synthetic dataset (40 LSOAs, three months) so
 * /areas/analyse can answer for shapes it accepts, and a real signed token for an analyst (who may write drawn areas
 * and PSPO zones). Bodies go over as raw text, so `1e400`, duplicate keys and `__proto__` reach the server as written.
 */
export async function startGeoJsonApp() {
  const dynamo = await startEmbeddedDynamo();
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  const table = 'geojson-corpus';
  await ensureTable(doc, table);
  const ports = dynamoPorts(doc, table);
  const clock = { now: () => new Date() };
  const ids = { newId: () => crypto.randomUUID() };
  await seedDemoIfEmpty(
    { reference: ports.reference, assets: ports.assets, assetService: new AssetService({ assets: ports.assets, clock, ids }) },
    () => generateDemoDataset({ lsoaCount: 40, months: { from: '2025-01', to: '2025-03' } }),
    CORPUS_ORG,
  );
  const tokens = createLocalTokenService(new TextEncoder().encode('geojson-corpus-secret-geojson-corpus'));
  const errors: Record<string, unknown>[] = [];
  const app = createApp({ ...ports, verifier: tokens.verifier, log: (e) => (e.level === 'error' ? errors.push(e) : undefined) });
  const token = (await tokens.issue({ userId: 'corpus-analyst', orgId: CORPUS_ORG, role: 'analyst' })).token;

  const request = async (method: string, path: string, raw?: string): Promise<RawResult> => {
    const res = await app.request(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(raw !== undefined && { 'Content-Type': 'application/json' }) },
      ...(raw !== undefined && { body: raw }),
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

  /** How many items of a kind the organisation has, through the API (GET /api/<kind>). */
  const count = async (kind: AssetKind): Promise<number> => {
    const res = await request('GET', `/api/${kind}`);
    if (res.status !== 200) throw new Error(`GET /api/${kind} answered ${res.status}: ${res.text.slice(0, 200)}`);
    return (res.json.items as unknown[]).length;
  };

  return {
    post: (path: string, raw: string) => request('POST', path, raw),
    get: (path: string) => request('GET', path),
    count,
    errors,
    close: async () => {
      doc.destroy();
      await dynamo.close();
    },
  };
}

export type GeoJsonApp = Awaited<ReturnType<typeof startGeoJsonApp>>;
