import { Hono } from 'hono';
import { crimeSelectionOf, dosageCsv, parseOrThrow, patrolGeoJson, patrolGpx, type Clock, type PlanningService } from '@safer-places/domain';
import {
  cameraViewsRequestSchema,
  coverageRequestSchema,
  dosageReportQuerySchema,
  helpPointQuerySchema,
  patrolPlanQuerySchema,
  rotationQuerySchema,
  sitesRequestSchema,
  type Principal,
} from '@safer-places/schemas';
import { noteAudit } from '../audit';
import { readJson, type AppEnv } from '../middleware';

/**
 * The planner's analyses: patrol plans (with GPX and GeoJSON), CCTV coverage gaps and "what if", candidate camera
 * sites, re-deployable camera rotation, help point suggestions and the dosage report. Everyone signed in may read them
 * (viewers included); what a planner records (visits, deployments, cameras) goes through the asset routes, whose
 * writes are the planners' and admins'. Each parsed request goes to its use case as it is, with its crime selection
 * (crimeSelectionOf: dataset, scope, types, months) in the use case's words.
 */
export function planningRoutes(service: PlanningService, clock: Clock) {
  const app = new Hono<AppEnv>();

  const patrol = (query: Record<string, string>, principal: Principal) => {
    const q = parseOrThrow(patrolPlanQuerySchema, query, 'patrol plan query');
    return service.patrolPlan({ ...q, ...crimeSelectionOf(q, principal) });
  };
  const fileStem = (plan: Awaited<ReturnType<typeof patrol>>) => `patrol-plan-${plan.period.from}-to-${plan.period.to}`;

  app.get('/patrol', async (c) => c.json(await patrol(c.req.query(), c.get('principal'))));
  app.get('/patrol.gpx', async (c) => {
    const plan = await patrol(c.req.query(), c.get('principal'));
    noteAudit(c, { action: 'export', detail: `patrol plan ${plan.period.from} to ${plan.period.to} (GPX)` });
    c.header('Content-Type', 'application/gpx+xml; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${fileStem(plan)}.gpx"`);
    return c.body(patrolGpx(plan, clock.now()));
  });
  app.get('/patrol.geojson', async (c) => {
    const plan = await patrol(c.req.query(), c.get('principal'));
    noteAudit(c, { action: 'export', detail: `patrol plan ${plan.period.from} to ${plan.period.to} (GeoJSON)` });
    c.header('Content-Type', 'application/geo+json');
    c.header('Content-Disposition', `attachment; filename="${fileStem(plan)}.geojson"`);
    return c.body(JSON.stringify(patrolGeoJson(plan)));
  });

  // The shape of each camera being placed, so the map draws what the analyses will count without projecting itself.
  app.post('/camera-views', async (c) => {
    const q = parseOrThrow(cameraViewsRequestSchema, await readJson(c.req), 'camera views request');
    return c.json(service.cameraViews(q.cameras));
  });

  app.post('/coverage', async (c) => {
    const q = parseOrThrow(coverageRequestSchema, await readJson(c.req), 'coverage request');
    return c.json(await service.coverageGaps(c.get('principal'), { ...q, ...crimeSelectionOf(q, c.get('principal')) }));
  });

  app.post('/sites', async (c) => {
    const q = parseOrThrow(sitesRequestSchema, await readJson(c.req), 'candidate sites request');
    return c.json(await service.candidateSites(c.get('principal'), { ...q, ...crimeSelectionOf(q, c.get('principal')) }));
  });

  app.get('/rotation', async (c) => {
    const q = parseOrThrow(rotationQuerySchema, c.req.query(), 'rotation query');
    return c.json(await service.rotation(c.get('principal'), { ...q, ...crimeSelectionOf(q, c.get('principal')) }));
  });

  app.get('/help-points', async (c) => {
    const q = parseOrThrow(helpPointQuerySchema, c.req.query(), 'help point query');
    return c.json(await service.helpPoints(c.get('principal'), { ...q, ...crimeSelectionOf(q, c.get('principal')) }));
  });

  app.get('/dosage', async (c) => {
    const q = parseOrThrow(dosageReportQuerySchema, c.req.query(), 'dosage report query');
    const report = await service.dosageReport(c.get('principal'), { ...q, ...(q.dataset && { datasetId: q.dataset }) });
    if (q.format === 'json') return c.json(report);
    noteAudit(c, { action: 'export', kind: 'patrol-visits', detail: `patrol dosage report ${report.month} (CSV)` });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="patrol-dosage-${report.month}.csv"`);
    return c.body(dosageCsv(report));
  });

  return app;
}
