import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';
import { main } from '../src/cli';
import { boundaryGeoJson, csv, tempDir, write } from './fixtures';

function sink() {
  let text = '';
  const stream = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

describe('npm run import', () => {
  it('imports, prints the report and exits 0', async () => {
    const dir = tempDir();
    const f = write(dir, 'in/lsoa21.geojson', boundaryGeoJson());
    const out = sink();
    const err = sink();
    expect(await main(['--data-dir', `${dir}/data`, f], out.stream, err.stream)).toBe(0);
    expect(out.text()).toMatch(/LSOAs \(2021\): 5/);
    expect(err.text()).toMatch(/Importing into the local store/);
  });

  it('exits 2 and says why for an unknown file or no arguments', async () => {
    const dir = tempDir();
    const f = write(dir, 'odd.csv', csv([['a'], ['1']]));
    const err = sink();
    expect(await main(['--data-dir', `${dir}/data`, f], sink().stream, err.stream)).toBe(2);
    expect(err.text()).toMatch(/nothing was imported[\s\S]*Expected one of/);
    const usage = sink();
    expect(await main([], sink().stream, usage.stream)).toBe(2);
    expect(usage.text()).toMatch(/Usage: npm run import/);
  });

  it('--target aws uses the deployed table through the AWS credential chain, and never creates one', async () => {
    const dynamo = await startEmbeddedDynamo();
    const saved = { ...process.env };
    // The SDK's standard endpoint override stands in for AWS here; nothing in the importer knows about it.
    Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-2' });
    try {
      const f = write(tempDir(), 'lsoa21.geojson', boundaryGeoJson());
      const noTable = sink();
      expect(await main(['--target', 'aws', f], sink().stream, noTable.stream)).toBe(2);
      expect(noTable.text()).toMatch(/--target aws needs --table/);
      const missing = sink();
      expect(await main(['--target', 'aws', '--table', 'safer-places-typo', f], sink().stream, missing.stream)).toBe(2);
      expect(missing.text()).toMatch(/no table "safer-places-typo"/);
      const doc = createDocumentClient({ endpoint: dynamo.endpoint });
      await ensureTable(doc, 'safer-places-prod');
      const out = sink();
      expect(await main(['--target', 'aws', '--table', 'safer-places-prod', f], out.stream, sink().stream)).toBe(0);
      expect(out.text()).toMatch(/LSOAs \(2021\): 5/);
      doc.destroy();
      expect(await main(['--target', 'mars', f], sink().stream, sink().stream)).toBe(2);
    } finally {
      process.env = saved;
      await dynamo.close();
    }
  });
});
