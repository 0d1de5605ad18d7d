import { Hono } from 'hono';
import {
  assertValidArea,
  crimeSelectionOf,
  exportingAs,
  parseOrThrow,
  toCsv,
  type AreaAnalysisService,
  type AssetService,
  type ReferenceService,
  type ScopeResolver,
} from '@safer-places/domain';
import { AREA_THEME_LABELS, areaAnalyseSchema, areaStatsQuerySchema, strategicQuerySchema, type AreaStats, type DrawnArea, type StrategicTable } from '@safer-places/schemas';
import { noteAudit } from '../audit';
import { readJson, type AppEnv } from '../middleware';

const fileName = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'area';

function strategicRows(table: StrategicTable): (string | number | null)[][] {
  return [
    ['Crime type', `${table.current.from} to ${table.current.to}`, `${table.previous.from} to ${table.previous.to}`, 'Volume change', '% change', 'Suggested target'],
    ...table.rows.map((r) => [r.label, r.current, r.previous, r.change, r.changePct, r.target]),
  ];
}

/** The area's figures as one spreadsheet: what, where from, then each table. */
export function areaCsv(area: Pick<DrawnArea, 'name' | 'theme'> | null, stats: AreaStats): string {
  return toCsv([
    ['Safer Places area statistics'],
    ['Area', area?.name ?? 'Unsaved area'],
    ...(area ? [['Theme', AREA_THEME_LABELS[area.theme]]] : []),
    ['Dataset', stats.dataset.name + (stats.dataset.synthetic ? ' (SYNTHETIC, not real data)' : '')],
    ['Period', `${stats.period.from} to ${stats.period.to} (${stats.period.months} months)`],
    ['Categories', stats.categories.map((c) => c.label).join('; ')],
    ['Area (km²)', stats.areaKm2],
    ['Crimes in period', stats.total],
    ['Residents inside (area-weighted)', stats.populationInside],
    [],
    ['Crimes by category'],
    ['Category', 'Crimes'],
    ...stats.byCategory.map((r) => [r.label, r.count]),
    [],
    ['Strategic assessment (all categories)'],
    ...strategicRows(stats.strategic),
    [],
    ['Monthly trend (chosen categories)'],
    ['Month', 'Crimes'],
    ...stats.trend.map((t) => [t.month, t.count]),
    [],
    ['LSOAs overlapped'],
    ['LSOA code', 'LSOA name', 'Share of LSOA inside', 'Residents', 'Residents inside'],
    ...stats.lsoas.map((l) => [l.code, l.name, l.shareInside, l.population, l.populationInside]),
    [],
    ['Notes'],
    ...stats.notes.map((n) => [n]),
  ]);
}

export function areaRoutes(analysis: AreaAnalysisService, assets: AssetService, reference: ReferenceService, scopes: ScopeResolver) {
  const app = new Hono<AppEnv>();
  const query = (raw: Record<string, string>) => crimeSelectionOf(parseOrThrow(areaStatsQuerySchema, raw, 'area statistics query'));

  app.post('/analyse', async (c) => {
    const body = parseOrThrow(areaAnalyseSchema, await readJson(c.req), 'area');
    assertValidArea(body.geometry);
    return c.json(await analysis.analyse(c.get('principal'), body.geometry, crimeSelectionOf(body)));
  });
  app.get('/:id/stats', async (c) => {
    const area = await assets.get(c.get('principal'), 'areas', c.req.param('id'));
    return c.json(await analysis.analyse(c.get('principal'), area.geometry, query(c.req.query())));
  });
  app.get('/:id/export.csv', async (c) => {
    const area = await assets.get(c.get('principal'), 'areas', c.req.param('id'));
    // A file leaves the system: its counts include only what every user of the organisation may see.
    const stats = await analysis.analyse(exportingAs(c.get('principal')), area.geometry, query(c.req.query()));
    noteAudit(c, { action: 'export', kind: 'areas', itemIds: [area.id], detail: 'area statistics (CSV)' });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${fileName(area.name)}-statistics.csv"`);
    return c.body(areaCsv(area, stats));
  });
  app.get('/:id/export.geojson', async (c) => {
    const { geometry, orgId: _org, ...properties } = await assets.get(c.get('principal'), 'areas', c.req.param('id'));
    noteAudit(c, { action: 'export', kind: 'areas', itemIds: [properties.id], detail: 'area outline (GeoJSON)' });
    c.header('Content-Type', 'application/geo+json');
    c.header('Content-Disposition', `attachment; filename="${fileName(properties.name)}.geojson"`);
    return c.body(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id: properties.id, geometry, properties }] }));
  });
  return { areas: app, strategic: strategicRoute(reference, scopes) };
}

function strategicRoute(reference: ReferenceService, scopes: ScopeResolver) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const q = parseOrThrow(strategicQuerySchema, c.req.query(), 'strategic assessment query');
    const dataset = await reference.resolveDataset(q.dataset);
    const scope = await scopes.resolve(c.get('principal'), dataset, q.scope);
    const result = await reference.strategicAssessment({ groupBy: q.groupBy, ...(q.to && { to: q.to }) }, scope);
    if (q.format === 'json') return c.json(result);
    noteAudit(c, { action: 'export', detail: `strategic assessment of ${scope.summary.label} by ${q.groupBy} (CSV)` });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="strategic-assessment-${fileName(scope.summary.label)}-by-${q.groupBy}-${result.to}.csv"`);
    return c.body(
      toCsv([
        [`Strategic assessment of ${scope.summary.label} by ${q.groupBy === 'csp' ? 'Community Safety Partnership' : q.groupBy === 'all' ? 'the whole scope' : q.groupBy}`, result.dataset.name + (result.dataset.synthetic ? ' (SYNTHETIC, not real data)' : '')],
        ...result.tables.flatMap((t) => [[], [t.name, t.code], ...strategicRows(t.table)]),
        [],
        [result.tables[0]?.table.rule ?? ''],
      ]),
    );
  });
  return app;
}
