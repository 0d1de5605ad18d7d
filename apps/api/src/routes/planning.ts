import { Hono } from 'hono';
import { dosageCsv, parseOrThrow, patrolGeoJson, patrolGpx, type Clock, type PlanningService } from '@safer-places/domain';
import {
  coverageRequestSchema,
  dosageReportQuerySchema,
  helpPointQuerySchema,
  patrolPlanQuerySchema,
  rotationQuerySchema,
  sitesRequestSchema,
  type CategorySelection,
  type Principal,
  type Scope,
} from '@safer-places/schemas';
import { noteAudit } from '../audit';
import { readJson, type AppEnv } from '../middleware';

/**
 * The planner's analyses: patrol plans (with GPX and GeoJSON), CCTV coverage gaps and "what if", candidate camera
 * sites, re-deployable camera rotation, help point suggestions and the dosage report. Everyone signed in may read them
 * (viewers included); what a planner records (visits, deployments, cameras) goes through the asset routes, whose
 * writes are the planners' and admins'.
 */
/** Which crimes an analysis looks at: dataset, crime types and months, as the request gives them. */
function crimeSelection(
  q: { dataset?: string | undefined; scope?: Scope | undefined; categories?: CategorySelection[] | undefined; from?: string | undefined; to?: string | undefined },
  principal: Principal,
) {
  return {
    principal,
    ...(q.dataset && { datasetId: q.dataset }),
    ...(q.scope && { scope: q.scope }),
    categories: q.categories ?? [],
    ...(q.from && { from: q.from }),
    ...(q.to && { to: q.to }),
  };
}

export function planningRoutes(service: PlanningService, clock: Clock) {
  const app = new Hono<AppEnv>();

  const patrol = (query: Record<string, string>, principal: Principal) => {
    const q = parseOrThrow(patrolPlanQuerySchema, query, 'patrol plan query');
    return service.patrolPlan({
      ...crimeSelection(q, principal),
      top: q.top,
      start: q.start,
      ...(q.bbox && { bbox: q.bbox }),
      minutes: q.minutes,
      perDay: q.perDay,
      speedKmh: q.speedKmh,
      roundTrip: q.roundTrip,
    });
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

  app.post('/coverage', async (c) => {
    const q = parseOrThrow(coverageRequestSchema, await readJson(c.req), 'coverage request');
    return c.json(
      await service.coverageGaps(c.get('principal'), {
        ...crimeSelection(q, c.get('principal')),
        ...(q.cellSize && { cellSize: q.cellSize }),
        correction: q.correction,
        top: q.top,
        proposed: q.proposed,
      }),
    );
  });

  app.post('/sites', async (c) => {
    const q = parseOrThrow(sitesRequestSchema, await readJson(c.req), 'candidate sites request');
    return c.json(
      await service.candidateSites(c.get('principal'), {
        ...crimeSelection(q, c.get('principal')),
        ...(q.cellSize && { cellSize: q.cellSize }),
        correction: q.correction,
        proposed: q.proposed,
        k: q.k,
        cameraType: q.cameraType,
        ...(q.coverageRadiusM !== undefined && { coverageRadiusM: q.coverageRadiusM }),
        ...(q.candidates && { candidates: q.candidates }),
      }),
    );
  });

  app.get('/rotation', async (c) => {
    const q = parseOrThrow(rotationQuerySchema, c.req.query(), 'rotation query');
    return c.json(
      await service.rotation(c.get('principal'), {
        ...crimeSelection(q, c.get('principal')),
        ...(q.cellSize && { cellSize: q.cellSize }),
        correction: q.correction,
        ...(q.periods !== undefined && { periods: q.periods }),
        suggestions: q.suggestions,
      }),
    );
  });

  app.get('/help-points', async (c) => {
    const q = parseOrThrow(helpPointQuerySchema, c.req.query(), 'help point query');
    return c.json(
      await service.helpPoints(c.get('principal'), {
        principal: c.get('principal'),
        ...(q.dataset && { datasetId: q.dataset }),
        ...(q.scope && { scope: q.scope }),
        ...(q.from && { from: q.from }),
        ...(q.to && { to: q.to }),
        top: q.top,
        distanceM: q.distanceM,
      }),
    );
  });

  app.get('/dosage', async (c) => {
    const q = parseOrThrow(dosageReportQuerySchema, c.req.query(), 'dosage report query');
    const report = await service.dosageReport(c.get('principal'), { ...(q.dataset && { datasetId: q.dataset }), ...(q.month && { month: q.month }), beforeMonths: q.beforeMonths });
    if (q.format === 'json') return c.json(report);
    noteAudit(c, { action: 'export', kind: 'patrol-visits', detail: `patrol dosage report ${report.month} (CSV)` });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="patrol-dosage-${report.month}.csv"`);
    return c.body(dosageCsv(report));
  });

  return app;
}
