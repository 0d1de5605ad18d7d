import type { AssetKind } from '@safer-places/schemas';
import { startSecurityApp, type CallResult } from './security-app';

export const CORPUS_ORG = 'geojson-corpus-csp';

export type RawResult = CallResult;

/**
 * The real API (createApp) over the embedded DynamoDB, with a small synthetic dataset (40 LSOAs, three months) so
 * /areas/analyse can answer for shapes it accepts, and a real signed token for an analyst (who may write drawn areas
 * and PSPO zones). Bodies go over as raw text, so `1e400`, duplicate keys and `__proto__` reach the server as written.
 */
export async function startGeoJsonApp() {
  const s = await startSecurityApp({ demo: { lsoaCount: 40, months: { from: '2025-01', to: '2025-03' } }, seedOrg: CORPUS_ORG });
  const request = (method: string, path: string, raw?: string): Promise<RawResult> =>
    s.call(method, path, { role: 'analyst', orgId: CORPUS_ORG, ...(raw !== undefined && { body: raw }) });

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
    errors: s.errors,
    close: s.close,
  };
}

export type GeoJsonApp = Awaited<ReturnType<typeof startGeoJsonApp>>;
