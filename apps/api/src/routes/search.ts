import { Hono } from 'hono';
import { parseOrThrow, type SearchService } from '@safer-places/domain';
import { searchQuerySchema } from '@safer-places/schemas';
import type { AppEnv } from '../middleware';

/**
 * `GET /api/search?q=…&dataset=…&bbox=…`: the search box. Any signed-in role; the answer holds only shared reference
 * data and police.uk crimes (no organisation's items), so the organisation in the token chooses nothing here.
 */
export function searchRoutes(search: SearchService) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const query = parseOrThrow(searchQuerySchema, c.req.query(), 'search query');
    return c.json(await search.search(query));
  });
  return app;
}
