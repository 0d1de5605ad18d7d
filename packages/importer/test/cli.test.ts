import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
});
