import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createLocalTokenService } from '@safer-places/api';
import { importFiles } from '@safer-places/importer';
import { MAX_GRID_CELLS_PER_ANALYSIS, type Role } from '@safer-places/schemas';
import { DynamoReferenceRepository, createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { approxGridCells, loadOracle, ringCentre, type Oracle } from './scope-checks';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from './shared-data';

/*
 * Scopes on the real Nottinghamshire data: every analysis run on "Mansfield" answers about Mansfield only (checked
 * against the ONS district polygon with plain Turf, never the product's own geometry), a partnership area's figures
 * are the sum of its districts', the choropleth keeps exactly the scope's LSOAs, bad scopes are refused with a 4xx
 * that names the problem and writes nothing, and an administrator's home scope is where the organisation lands.
 */

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

const DATASET = 'notts';
const TABLE = 'scope-test';
const MANSFIELD = 'E07000174';
const NOTTINGHAM = 'E06000018';
const BASSETLAW = 'E07000171';
const NEWARK = 'E07000175';
const MANSFIELD_SCOPE = `district:${MANSFIELD}`;
const THREE_TYPES = ['anti-social-behaviour', 'violent-crime', 'shoplifting'];
const ORG_A = 'org-mansfield-csp';
const ORG_B = 'org-elsewhere';
/** Mansfield Market Place and Nottingham Old Market Square (checked against the polygons below). */
const MANSFIELD_CENTRE: [number, number] = [-1.1975, 53.1437];
const NOTTINGHAM_CENTRE: [number, number] = [-1.15, 52.953];
const MANSFIELD_REDEPLOYABLE: [number, number] = [-1.19, 53.15];
const NOTTINGHAM_REDEPLOYABLE: [number, number] = [-1.135, 52.955];
/** A drawn area around Truro, Cornwall: far outside the county. */
const CORNWALL = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [-5.08, 50.25],
      [-5.03, 50.25],
      [-5.03, 50.28],
      [-5.08, 50.28],
      [-5.08, 50.25],
    ],
  ],
};

interface Located {
  lon: number;
  lat: number;
  ward?: string | null;
  district?: string | null;
}

describe.runIf(sharedDataAvailable)('scopes on the real Nottinghamshire data', () => {
  let dynamo: EmbeddedDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  let oracle: Oracle;
  let app: ReturnType<typeof createApp>;
  let tokens: ReturnType<typeof createLocalTokenService>;
  const serverErrors: Record<string, unknown>[] = [];

  const call = async (method: string, path: string, opts: { role: Role; org?: string; body?: unknown }) => {
    const { token } = await tokens.issue({ userId: `u-${opts.role}-${opts.org ?? ORG_A}`, orgId: opts.org ?? ORG_A, role: opts.role });
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await app.request(path, { method, headers, ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }) });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };
  const get = (path: string, role: Role = 'analyst', org = ORG_A) => call('GET', path, { role, org });
  /** A 200 answer's body, or a failure that shows the status and the server's detail. */
  const ok = async (p: Promise<{ status: number; json: any }>, what: string, status = 200) => {
    const r = await p;
    expect(r.status, `${what}: ${JSON.stringify(r.json)?.slice(0, 400)}`).toBe(status);
    return r.json;
  };

  /** Every location inside the Mansfield polygon, with the ward of the LSOA it falls in and district "Mansfield". */
  const placeProblems = (what: string, items: Located[]) => {
    const problems: string[] = [];
    items.forEach((x, k) => {
      const tag = `${what}[${k}] (${x.lon}, ${x.lat})`;
      const outside = oracle.metresOutside(MANSFIELD, x.lon, x.lat);
      if (outside > 0) problems.push(`${tag} lies ${outside} m outside Mansfield (in ${oracle.districtAt(x.lon, x.lat) ?? 'no district'})`);
      if (x.district !== 'Mansfield') problems.push(`${tag} district ${JSON.stringify(x.district)}, expected "Mansfield"`);
      const at = oracle.placeAt(x.lon, x.lat);
      if (!x.ward) problems.push(`${tag} has no ward`);
      else if (at && x.ward !== at.ward) problems.push(`${tag} ward "${x.ward}", but it lies in ${at.lsoa}, ward "${at.ward}"`);
      else if (!oracle.wardsOf(MANSFIELD).has(x.ward)) problems.push(`${tag} ward "${x.ward}" is not a Mansfield ward`);
    });
    return problems;
  };
  const expectInMansfield = (what: string, items: Located[]) => {
    const problems = placeProblems(what, items);
    if (problems.length) console.log(`${what}: ${problems.length} problem(s)\n  ${problems.slice(0, 20).join('\n  ')}`);
    expect.soft(problems, what).toEqual([]);
  };

  /** The answer says which scope it ran on (ScopeSummary in packages/schemas/src/scope.ts). */
  const expectMansfieldSummary = (what: string, answer: any) => {
    expect.soft(answer?.scope?.key, `${what}: scope.key`).toBe(MANSFIELD_SCOPE);
    expect.soft(answer?.scope?.label, `${what}: scope.label`).toBe('Mansfield');
    expect.soft(answer?.scope?.lsoaCount, `${what}: scope.lsoaCount`).toBe(68);
  };

  const q = (params: Record<string, string | number>) => new URLSearchParams(Object.entries({ dataset: DATASET, ...params }).map(([k, v]) => [k, String(v)])).toString();

  beforeAll(async () => {
    oracle = loadOracle(SHARED_DATA);
    dynamo = await startEmbeddedDynamo();
    doc = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(doc, TABLE);
    const reference = new DynamoReferenceRepository(doc, TABLE);
    const started = Date.now();
    await importFiles(
      [
        join(SHARED_DATA, 'lsoa21-boundaries'),
        join(SHARED_DATA, 'iod2025-nottinghamshire.csv'),
        join(SHARED_DATA, 'population/lsoa21-census2021-usual-residents-nottinghamshire.csv'),
        join(SHARED_DATA, 'lookups'),
        join(SHARED_DATA, 'police-uk'),
      ],
      { reference, datasetId: DATASET },
    );
    console.log(`import: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    tokens = createLocalTokenService(new TextEncoder().encode('scope-integration-secret-scope-integration'));
    app = createApp({
      ...dynamoPorts(doc, TABLE),
      reference,
      verifier: tokens.verifier,
      log: (e) => {
        if (e.level === 'error') serverErrors.push(e);
      },
    });

    // The fixed points the planner cases rely on really are where they are said to be.
    expect(oracle.inDistrict(MANSFIELD, ...MANSFIELD_CENTRE)).toBe(true);
    expect(oracle.inDistrict(MANSFIELD, ...MANSFIELD_REDEPLOYABLE)).toBe(true);
    expect(oracle.inDistrict(NOTTINGHAM, ...NOTTINGHAM_CENTRE)).toBe(true);
    expect(oracle.inDistrict(NOTTINGHAM, ...NOTTINGHAM_REDEPLOYABLE)).toBe(true);
    expect(oracle.lsoasOf(MANSFIELD).size).toBe(68);

    // The planner's cameras: a fixed one in each town centre, a re-deployable one in each district.
    const camera = (name: string, type: string, at: [number, number]) =>
      ok(call('POST', '/api/cameras', { role: 'planner', body: { name, type, location: { type: 'Point', coordinates: at } } }), `create camera ${name}`, 201);
    await camera('Mansfield Market Place', 'fixed', MANSFIELD_CENTRE);
    await camera('Nottingham Old Market Square', 'fixed', NOTTINGHAM_CENTRE);
    await camera('Mansfield re-deployable 1', 'redeployable', MANSFIELD_REDEPLOYABLE);
    await camera('Nottingham re-deployable 1', 'redeployable', NOTTINGHAM_REDEPLOYABLE);
  }, 300_000);

  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
  });

  describe('1. Mansfield scope: every answer lies in Mansfield', () => {
    it('top-10 hot spots of three crime types', async () => {
      const h = await ok(get(`/api/hotspots?${q({ scope: MANSFIELD_SCOPE, categories: THREE_TYPES.join(','), top: 10 })}`), 'hotspots, Mansfield');
      expect(h.top.map((t: any) => t.key)).toEqual(THREE_TYPES);
      expectMansfieldSummary('hotspots', h);
      for (const t of h.top) {
        console.log(`Mansfield top ${t.label}: ${t.spots.length} spots, counts ${t.spots.map((s: any) => s.count).join(', ')}; #1 ${t.spots[0]?.location} (${t.spots[0]?.ward})`);
        expect.soft(t.spots.length, `${t.key} spots`).toBe(10);
        expectInMansfield(`hotspots ${t.key}`, t.spots);
      }
      const cellCentres = (h.cells?.features ?? []).filter((f: any) => f.geometry?.type === 'Polygon').map((f: any) => ringCentre(f.geometry));
      const cellsOutside = cellCentres.filter(([lon, lat]: [number, number]) => oracle.metresOutside(MANSFIELD, lon, lat) > 0);
      // A cell on the district's edge may have its centre just over it; none may lie far away.
      const farOutside = cellCentres.filter(([lon, lat]: [number, number]) => oracle.metresOutside(MANSFIELD, lon, lat) > (h.grid?.cellSizeM ?? 500));
      console.log(`hot-spot cells: ${cellCentres.length}, centres outside Mansfield ${cellsOutside.length}, further than a cell ${farOutside.length}`);
      expect.soft(cellCentres.length).toBeGreaterThan(0);
      expect.soft(farOutside, 'hot-spot grid cells far outside Mansfield').toEqual([]);
    });

    it('ASB top 10: the study area against the Mansfield scope (report)', async () => {
      const whole = await ok(get(`/api/hotspots?${q({ scope: 'study-area', categories: 'anti-social-behaviour', top: 10 })}`), 'hotspots, study area');
      const mansfield = await ok(get(`/api/hotspots?${q({ scope: MANSFIELD_SCOPE, categories: 'anti-social-behaviour', top: 10 })}`), 'hotspots, Mansfield ASB');
      const tally = (spots: Located[]) => ({
        nottingham: spots.filter((s) => oracle.inDistrict(NOTTINGHAM, s.lon, s.lat)).length,
        mansfield: spots.filter((s) => oracle.inDistrict(MANSFIELD, s.lon, s.lat)).length,
      });
      const a = tally(whole.top[0].spots);
      const b = tally(mansfield.top[0].spots);
      console.log(`ASB top 10, study area: ${a.nottingham} in Nottingham city, ${a.mansfield} in Mansfield; Mansfield scope: ${b.nottingham} in Nottingham city, ${b.mansfield} in Mansfield`);
      // The checker itself catches places outside Mansfield (a control on the oracle, not on the server).
      expect(placeProblems('study-area ASB spots', whole.top[0].spots).length).toBeGreaterThan(0);
      expect(b.nottingham).toBe(0);
      expect(b.mansfield).toBe(mansfield.top[0].spots.length);
    });

    it('coverage gaps (with a camera in each town centre)', async () => {
      const c = await ok(call('POST', '/api/planning/coverage', { role: 'planner', body: { dataset: DATASET, scope: MANSFIELD_SCOPE, top: 10 } }), 'coverage, Mansfield');
      expectMansfieldSummary('coverage', c);
      const gaps = c.gapList as Located[];
      const gapSpots = (c.spots as (Located & { gap: boolean })[]).filter((s) => s.gap);
      console.log(`coverage: live cameras ${c.cameras?.live}, hot cells ${c.before?.hotCells}, gap cells ${c.before?.gapCells}, listed ${gaps.length}, top spots ${c.spots.length} of which gaps ${gapSpots.length}`);
      expect.soft(gaps.length).toBeGreaterThan(0);
      expectInMansfield('coverage gapList', gaps);
      expectInMansfield('coverage spots', c.spots);
      const cellCentres = (c.gapCells?.features ?? []).map((f: any) => ringCentre(f.geometry));
      const outside = cellCentres
        .map(([lon, lat]: [number, number]) => ({ lon, lat, m: oracle.metresOutside(MANSFIELD, lon, lat) }))
        .filter((x: { m: number }) => x.m > 0);
      console.log(`coverage gap cells drawn: ${cellCentres.length}, centres outside Mansfield: ${outside.length}${outside.length ? ` (max ${Math.max(...outside.map((x: { m: number }) => x.m))} m)` : ''}`);
      expect.soft(outside, 'gap cells whose centre lies outside Mansfield').toEqual([]);
    });

    it('candidate camera sites', async () => {
      const s = await ok(call('POST', '/api/planning/sites', { role: 'planner', body: { dataset: DATASET, scope: MANSFIELD_SCOPE, k: 5 } }), 'sites, Mansfield');
      console.log(`sites: ${s.picks.length} picks from ${s.candidates?.count} candidates, gains ${s.picks.map((p: any) => p.gain).join(', ')}`);
      expectMansfieldSummary('sites', s);
      expect.soft(s.picks.length).toBe(5);
      expectInMansfield('sites picks', s.picks);
    });

    it('re-deployable camera rotation', async () => {
      const r = await ok(get(`/api/planning/rotation?${q({ scope: MANSFIELD_SCOPE })}`, 'planner'), 'rotation, Mansfield');
      expectMansfieldSummary('rotation', r);
      const names = r.cameras.map((c: any) => c.name);
      const suggestions = r.cameras.flatMap((c: any) => c.suggestions.map((s: any) => ({ ...s, camera: c.name })));
      console.log(`rotation: cameras ${JSON.stringify(names)}, ${suggestions.length} suggestions, eligible sites ${r.sites}`);
      const mansfieldCamera = r.cameras.find((c: any) => c.name === 'Mansfield re-deployable 1');
      expect(mansfieldCamera, 'the Mansfield re-deployable camera gets suggestions').toBeDefined();
      expect.soft(mansfieldCamera.suggestions.length).toBeGreaterThan(0);
      expectInMansfield('rotation suggestions', suggestions);
      // The Nottingham camera stands outside the scope: it must not be sent into Mansfield's list either.
      const nottinghamCamera = r.cameras.find((c: any) => c.name === 'Nottingham re-deployable 1');
      if (nottinghamCamera) console.log(`rotation: the Nottingham camera is listed with ${nottinghamCamera.suggestions.length} suggestions`);
      expect.soft(nottinghamCamera?.suggestions ?? [], 'Nottingham camera suggestions in a Mansfield scope').toEqual([]);
    });

    it('help point suggestions', async () => {
      const h = await ok(get(`/api/planning/help-points?${q({ scope: MANSFIELD_SCOPE, top: 10 })}`, 'planner'), 'help points, Mansfield');
      console.log(`help points: ${h.spots.length} spots, suggested ${h.suggested}`);
      expectMansfieldSummary('help points', h);
      expect.soft(h.spots.length).toBe(10);
      expectInMansfield('help-point spots', h.spots);
    });

    it('patrol stops', async () => {
      const p = await ok(get(`/api/planning/patrol?${q({ scope: MANSFIELD_SCOPE, start: MANSFIELD_CENTRE.join(','), top: 10, categories: THREE_TYPES.join(',') })}`, 'planner'), 'patrol, Mansfield');
      console.log(`patrol: ${p.stops.length} stops, ${p.distance?.totalM} m, first ${p.stops[0]?.location} (${p.stops[0]?.ward})`);
      expectMansfieldSummary('patrol', p);
      expect.soft(p.stops.length).toBe(10);
      expectInMansfield('patrol stops', p.stops);
    });
  });

  describe('2. a partnership area of two districts', () => {
    it('Bassetlaw + Newark & Sherwood: its table is the sum of the two districts’ tables, row by row', async () => {
      const created = await ok(
        call('POST', '/api/partnership-areas', { role: 'analyst', body: { name: 'Bassetlaw, Newark & Sherwood CSP', districts: [BASSETLAW, NEWARK], lsoaCodes: [] } }),
        'create partnership area',
        201,
      );
      const partnership = await ok(get(`/api/strategic-assessment?${q({ scope: `partnership:${created.id}`, groupBy: 'all' })}`), 'strategic, partnership');
      const byDistrict = await ok(get(`/api/strategic-assessment?${q({ scope: 'study-area', groupBy: 'district' })}`), 'strategic, study area by district');
      expect(partnership.tables).toHaveLength(1);
      expect(byDistrict.tables.map((t: any) => t.code).sort()).toEqual(['E06000018', 'E07000170', 'E07000171', 'E07000172', 'E07000173', 'E07000174', 'E07000175', 'E07000176']);
      const tableOf = (code: string) => byDistrict.tables.find((t: any) => t.code === code).table;
      const b = tableOf(BASSETLAW);
      const n = tableOf(NEWARK);
      const p = partnership.tables[0].table;
      expect(p.current).toEqual(b.current);
      expect(p.previous).toEqual(b.previous);
      const summed = b.rows.map((row: any) => {
        const other = n.rows.find((r: any) => r.key === row.key);
        return { key: row.key, current: row.current + other.current, previous: row.previous + other.previous, change: row.change + other.change };
      });
      const got = p.rows.map((r: any) => ({ key: r.key, current: r.current, previous: r.previous, change: r.change }));
      const all = got.find((r: any) => r.key === 'all-crime');
      console.log(`BNS partnership "${partnership.tables[0].name}": all crime ${all?.current} (current 12) vs ${all?.previous} (previous 12); Bassetlaw ${b.rows[0].current}, Newark & Sherwood ${n.rows[0].current}`);
      expect(got).toEqual(summed);
      expect(got).toHaveLength(16);
      expect(all.current).toBeGreaterThan(0);
    });
  });

  describe('3. choropleth of a scope', () => {
    it('lsoas/stats keeps exactly Mansfield’s 68 LSOAs with the study area’s counts; the LSOA layer 68 features', async () => {
      const expected = oracle.lsoasOf(MANSFIELD);
      const scoped = await ok(get(`/api/lsoas/stats?${q({ scope: MANSFIELD_SCOPE })}`, 'viewer'), 'lsoas/stats, Mansfield');
      const whole = await ok(get(`/api/lsoas/stats?${q({ scope: 'study-area' })}`, 'viewer'), 'lsoas/stats, study area');
      const codes = scoped.lsoas.map((l: any) => l.code);
      console.log(`lsoas/stats: Mansfield ${codes.length} LSOAs, total ${scoped.total}; study area ${whole.lsoas.length} LSOAs, total ${whole.total}`);
      expect(new Set(codes).size).toBe(codes.length);
      expect(codes.sort()).toEqual([...expected].sort());
      const wholeCount = new Map(whole.lsoas.map((l: any) => [l.code, l.count]));
      for (const l of scoped.lsoas) expect.soft(l.count, l.code).toBe(wholeCount.get(l.code));
      expect(scoped.total).toBe(scoped.lsoas.reduce((t: number, l: any) => t + l.count, 0));
      expect(whole.lsoas).toHaveLength(684);

      const layer = await ok(get(`/api/layers/lsoas?${q({ scope: MANSFIELD_SCOPE })}`, 'viewer'), 'layers/lsoas, Mansfield');
      expect(layer.features).toHaveLength(68);
      expect(layer.features.map((f: any) => f.id ?? f.properties?.code).sort()).toEqual([...expected].sort());
    });
  });

  describe('4. bad scopes: a 4xx naming the problem, nothing written', () => {
    const snapshot = async (org: string) => {
      const count = async (kind: string) => (await ok(get(`/api/${kind}`, 'admin', org), `list ${kind}`)).items.length;
      const scopes = await get('/api/scopes', 'admin', org);
      return {
        cameras: await count('cameras'),
        areas: await count('areas'),
        partnerships: await count('partnership-areas'),
        homeKey: scopes.status === 200 ? scopes.json.homeKey : `GET /api/scopes answered ${scopes.status}`,
      };
    };
    /** Every route that takes a scope, with that scope. */
    const everyRoute = (scope: string): { name: string; run: () => Promise<{ status: number; json: any }> }[] => [
      { name: 'GET /api/hotspots', run: () => get(`/api/hotspots?${q({ scope, categories: 'anti-social-behaviour' })}`) },
      { name: 'GET /api/lsoas/stats', run: () => get(`/api/lsoas/stats?${q({ scope })}`) },
      { name: 'GET /api/layers/lsoas', run: () => get(`/api/layers/lsoas?${q({ scope })}`) },
      { name: 'GET /api/strategic-assessment', run: () => get(`/api/strategic-assessment?${q({ scope, groupBy: 'all' })}`) },
      { name: 'GET /api/planning/patrol', run: () => get(`/api/planning/patrol?${q({ scope, start: MANSFIELD_CENTRE.join(',') })}`, 'planner') },
      { name: 'POST /api/planning/coverage', run: () => call('POST', '/api/planning/coverage', { role: 'planner', body: { dataset: DATASET, scope, top: 10 } }) },
      { name: 'POST /api/planning/sites', run: () => call('POST', '/api/planning/sites', { role: 'planner', body: { dataset: DATASET, scope, k: 3 } }) },
      { name: 'GET /api/planning/rotation', run: () => get(`/api/planning/rotation?${q({ scope })}`, 'planner') },
      { name: 'GET /api/planning/help-points', run: () => get(`/api/planning/help-points?${q({ scope })}`, 'planner') },
    ];
    const expectRefused = async (scope: string, status: number, detail: RegExp) => {
      const seen: string[] = [];
      for (const route of everyRoute(scope)) {
        const r = await route.run();
        seen.push(`${route.name} → ${r.status} ${JSON.stringify(r.json?.detail ?? r.json)?.slice(0, 200)}`);
        expect.soft(r.status, `${route.name} scope=${scope}: ${JSON.stringify(r.json)?.slice(0, 300)}`).toBe(status);
        expect.soft(String(r.json?.detail ?? ''), `${route.name} scope=${scope} detail`).toMatch(detail);
      }
      console.log(`scope=${scope}:\n  ${seen.join('\n  ')}`);
    };

    it('unknown district, malformed scope, another organisation’s partnership area, an empty drawn area', async () => {
      // Org B's own partnership area; org A's drawn area in Cornwall (a real item, but it holds none of the county).
      const theirs = await ok(
        call('POST', '/api/partnership-areas', { role: 'analyst', org: ORG_B, body: { name: 'Secret Rushcliffe working area', districts: ['E07000176'] } }),
        'org B partnership area',
        201,
      );
      const cornwall = await ok(call('POST', '/api/areas', { role: 'analyst', body: { name: 'Truro (far away)', theme: 'asb', geometry: CORNWALL } }), 'Cornwall drawn area', 201);
      const beforeA = await snapshot(ORG_A);
      const beforeB = await snapshot(ORG_B);
      const auditBefore = await ok(get('/api/audit?limit=200', 'admin'), 'audit before');

      await expectRefused('district:E07999999', 400, /E07999999/);
      await expectRefused('bogus:1', 400, /bogus/);
      // `scope=` (empty text) is refused rather than read as the study area.
      const empty = await get(`/api/lsoas/stats?${q({ scope: '' })}`);
      expect(empty.status).toBe(400);
      expect(empty.json.detail).toMatch(/scope is empty/);
      await expectRefused(`partnership:${theirs.id}`, 404, /partnership/i);
      await expectRefused(`area:${cornwall.id}`, 400, /Truro|outside|no LSOA|no crime/i);

      // The 404s are logged for org A's administrator as refusals, without naming org B's area.
      const audit = await ok(get('/api/audit?limit=200', 'admin'), 'audit after');
      const known = new Set(auditBefore.events.map((e: any) => e.id));
      const fresh = audit.events.filter((e: any) => !known.has(e.id));
      const notFound = fresh.filter((e: any) => e.action === 'not-found');
      console.log(`audit: ${fresh.length} new events: ${fresh.map((e: any) => `${e.action} ${e.method} ${e.path} ${e.status}`).join('; ')}`);
      expect.soft(notFound.map((e: any) => e.path)).toContain('/api/hotspots');
      expect.soft(notFound.every((e: any) => e.status === 404)).toBe(true);
      expect.soft(JSON.stringify(fresh)).not.toContain('Secret Rushcliffe');

      expect(await snapshot(ORG_A)).toEqual(beforeA);
      expect(await snapshot(ORG_B)).toEqual(beforeB);
    });

    it('a grid too large for the limit: 400 naming the limit and a cell size that fits', async () => {
      const county = approxGridCells(oracle.studyBBox, 50);
      const useStudyArea = county.cells > MAX_GRID_CELLS_PER_ANALYSIS * 1.15;
      const scope = useStudyArea ? 'study-area' : 'view:-6,50,2,56';
      console.log(`grid: study area ≈ ${Math.round(county.width)} × ${Math.round(county.height)} m ≈ ${county.cells.toLocaleString('en-GB')} cells at 50 m (limit ${MAX_GRID_CELLS_PER_ANALYSIS.toLocaleString('en-GB')}): using scope=${scope}`);
      const before = await snapshot(ORG_A);
      const r = await get(`/api/hotspots?${q({ scope, cellSize: 50, categories: 'anti-social-behaviour' })}`);
      console.log(`GET /api/hotspots?cellSize=50&scope=${scope} → ${r.status} ${JSON.stringify(r.json)}`);
      expect(r.status).toBe(400);
      const detail = String(r.json?.detail ?? '');
      expect(detail).toMatch(/1,000,000|1000000|1 000 000/);
      const coverage = await call('POST', '/api/planning/coverage', { role: 'planner', body: { dataset: DATASET, scope, cellSize: 50 } });
      console.log(`POST /api/planning/coverage {cellSize: 50, scope: ${scope}} → ${coverage.status} ${JSON.stringify(coverage.json?.detail)}`);
      expect.soft(coverage.status).toBe(400);
      if (useStudyArea) {
        // The size named must be one that fits: ask again with it.
        const sizes = [...detail.matchAll(/(\d+)\s?m\b/g)].map((m) => Number(m[1])).filter((n) => n !== 50);
        expect(sizes.length, `a cell size in "${detail}"`).toBeGreaterThan(0);
        const size = sizes[sizes.length - 1]!;
        expect(size).toBeGreaterThan(50);
        expect(size).toBeLessThanOrEqual(500);
        expect(approxGridCells(oracle.studyBBox, size).cells).toBeLessThanOrEqual(MAX_GRID_CELLS_PER_ANALYSIS * 1.05);
        const again = await get(`/api/hotspots?${q({ scope, cellSize: size, categories: 'anti-social-behaviour' })}`);
        console.log(`suggested cell size ${size} m → ${again.status}${again.status !== 200 ? ` ${JSON.stringify(again.json)}` : ` (${again.json?.grid?.studyAreaCells ?? '?'} study-area cells)`}`);
        expect(again.status, JSON.stringify(again.json)?.slice(0, 300)).toBe(200);
        // One metre finer than the suggestion may or may not fit; ten metres coarser must.
      } else {
        expect(detail).toMatch(/scope|cell size/i);
      }
      expect(await snapshot(ORG_A)).toEqual(before);
    });

    it('home scope: an analyst may not set it (403); an unknown district is refused (400); home unchanged', async () => {
      const before = await snapshot(ORG_A);
      const byAnalyst = await call('PUT', '/api/home-scope', { role: 'analyst', body: { scope: MANSFIELD_SCOPE } });
      console.log(`PUT /api/home-scope as analyst → ${byAnalyst.status} ${JSON.stringify(byAnalyst.json)}`);
      expect.soft(byAnalyst.status).toBe(403);
      expect.soft(String(byAnalyst.json?.detail ?? '')).toMatch(/admin/i);
      const unknown = await call('PUT', '/api/home-scope', { role: 'admin', body: { scope: 'district:E07999999' } });
      console.log(`PUT /api/home-scope district:E07999999 as admin → ${unknown.status} ${JSON.stringify(unknown.json)}`);
      expect.soft(unknown.status).toBe(400);
      expect.soft(String(unknown.json?.detail ?? '')).toMatch(/E07999999/);
      const bogus = await call('PUT', '/api/home-scope', { role: 'admin', body: { scope: 'bogus:1' } });
      expect.soft(bogus.status).toBe(400);
      expect(await snapshot(ORG_A)).toEqual(before);
      expect(before.homeKey).toBeNull();
    });
  });

  describe('5. home scope', () => {
    it('an administrator sets Mansfield: the organisation’s viewers land there, another organisation does not', async () => {
      const put = await call('PUT', '/api/home-scope', { role: 'admin', body: { scope: MANSFIELD_SCOPE } });
      console.log(`PUT /api/home-scope ${MANSFIELD_SCOPE} as admin → ${put.status} ${JSON.stringify(put.json)}`);
      expect(put.status).toBeLessThan(300);
      const mine = await ok(get('/api/scopes', 'viewer'), 'scopes, org A viewer');
      console.log(`org A /api/scopes home: ${JSON.stringify(mine.home)} homeKey ${mine.homeKey}`);
      expect(mine.home.label).toBe('Mansfield');
      expect(mine.home.key).toBe(MANSFIELD_SCOPE);
      expect(mine.home.lsoaCount).toBe(68);
      expect(mine.homeKey).toBe(MANSFIELD_SCOPE);
      expect(mine.districts.find((d: any) => d.key === MANSFIELD_SCOPE)?.lsoaCount).toBe(68);
      const theirs = await ok(get('/api/scopes', 'viewer', ORG_B), 'scopes, org B viewer');
      console.log(`org B /api/scopes home: ${JSON.stringify(theirs.home)} homeKey ${theirs.homeKey}`);
      expect(theirs.home.kind).toBe('study-area');
      expect(theirs.home.key).toBe('study-area');
      expect(theirs.homeKey).toBeNull();
      // Where the organisation lands when a request names no scope (reported, not asserted: the contract names none).
      const unscoped = await get(`/api/lsoas/stats?${q({})}`, 'viewer');
      console.log(`org A GET /api/lsoas/stats without scope after the home scope was set → ${unscoped.status}, ${unscoped.json?.lsoas?.length} LSOAs, scope ${JSON.stringify(unscoped.json?.scope?.key ?? null)}`);
      // Org A's partnership area is not offered to org B.
      expect(theirs.partnerships.map((p: any) => p.label)).not.toContain('Bassetlaw, Newark & Sherwood CSP');
    });

    it('logged no server errors', () => {
      expect(serverErrors).toEqual([]);
    });
  });
});
