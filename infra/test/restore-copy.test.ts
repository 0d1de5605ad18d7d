import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { main } from '../scripts/restore-copy';

class Capture {
  text = '';
  write(s: string) {
    this.text += s;
    return true;
  }
}

let dynamo: EmbeddedDynamo;
let doc: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  for (const t of ['restored', 'live']) await ensureTable(doc, t);
  const put = (TableName: string, Item: Record<string, unknown>) => doc.send(new PutCommand({ TableName, Item }));
  // The restored table: two organisations' cameras and a crime chunk (binary attributes) from before the mistake.
  await put('restored', { pk: 'ORG#notts-csp', sk: 'ASSET#cameras#c1', name: 'Market Place', version: 1 });
  await put('restored', { pk: 'ORG#notts-csp', sk: 'ASSET#cameras#c2', name: 'Bus station', version: 3 });
  await put('restored', { pk: 'ORG#derbys-csp', sk: 'ASSET#cameras#d1', name: 'Derby Road', version: 1 });
  await put('restored', { pk: 'DS#open-data#CRIME#2024-03', sk: 'CHUNK#0000', xy: new Uint8Array([1, 2, 3]), n: 3 });
  // The live table after the mistake: c1 deleted, c2 edited; a camera created since, which must survive.
  await put('live', { pk: 'ORG#notts-csp', sk: 'ASSET#cameras#c2', name: 'Bus station (wrong)', version: 4 });
  await put('live', { pk: 'ORG#notts-csp', sk: 'ASSET#cameras#c3', name: 'New since', version: 1 });
});
afterAll(async () => {
  doc?.destroy();
  await dynamo?.close();
});

const get = async (pk: string, sk: string) => (await doc.send(new GetCommand({ TableName: 'live', Key: { pk, sk } }))).Item;
const run = async (args: string[]) => {
  const out = new Capture();
  const err = new Capture();
  const code = await main([...args, '--endpoint', dynamo.endpoint], out, err);
  return { code, out: out.text, err: err.text };
};

describe('restore-copy (point-in-time recovery back into the live table)', () => {
  it('refuses unclear requests', async () => {
    expect((await run(['--from', 'restored'])).code).toBe(2);
    expect((await run(['--from', 'live', '--to', 'live'])).err).toMatch(/same table/);
    expect((await run(['--from', 'restored', '--to', 'live', '--org', 'ORG#x'])).code).toBe(2);
  });

  it('counts without writing on --dry-run', async () => {
    const r = await run(['--from', 'restored', '--to', 'live', '--org', 'notts-csp', '--dry-run']);
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/Would copy 2 item\(s\)/) });
    expect(await get('ORG#notts-csp', 'ASSET#cameras#c1')).toBeUndefined();
  });

  it("brings back one organisation's items and leaves everything else alone", async () => {
    const r = await run(['--from', 'restored', '--to', 'live', '--org', 'notts-csp']);
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/Copied 2 item\(s\).*organisation notts-csp/) });
    expect(await get('ORG#notts-csp', 'ASSET#cameras#c1')).toMatchObject({ name: 'Market Place' });
    expect(await get('ORG#notts-csp', 'ASSET#cameras#c2')).toMatchObject({ name: 'Bus station', version: 3 });
    expect(await get('ORG#notts-csp', 'ASSET#cameras#c3')).toMatchObject({ name: 'New since' });
    expect(await get('ORG#derbys-csp', 'ASSET#cameras#d1')).toBeUndefined();
  });

  it('copies the whole table, binary attributes included', async () => {
    expect((await run(['--from', 'restored', '--to', 'live'])).out).toMatch(/Copied 4 item\(s\)/);
    expect(await get('ORG#derbys-csp', 'ASSET#cameras#d1')).toMatchObject({ name: 'Derby Road' });
    expect((await get('DS#open-data#CRIME#2024-03', 'CHUNK#0000'))?.xy).toEqual(new Uint8Array([1, 2, 3]));
  });
});
