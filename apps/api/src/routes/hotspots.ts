import { Hono } from 'hono';
import { parseOrThrow, type HotspotService } from '@safer-places/domain';
import { hotspotQuerySchema } from '@safer-places/schemas';
import type { AppEnv } from '../middleware';

export function hotspotRoutes(service: HotspotService) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const q = parseOrThrow(hotspotQuerySchema, c.req.query(), 'hotspot query');
    return c.json(
      await service.hotspots({
        ...(q.dataset && { datasetId: q.dataset }),
        categories: q.categories ?? [],
        ...(q.from && { from: q.from }),
        ...(q.to && { to: q.to }),
        ...(q.cellSize && { cellSize: q.cellSize }),
        shape: q.shape,
        correction: q.correction,
        top: q.top,
      }),
    );
  });
  return app;
}
