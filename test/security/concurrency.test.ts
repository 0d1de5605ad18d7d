import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createLocalTokenService } from '@safer-places/api';
import { createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { recordFigure } from './figures';

/**
 * Optimistic concurrency end to end: many analysts save the same area at once, all from the same version. The
 * conditional write must let exactly one through per version; the others get 409 with the current ETag, and the
 * stored area is exactly the winner's edit (no lost update, no mix of two edits).
 */
const PARALLEL = 20;
const ROUNDS = 5;

let dynamo: EmbeddedDynamo;
let doc: ReturnType<typeof createDocumentClient>;
let app: ReturnType<typeof createApp>;
let token: string;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, 'concurrency');
  const tokens = createLocalTokenService(new TextEncoder().encode('concurrency-test-secret-concurrency'));
  app = createApp({ ...dynamoPorts(doc, 'concurrency'), verifier: tokens.verifier, log: () => {} });
  token = (await tokens.issue({ userId: 'analyst-1', orgId: 'race-org', role: 'analyst' })).token;
});
afterAll(async () => {
  doc?.destroy();
  await dynamo?.close();
});

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined && { 'Content-Type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** A small anticlockwise square near Nottingham's Old Market Square, shifted a little per edit. */
const square = (shift: number) => {
  const [x, y, d] = [-1.15 + shift * 1e-4, 52.953, 0.002];
  return { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] };
};
const areaBody = (name: string, shift: number) => ({ name, theme: 'asb', shape: 'polygon', geometry: square(shift), notes: `edit ${name}` });

describe('parallel edits of one area with the same If-Match', () => {
  it(`${PARALLEL} PUTs per version: exactly one 200, the rest 409, and the winner's body is what is stored; ${ROUNDS} rounds`, async () => {
    const created = await call('POST', '/api/areas', areaBody('Race area', 0));
    expect(created.status).toBe(201);
    const area = (await created.json()) as { id: string; version: number };
    expect(area.version).toBe(1);

    const rounds: { version: number; ok: number; conflicts: number; winner: string }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const bodies = Array.from({ length: PARALLEL }, (_, i) => areaBody(`Round ${round} edit ${i}`, round * 100 + i));
      const responses = await Promise.all(bodies.map((b) => call('PUT', `/api/areas/${area.id}`, b, { 'If-Match': `"${round}"` })));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200), `round ${round}: ${statuses.join(',')}`).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(PARALLEL - 1);

      const winnerIndex = statuses.indexOf(200);
      const winner = (await responses[winnerIndex]!.json()) as Record<string, unknown>;
      expect(winner).toMatchObject({ ...bodies[winnerIndex], version: round + 1 });
      for (const r of responses.filter((x) => x.status === 409)) {
        expect(r.headers.get('ETag')).toBe(`"${round + 1}"`);
        expect(((await r.json()) as { error: string }).error).toBeTruthy();
      }

      const got = await call('GET', `/api/areas/${area.id}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('ETag')).toBe(`"${round + 1}"`);
      expect(await got.json()).toEqual(winner);
      rounds.push({ version: round, ok: 1, conflicts: PARALLEL - 1, winner: String(winner.name) });
    }

    // A late edit from a version long gone changes nothing either.
    const stale = await call('PUT', `/api/areas/${area.id}`, areaBody('Stale edit', 999), { 'If-Match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('ETag')).toBe(`"${ROUNDS + 1}"`);
    expect(((await (await call('GET', `/api/areas/${area.id}`)).json()) as { name: string }).name).toBe(rounds.at(-1)!.winner);

    // And parallel deletes at the current version: one 204, the others find it changed or gone.
    const deletes = await Promise.all(Array.from({ length: PARALLEL }, () => call('DELETE', `/api/areas/${area.id}`, undefined, { 'If-Match': `"${ROUNDS + 1}"` })));
    const deleteStatuses = deletes.map((r) => r.status);
    expect(deleteStatuses.filter((s) => s === 204)).toHaveLength(1);
    expect(deleteStatuses.every((s) => s === 204 || s === 404 || s === 409)).toBe(true);
    expect((await call('GET', `/api/areas/${area.id}`)).status).toBe(404);

    recordFigure(
      'Concurrency',
      `${PARALLEL} parallel PUT /api/areas/:id with one If-Match`,
      `${ROUNDS} rounds: ${rounds.map((r) => `${r.ok} × 200 + ${r.conflicts} × 409`).join('; ')}; stored = the winner's body every round, 0 lost or mixed updates`,
    );
    recordFigure('Concurrency', `${PARALLEL} parallel DELETE with one If-Match`, `${deleteStatuses.filter((s) => s === 204).length} × 204, ${deleteStatuses.filter((s) => s === 404).length} × 404, ${deleteStatuses.filter((s) => s === 409).length} × 409`);
  });
});
