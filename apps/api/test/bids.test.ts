import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { connectedComponents, neighboursOf, polygonAdjacency, ringOfNeighbours } from '@safer-places/geo';
import type { Lsoa } from '@safer-places/schemas';
import { ORG_B, seedDemo, startTestApp } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
let lsoas: Lsoa[];
let adjacency: ReturnType<typeof polygonAdjacency>;
/** A contiguous block of 6 demo LSOAs and one far away from it. */
let block: string[];
let loner: string;

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t);
  lsoas = await t.reference.listLsoas('demo');
  adjacency = polygonAdjacency(lsoas.map((l) => l.geometry));
  // Grow a block from the first LSOA by breadth-first search over shared boundaries.
  const chosen = [0];
  for (let k = 0; chosen.length < 6; k++) for (const j of neighboursOf(adjacency, chosen[k]!)) if (chosen.length < 6 && !chosen.includes(j)) chosen.push(j);
  block = chosen.map((i) => lsoas[i]!.code);
  const near = new Set([...chosen, ...ringOfNeighbours(adjacency, chosen)]);
  const far = lsoas.findIndex((_, i) => !near.has(i) && !ringOfNeighbours(adjacency, [i]).some((j) => near.has(j)));
  loner = lsoas[far]!.code;
}, 120_000);
afterAll(() => t.close());

const criteria = {
  scope: { kind: 'all' },
  categories: ['acquisitive-crime'],
  combine: 'and',
  rules: [
    { kind: 'rate-above-average', minPercent: 20 },
    { kind: 'max-decile', decile: 5 },
  ],
};

describe('POST /api/bids/eligibility', () => {
  it('evaluates every rule for every LSOA in scope, eligible first then by rate', async () => {
    const res = await t.call('POST', '/api/bids/eligibility', { role: 'viewer', body: { criteria } });
    expect(res.status).toBe(200);
    const r = res.json;
    expect(r.dataset).toMatchObject({ id: 'demo', synthetic: true });
    expect(r.period).toEqual({ from: '2024-01', to: '2024-12' });
    expect(r.scopeLsoas).toBe(lsoas.length);
    expect(r.lsoas).toHaveLength(lsoas.length);
    expect(r.eligible).toBe(r.lsoas.filter((l: any) => l.passes).length);
    expect(r.eligible).toBeGreaterThan(0);
    expect(r.eligible).toBeLessThan(lsoas.length);
    expect(r.averageRate).toBeGreaterThan(0);
    expect(r.notes.join(' ')).toMatch(/Synthetic/);
    const firstFail = r.lsoas.findIndex((l: any) => !l.passes);
    expect(r.lsoas.slice(firstFail).every((l: any) => !l.passes)).toBe(true);
    for (const part of [r.lsoas.slice(0, firstFail), r.lsoas.slice(firstFail)]) {
      const rates = part.map((l: any) => l.rate ?? -1);
      expect(rates).toEqual([...rates].sort((a: number, b: number) => b - a));
    }
    for (const l of r.lsoas) {
      expect(l.rules.map((x: any) => x.kind)).toEqual(['rate-above-average', 'max-decile']);
      expect(l.passes).toBe(l.rules.every((x: any) => x.pass));
      const [rate, decile] = l.rules;
      if (rate.value !== null) expect(rate.pass).toBe(rate.value >= 20);
      if (l.decile !== null) expect(decile.pass).toBe(l.decile <= 5);
      expect(l.count).toBeGreaterThanOrEqual(0);
      expect(l.persistentShare).toBeNull();
    }
  });

  it('scopes to districts, keeps the OPCC list as the eligible set, and computes persistent hot-spot shares', async () => {
    const district = lsoas[0]!.districtCode;
    const inDistrict = lsoas.filter((l) => l.districtCode === district).map((l) => l.code);
    const res = await t.call('POST', '/api/bids/eligibility', {
      role: 'bid-writer',
      body: {
        criteria: {
          ...criteria,
          scope: { kind: 'districts', codes: [district] },
          rules: [{ kind: 'persistent-hotspot-share', minShare: 0.5 }],
          lsoaList: [inDistrict[0], inDistrict[1], 'E01999999'],
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.scopeLsoas).toBe(inDistrict.length);
    expect(res.json.eligible).toBe(2);
    expect(res.json.lsoas.slice(0, 2).map((l: any) => l.code).sort()).toEqual([inDistrict[0], inDistrict[1]].sort());
    expect(res.json.notes.join(' ')).toMatch(/OPCC list/);
    expect(res.json.notes.join(' ')).toMatch(/E01999999/);
    const shares = res.json.lsoas.map((l: any) => l.persistentShare);
    expect(shares.every((s: number) => s >= 0 && s <= 1)).toBe(true);
    expect(shares.some((s: number) => s > 0)).toBe(true);
  });

  it('scopes to a drawn area of the organisation; another organisation\'s area is 404', async () => {
    const l = lsoas[0]!;
    const area = await t.call('POST', '/api/areas', { role: 'analyst', body: { name: 'Scope', theme: 'asb', geometry: l.geometry } });
    expect(area.status).toBe(201);
    const res = await t.call('POST', '/api/bids/eligibility', { role: 'viewer', body: { criteria: { ...criteria, scope: { kind: 'area', areaId: area.json.id } } } });
    expect(res.status).toBe(200);
    expect(res.json.lsoas.map((x: any) => x.code)).toEqual([l.code]);
    const other = await t.call('POST', '/api/bids/eligibility', { role: 'admin', orgId: ORG_B, body: { criteria: { ...criteria, scope: { kind: 'area', areaId: area.json.id } } } });
    expect(other.status).toBe(404);
  });

  it('400s name the problem', async () => {
    const cases: [unknown, RegExp][] = [
      [{ criteria: { ...criteria, rules: [{ kind: 'max-decile', decile: 11 }] } }, /criteria\.rules\.0\.decile: decile is 1 to 10/],
      [{ criteria: { ...criteria, rules: [{ kind: 'shoe-size', size: 9 }] } }, /criteria\.rules\.0/],
      [{ criteria: { ...criteria, categories: ['pickpocketing'] } }, /criteria\.categories\.0/],
      [{ criteria: { ...criteria, categories: [] } }, /choose at least one crime category/],
      [{ criteria, extra: 1 }, /unknown field\(s\) "extra"/],
      [{ criteria: { ...criteria, scope: { kind: 'districts', codes: ['E07999999'] } } }, /no district E07999999/],
      [{ criteria: { ...criteria, to: '2031-01' } }, /after the dataset's last month/],
      [{ criteria: { ...criteria, to: '2024-13' } }, /criteria\.to: months are YYYY-MM/],
    ];
    for (const [body, message] of cases) {
      const res = await t.call('POST', '/api/bids/eligibility', { role: 'viewer', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error).toBe('invalid_request');
      expect(res.json.detail).toMatch(message);
    }
  });

  it('needs a signed-in user', async () => {
    expect((await t.call('POST', '/api/bids/eligibility', { body: { criteria } })).status).toBe(401);
  });
});

describe('POST /api/bids/selection', () => {
  it('builds the target area: totals, contiguous groups, outline, buffer ring and a comparison area', async () => {
    const codes = [...block, loner];
    const res = await t.call('POST', '/api/bids/selection', { role: 'viewer', body: { codes, bufferM: 300 } });
    expect(res.status).toBe(200);
    const s = res.json;
    expect(s.totals.lsoas).toBe(7);
    expect(s.groups).toEqual([block.slice().sort(), [loner]]);
    expect(s.groups).toEqual(connectedComponents(adjacency, codes.map((c) => lsoas.findIndex((l) => l.code === c))).map((g) => g.map((i) => lsoas[i]!.code)));
    expect(s.target.type).toBe('MultiPolygon');
    expect(s.target.coordinates).toHaveLength(2);
    expect(s.buffer.type).toMatch(/Polygon/);
    expect(s.bufferM).toBe(300);
    const sum = (k: 'count' | 'previousCount' | 'population') => s.lsoas.reduce((n: number, l: any) => n + (l[k] ?? 0), 0);
    expect(s.totals.crimes).toBe(sum('count'));
    expect(s.totals.previousCrimes).toBe(sum('previousCount'));
    expect(s.totals.residents).toBe(sum('population'));
    expect(s.totals.change).toBe(s.totals.crimes - s.totals.previousCrimes);
    // All crime by default: the strategic row for all crime is the totals.
    expect(s.byCategory[0]).toMatchObject({ key: 'all-crime', current: s.totals.crimes, previous: s.totals.previousCrimes });
    expect(s.byCategory.every((r: any) => ['Reduce', 'Monitor'].includes(r.target))).toBe(true);
    expect(s.monthly).toHaveLength(24);
    expect(s.monthly.slice(12).reduce((n: number, m: any) => n + m.count, 0)).toBe(s.totals.crimes);
    // The comparison: as many LSOAs, none in or next to the selection, ordered by score.
    expect(s.comparison.suggested).toBe(true);
    expect(s.comparison.lsoas).toHaveLength(7);
    const selected = codes.map((c) => lsoas.findIndex((l) => l.code === c));
    const excluded = new Set([...codes, ...ringOfNeighbours(adjacency, selected).map((i) => lsoas[i]!.code)]);
    for (const c of s.comparison.lsoas) expect(excluded.has(c.code)).toBe(false);
    const scores = s.comparison.lsoas.map((c: any) => c.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => a - b));
    expect(s.comparison.geometry.type).toMatch(/Polygon/);
    expect(s.comparison.method).toMatch(/standard deviation/);
    expect(s.inside).toEqual({ cameras: expect.any(Number), helpPoints: expect.any(Number), pspoZones: expect.any(Number) });
  });

  it('uses the comparison LSOAs given, and a contiguous block dissolves into one polygon', async () => {
    const res = await t.call('POST', '/api/bids/selection', { role: 'viewer', body: { codes: block, comparison: [loner], categories: ['neighbourhood-crime'] } });
    expect(res.status).toBe(200);
    expect(res.json.groups).toHaveLength(1);
    expect(res.json.target.type).toBe('Polygon');
    expect(res.json.comparison).toMatchObject({ suggested: false, lsoas: [{ code: loner, score: null }] });
    expect(res.json.notes.join(' ')).toMatch(/over-counts/);
  });

  it('400s name unknown codes and other problems', async () => {
    const unknown = await t.call('POST', '/api/bids/selection', { role: 'viewer', body: { codes: [block[0], 'E01999999', 'NOPE1'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.detail).toMatch(/2 unknown LSOA codes/);
    expect(unknown.json.detail).toContain('E01999999');
    expect(unknown.json.detail).toContain('NOPE1');
    const cases: [unknown, RegExp][] = [
      [{ codes: [] }, /codes needs at least 1 LSOA code/],
      [{ codes: Array.from({ length: 2001 }, (_, i) => `E0${String(i).padStart(7, '0')}`) }, /at most 2000 LSOA codes/],
      [{ codes: block, bufferM: -5 }, /bufferM is 0 to 5,000/],
      [{ codes: block, comparison: [block[0]] }, /also in the selection/],
      [{ codes: block, comparison: ['E01999998'] }, /invalid comparison: 1 unknown LSOA code.*E01999998/],
      [{ codes: ['<b>'] }, /codes\.0: LSOA codes are/],
    ];
    for (const [body, message] of cases) {
      const res = await t.call('POST', '/api/bids/selection', { role: 'viewer', body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json.detail).toMatch(message);
    }
  });
});

describe('GET /api/bid-presets and own presets', () => {
  it('lists the built-in presets per round with the prospectus note', async () => {
    const res = await t.call('GET', '/api/bid-presets', { role: 'viewer' });
    expect(res.status).toBe(200);
    const builtIn = res.json.items.filter((p: any) => p.builtIn);
    expect(builtIn.map((p: any) => p.round)).toEqual(['R1', 'R2', 'R3', 'R4']);
    expect(res.json.note).toMatch(/prospectus/);
    for (const p of builtIn) expect(p).toMatchObject({ id: expect.stringMatching(/^builtin-/), builtIn: true, note: res.json.note, criteria: { scope: { kind: 'all' } } });
    // Every built-in preset runs.
    for (const p of builtIn) expect((await t.call('POST', '/api/bids/eligibility', { role: 'viewer', body: { criteria: p.criteria } })).status).toBe(200);
  });

  it('creates, versions and deletes the organisation\'s own presets; viewers cannot write; others cannot see them', async () => {
    const body = { name: 'Mansfield acquisitive 2026', round: 'R5', criteria: { ...criteria, rules: [{ kind: 'top-percent', percent: 10 }] } };
    expect((await t.call('POST', '/api/bid-presets', { role: 'viewer', body })).status).toBe(403);
    expect((await t.call('POST', '/api/bid-presets', { role: 'planner', body })).status).toBe(403);
    const created = await t.call('POST', '/api/bid-presets', { role: 'bid-writer', body });
    expect(created.status).toBe(201);
    expect(created.headers.get('ETag')).toBe('"1"');
    expect(created.json).toMatchObject({ name: body.name, builtIn: false, version: 1, description: '', note: expect.stringMatching(/prospectus/) });
    const id = created.json.id;
    const list = await t.call('GET', '/api/bid-presets', { role: 'viewer' });
    expect(list.json.items.map((p: any) => p.id)).toContain(id);
    const updated = await t.call('PUT', `/api/bid-presets/${id}`, { role: 'analyst', body: { ...body, name: 'Renamed' }, headers: { 'If-Match': '"1"' } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ name: 'Renamed', version: 2, builtIn: false });
    const stale = await t.call('PUT', `/api/bid-presets/${id}`, { role: 'analyst', body, headers: { 'If-Match': '"1"' } });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('ETag')).toBe('"2"');
    expect((await t.call('GET', `/api/bid-presets/${id}`, { role: 'admin', orgId: ORG_B })).status).toBe(404);
    expect((await t.call('PUT', `/api/bid-presets/${id}`, { role: 'admin', orgId: ORG_B, body, headers: { 'If-Match': '"2"' } })).status).toBe(404);
    expect((await t.call('GET', '/api/bid-presets', { role: 'admin', orgId: ORG_B })).json.items.every((p: any) => p.builtIn)).toBe(true);
    const bad = await t.call('POST', '/api/bid-presets', { role: 'bid-writer', body: { ...body, round: 'R9' } });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/round/);
    expect((await t.call('DELETE', `/api/bid-presets/${id}`, { role: 'viewer', headers: { 'If-Match': '"2"' } })).status).toBe(403);
    expect((await t.call('DELETE', `/api/bid-presets/${id}`, { role: 'bid-writer', headers: { 'If-Match': '"2"' } })).status).toBe(204);
    expect((await t.call('GET', `/api/bid-presets/${id}`, { role: 'viewer' })).status).toBe(404);
  });

  it('refuses to change or delete a built-in preset', async () => {
    const id = 'builtin-r1-acquisitive';
    expect((await t.call('GET', `/api/bid-presets/${id}`, { role: 'viewer' })).json).toMatchObject({ id, builtIn: true });
    const put = await t.call('PUT', `/api/bid-presets/${id}`, { role: 'admin', body: { name: 'x', round: 'R1', criteria }, headers: { 'If-Match': '"1"' } });
    expect(put.status).toBe(403);
    expect(put.json.detail).toMatch(/built-in preset/);
    expect((await t.call('DELETE', `/api/bid-presets/${id}`, { role: 'admin', headers: { 'If-Match': '"1"' } })).status).toBe(403);
  });
});

describe('bid drafts, report and evidence pack', () => {
  let id: string;
  const draft = () => ({ name: '<script>alert(1)</script>', round: 'R4', notes: 'Ask the OPCC about <b>match</b> funding', criteria, selection: [...block, loner], bufferM: 400 });

  it('CRUD with versions: bid writers and analysts write, viewers read, other organisations see nothing', async () => {
    expect((await t.call('POST', '/api/bids', { role: 'viewer', body: draft() })).status).toBe(403);
    expect((await t.call('POST', '/api/bids', { role: 'planner', body: draft() })).status).toBe(403);
    const created = await t.call('POST', '/api/bids', { role: 'bid-writer', body: draft() });
    expect(created.status).toBe(201);
    id = created.json.id;
    expect(created.json).toMatchObject({ version: 1, selection: draft().selection, criteria: { combine: 'and' } });
    expect((await t.call('GET', `/api/bids/${id}`, { role: 'viewer' })).status).toBe(200);
    expect((await t.call('GET', '/api/bids', { role: 'viewer' })).json.items).toHaveLength(1);
    const put = await t.call('PUT', `/api/bids/${id}`, { role: 'analyst', body: { ...draft(), bufferM: 500 }, headers: { 'If-Match': '"1"' } });
    expect(put.status).toBe(200);
    expect(put.json.version).toBe(2);
    expect((await t.call('PUT', `/api/bids/${id}`, { role: 'bid-writer', body: draft(), headers: { 'If-Match': '"1"' } })).status).toBe(409);
    expect((await t.call('PUT', `/api/bids/${id}`, { role: 'viewer', body: draft(), headers: { 'If-Match': '"2"' } })).status).toBe(403);
    expect((await t.call('GET', `/api/bids/${id}`, { role: 'admin', orgId: ORG_B })).status).toBe(404);
    expect((await t.call('GET', '/api/bids', { role: 'admin', orgId: ORG_B })).json.items).toHaveLength(0);
    const bad = await t.call('POST', '/api/bids', { role: 'bid-writer', body: { ...draft(), selection: 'E01000001' } });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/selection/);
  });

  it('zips the evidence pack named after the bid, with the report escaped and the files it promises', async () => {
    const res = await t.app.request(`/api/bids/${id}/pack`, { headers: { Authorization: `Bearer ${await t.tokenFor('viewer')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/zip');
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="scriptalert1script-evidence-pack.zip"');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['buffer.geojson', 'comparison.geojson', 'lsoas.csv', 'report.html', 'target.geojson']);
    const html = strFromU8(files['report.html']!);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Ask the OPCC about &lt;b&gt;match&lt;/b&gt; funding');
    expect(html).toContain('SYNTHETIC DATA');
    expect(html).toMatch(/<svg[^>]*aria-label="Map of the target area/);
    expect(html).toContain('Scale bar');
    expect(html).toContain('North arrow');
    // Where the target is: the LSOAs around it, ward and district lines and names drawn under and over the layers.
    expect(html).toContain('District boundary');
    expect(html).toMatch(/stroke="#b8b8b8"/);
    expect(html).toMatch(/font-style="italic"[^>]*>[^<]+</);
    expect(html).toContain('Buffer ring: 500 m');
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/i);
    for (const code of [...block, loner]) expect(html).toContain(code);
    const csv = strFromU8(files['lsoas.csv']!).trim().split('\r\n');
    expect(csv[0]).toMatch(/^lsoa_code,lsoa_name,ward,district/);
    expect(csv).toHaveLength(8);
    const target = JSON.parse(strFromU8(files['target.geojson']!));
    expect(target.features[0]).toMatchObject({ properties: { kind: 'target', lsoas: 7 }, geometry: { type: 'MultiPolygon' } });
    expect(target.features).toHaveLength(8);
    expect(JSON.parse(strFromU8(files['comparison.geojson']!)).features[0].properties.kind).toBe('comparison');
    expect(JSON.parse(strFromU8(files['buffer.geojson']!)).features[0]).toMatchObject({ properties: { kind: 'buffer', bufferM: 500 } });
  });

  it('serves the report as HTML with a strict content security policy', async () => {
    const res = await t.app.request(`/api/bids/${id}/report.html`, { headers: { Authorization: `Bearer ${await t.tokenFor('viewer')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Content-Security-Policy')).toMatch(/default-src 'none'/);
    expect(await res.text()).toContain('<h1>Evidence pack: &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
  });

  it('404 for other organisations and unknown bids; 400 for a bid with no LSOAs', async () => {
    expect((await t.call('GET', `/api/bids/${id}/pack`, { role: 'admin', orgId: ORG_B })).status).toBe(404);
    expect((await t.call('GET', `/api/bids/${id}/report.html`, { role: 'admin', orgId: ORG_B })).status).toBe(404);
    expect((await t.call('GET', '/api/bids/no-such-bid/pack', { role: 'viewer' })).status).toBe(404);
    const empty = await t.call('POST', '/api/bids', { role: 'bid-writer', body: { ...draft(), name: 'Empty', selection: [] } });
    const res = await t.call('GET', `/api/bids/${empty.json.id}/pack`, { role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/no LSOAs selected/);
    expect((await t.call('GET', `/api/bids/${id}/pack?format=pdf`, { role: 'viewer' })).json.detail).toMatch(/unknown field\(s\) "format"/);
  });
});

describe('GET /api/safer-streets-areas/:id/evaluation', () => {
  let areaId: string;
  beforeAll(async () => {
    const target = (await t.call('POST', '/api/bids/selection', { role: 'viewer', body: { codes: block } })).json.target;
    const res = await t.call('POST', '/api/safer-streets-areas', {
      role: 'bid-writer',
      body: { name: 'Funded block', round: 'R4', theme: 'neighbourhood', amountGbp: 250000, startDate: '2024-01-01', endDate: '2024-12-31', geometry: target },
    });
    expect(res.status).toBe(201);
    areaId = res.json.id;
  });

  it('compares equal windows before and after in the target, a comparison area and the buffer, with DiD and caveats', async () => {
    const res = await t.call('GET', `/api/safer-streets-areas/${areaId}/evaluation?start=2024-01&months=12&bufferM=300`, { role: 'viewer' });
    expect(res.status).toBe(200);
    const e = res.json;
    expect(e.before).toEqual({ from: '2023-01', to: '2023-12' });
    expect(e.after).toEqual({ from: '2024-01', to: '2024-12' });
    expect(e.complete).toBe(true);
    expect(e.categories).toEqual([{ key: 'neighbourhood-crime', label: 'Neighbourhood crime' }]);
    expect(e.monthly).toHaveLength(24);
    const sum = (k: string, from: number, to: number) => e.monthly.slice(from, to).reduce((n: number, m: any) => n + m[k], 0);
    expect(e.target.before).toBe(sum('target', 0, 12));
    expect(e.target.after).toBe(sum('target', 12, 24));
    expect(e.comparison.before).toBe(sum('comparison', 0, 12));
    expect(e.buffer.after).toBe(sum('buffer', 12, 24));
    expect(e.buffer.bufferM).toBe(300);
    expect(e.comparison.suggested).toBe(true);
    expect(e.comparison.lsoas.length).toBeGreaterThan(0);
    for (const c of e.comparison.lsoas) expect(block).not.toContain(c.code);
    const expected = e.target.before * (e.comparison.after / e.comparison.before);
    expect(e.did.absolute).toBeCloseTo(e.target.after - expected, 0);
    expect(e.did.unscaled).toBe(e.target.change - e.comparison.change);
    expect(e.caveats.join(' ')).toMatch(/significance/);
    expect(e.caveats.join(' ')).toMatch(/Regression to the mean/);
    expect(e.caveats.join(' ')).toMatch(/Displacement/);
  });

  it('takes the comparison LSOAs given; 400s name the problem; other organisations get 404', async () => {
    const given = await t.call('GET', `/api/safer-streets-areas/${areaId}/evaluation?start=2024-07&months=6&comparison=${loner}`, { role: 'viewer' });
    expect(given.status).toBe(200);
    expect(given.json.comparison).toMatchObject({ suggested: false, lsoas: [{ code: loner }] });
    expect(given.json.before).toEqual({ from: '2024-01', to: '2024-06' });
    const cases: [string, RegExp][] = [
      ['start=2024-01&months=30', /months is 1 to 24/],
      ['months=6', /start/],
      ['start=2026-01', /no crime data from 2026-01/],
      ['start=2023-01&months=12', /no crime data in the 12 months before 2023-01/],
      ['start=2024-01&comparison=E01999999', /unknown LSOA code.*E01999999/],
      ['start=2024-01&colour=red', /unknown field\(s\) "colour"/],
    ];
    for (const [q, message] of cases) {
      const res = await t.call('GET', `/api/safer-streets-areas/${areaId}/evaluation?${q}`, { role: 'viewer' });
      expect(res.status, q).toBe(400);
      expect(res.json.detail).toMatch(message);
    }
    expect((await t.call('GET', `/api/safer-streets-areas/${areaId}/evaluation?start=2024-01`, { role: 'admin', orgId: ORG_B })).status).toBe(404);
  });

  it('notes a partial after-window', async () => {
    const res = await t.call('GET', `/api/safer-streets-areas/${areaId}/evaluation?start=2024-07&months=12`, { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json.complete).toBe(false);
    expect(res.json.monthsAvailable).toEqual({ before: 12, after: 6 });
    expect(res.json.notes.join(' ')).toMatch(/Incomplete windows/);
  });
});
