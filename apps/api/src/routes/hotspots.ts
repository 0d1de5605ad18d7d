import { Hono } from 'hono';
import { crimeSelectionOf, parseOrThrow, toCsv, type HotspotService } from '@safer-places/domain';
import { densityQuerySchema, hotspotChangeQuerySchema, hotspotQuerySchema, type Principal } from '@safer-places/schemas';
import { noteAudit } from '../audit';
import type { AppEnv } from '../middleware';

export function hotspotRoutes(service: HotspotService) {
  const app = new Hono<AppEnv>();
  const run = (query: Record<string, string>, principal: Principal) => {
    const q = parseOrThrow(hotspotQuerySchema, query, 'hotspot query');
    return service.hotspots({ ...q, ...crimeSelectionOf(q, principal) });
  };

  app.get('/', async (c) => c.json(await run(c.req.query(), c.get('principal'))));

  // The top-N table as a spreadsheet, one row per spot, with where the figures came from in the first rows.
  app.get('/top.csv', async (c) => {
    const r = await run(c.req.query(), c.get('principal'));
    const rows: (string | number | null)[][] = [
      ['Top hot spots', r.dataset.name, r.scope.label, `${r.period.from} to ${r.period.to}`, r.dataset.synthetic ? 'Synthetic demo data' : 'police.uk street crime'],
      ['Crime type', 'Rank', 'Crimes', 'Radius (m)', 'Location', 'Ward', 'District', 'LSOA code', 'LSOA name', 'Longitude', 'Latitude', 'Share on busiest published point', 'Snap-point warning'],
    ];
    for (const group of r.top) {
      for (const s of group.spots) {
        rows.push([group.label, s.rank, s.count, s.radiusM, s.location, s.ward, s.district, s.lsoaCode ?? null, s.lsoaName ?? null, s.lon, s.lat, s.busiestPointShare, s.snapPointWarning ? 'yes' : 'no']);
      }
    }
    noteAudit(c, { action: 'export', detail: `top hot spots of ${r.scope.label} ${r.period.from} to ${r.period.to} (CSV)` });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="top-hot-spots-${r.period.from}-to-${r.period.to}.csv"`);
    return c.body(toCsv(rows));
  });

  app.get('/change', async (c) => {
    const q = parseOrThrow(hotspotChangeQuerySchema, c.req.query(), 'hot-spot change query');
    return c.json(await service.change({ ...q, ...crimeSelectionOf(q, c.get('principal')) }));
  });

  app.get('/density', async (c) => {
    const q = parseOrThrow(densityQuerySchema, c.req.query(), 'density query');
    return c.json(await service.density({ ...q, ...crimeSelectionOf(q, c.get('principal')) }));
  });
  return app;
}
