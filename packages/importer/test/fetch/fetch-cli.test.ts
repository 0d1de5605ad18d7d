import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/fetch-cli';
import { LAD_A, LAD_B, buildWorld, crimesIn, startFixtureServer, type FixtureServer } from './fixture-server';

const world = buildWorld({ crimesPerLsoa: 6, months: ['2024-01', '2024-02', '2024-03'] });
let server: FixtureServer;
let failing: FixtureServer;
let otherForce: FixtureServer;
let tmp: string;

class Capture {
  text = '';
  write(s: string) {
    this.text += s;
    return true;
  }
}

async function run(argv: string[], target: FixtureServer = server) {
  const out = new Capture();
  const err = new Capture();
  const code = await main(
    [...argv, '--police-api', target.policeUrl, '--ons-api', target.onsUrl],
    out,
    err,
    { env: {}, cwd: tmp, settings: { http: { baseDelayMs: 5, maxDelayMs: 20, maxRetries: 2 } } },
  );
  return { code, out: out.text, err: err.text };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'fetch-cli-'));
  server = await startFixtureServer(world, { maxCrimesPerPolygon: 40, onsPageSize: 5 });
  failing = await startFixtureServer(world, {
    intercept: (r) => (r.path.endsWith('/all-crime') && r.form?.get('date') === '2024-02' ? { status: 500, body: 'boom' } : undefined),
  });
  otherForce = await startFixtureServer(world, { forceAt: (lon) => (lon > -1.17 ? 'derbyshire' : 'nottinghamshire') });
});
afterAll(async () => {
  await Promise.all([server.close(), failing.close(), otherForce.close()]);
  await rm(tmp, { recursive: true, force: true });
});

const BASE = ['--force', 'nottinghamshire', '--lad', `${LAD_A},${LAD_B}`];

describe('fetch-data CLI, --skip-import', () => {
  it('downloads crimes and boundaries and writes the files the importer reads', async () => {
    const dir = join(tmp, 'out1');
    const r = await run([...BASE, '--from', '2024-01', '--to', '2024-03', '--out', dir, '--skip-import']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Force: Nottinghamshire Police/);
    expect(r.out).toMatch(/Not imported \(--skip-import\)/);
    expect((await readdir(dir)).sort()).toEqual([
      '2024-01-nottinghamshire-street.csv',
      '2024-02-nottinghamshire-street.csv',
      '2024-03-nottinghamshire-street.csv',
      'SOURCES.txt',
      'lsoa21-boundaries.geojson',
      'lsoa21-to-ward24-lad24.csv',
    ]);

    for (const month of world.months) {
      const text = await readFile(join(dir, `${month}-nottinghamshire-street.csv`), 'utf8');
      const [header, ...rows] = parse(text) as string[][];
      expect(text.split('\n')[0]).toBe('Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context');
      expect(header).toHaveLength(12);
      const expected = crimesIn(world, month, [LAD_A, LAD_B]);
      expect(rows).toHaveLength(expected.length);
      const ids = rows.filter((row) => row[0] !== '').map((row) => row[0]);
      expect(new Set(ids).size).toBe(ids.length);
      for (const row of rows) {
        expect(row[1]).toBe(month);
        expect(row[2]).toBe('Nottinghamshire Police');
        expect(row[3]).toBe('Nottinghamshire Police');
        expect(row[7]).toBe('');
        if (row[9] === 'Anti-social behaviour') expect(row[0]).toBe('');
        else expect(row[0]).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(rows.some((row) => row[6] === 'On or near The Drive, Park Lane')).toBe(true);
      expect(rows.some((row) => row[6] === 'On or near "The Oval"')).toBe(true);
      // Coordinates exactly as served.
      const byCoord = new Set(expected.map((c) => `${c.location!.longitude},${c.location!.latitude}`));
      for (const row of rows) expect(byCoord.has(`${row[4]},${row[5]}`)).toBe(true);
    }

    const lookup = parse(await readFile(join(dir, 'lsoa21-to-ward24-lad24.csv'), 'utf8')) as string[][];
    expect(lookup[0]).toEqual(['lsoa21cd', 'lsoa21nm', 'wd24cd', 'wd24nm', 'lad24cd', 'lad24nm']);
    expect(lookup).toHaveLength(1 + 15);

    const geo = JSON.parse(await readFile(join(dir, 'lsoa21-boundaries.geojson'), 'utf8')) as {
      type: string;
      features: { properties: Record<string, string>; geometry: { type: string } }[];
    };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features).toHaveLength(15);
    expect(Object.keys(geo.features[0]!.properties)).toEqual(['LSOA21CD', 'LSOA21NM', 'WD24CD', 'WD24NM', 'LAD24CD', 'LAD24NM']);
    expect(new Set(geo.features.map((f) => f.properties.LAD24CD))).toEqual(new Set([LAD_A, LAD_B]));

    const sources = await readFile(join(dir, 'SOURCES.txt'), 'utf8');
    expect(sources).toMatch(/Open Government Licence v3.0/);
    expect(sources).toMatch(/Contains OS data © Crown copyright and database right/);
  });

  it('warns about requested months police.uk does not have and fetches the rest', async () => {
    const dir = join(tmp, 'out2');
    const r = await run([...BASE, '--from', '2023-11', '--to', '2024-01', '--out', dir, '--skip-import']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: police.uk has no street-level crime for 2023-11 to 2023-12 \(the API holds 2024-01 to 2024-03/);
    expect((await readdir(dir)).filter((f) => f.endsWith('-street.csv'))).toEqual(['2024-01-nottinghamshire-street.csv']);
  });

  it('defaults to the twelve months ending with the newest, under data/fetched in the working folder', async () => {
    const r = await run([...BASE, '--skip-import']);
    expect(r.code).toBe(0);
    expect(r.err).toBe(''); // months nobody asked for are not worth a warning
    const dir = join(tmp, 'data', 'fetched', 'nottinghamshire-2024-01-to-2024-03');
    expect(existsSync(join(dir, '2024-03-nottinghamshire-street.csv'))).toBe(true);
  });

  it('warns when police.uk places a district in another force', async () => {
    const r = await run([...BASE, '--to', '2024-01', '--out', join(tmp, 'out3'), '--skip-import'], otherForce);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`police.uk places ${LAD_B} in force 'derbyshire', not 'nottinghamshire'`));
    expect(r.err).not.toMatch(new RegExp(`places ${LAD_A}`));
  });

  it('fails with exit code 1 naming the month and area when a download fails for good', async () => {
    const r = await run([...BASE, '--out', join(tmp, 'out4'), '--skip-import'], failing);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`download failed: crimes for 2024-02 in ${LAD_A},${LAD_B} \\(box .*\\) failed after 3 attempts: HTTP 500: boom`));
  });
});

describe('fetch-data CLI, bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['missing --force', ['--lad', LAD_A], /--force is required/],
    ['a bad month', ['--force', 'nottinghamshire', '--lad', LAD_A, '--from', '2024-1'], /--from '2024-1' is not a month/],
    ['--from after --to', ['--force', 'nottinghamshire', '--lad', LAD_A, '--from', '2024-03', '--to', '2024-01'], /--from 2024-03 is after --to 2024-01/],
    ['a bad LAD code', ['--force', 'nottinghamshire', '--lad', 'Mansfield'], /'MANSFIELD' is not a local authority district/],
  ];
  it.each(cases)('%s: exit code 2, a clear message, nothing fetched', async (_name, argv, message) => {
    const before = server.requests.length;
    const r = await run([...argv, '--skip-import']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/Usage: npm run fetch-data/);
    expect(server.requests.length).toBe(before);
  });

  it('an unknown force: exit code 2 before any crime or boundary is fetched', async () => {
    const before = server.requests.length;
    const r = await run(['--force', 'nottingham', '--lad', LAD_A, '--skip-import', '--out', join(tmp, 'never')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/police.uk has no force 'nottingham'/);
    expect(server.requests.slice(before).every((q) => q.path.includes('/forces'))).toBe(true);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('an unknown district: exit code 2, no crimes fetched', async () => {
    const before = server.requests.length;
    const r = await run(['--force', 'nottinghamshire', '--lad', `${LAD_A},E07000999`, '--skip-import', '--out', join(tmp, 'never2')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no LSOAs for E07000999/);
    expect(server.requests.slice(before).some((q) => q.path.endsWith('/all-crime'))).toBe(false);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--force <id>/);
  });
});

describe('fetch-data CLI with the import', () => {
  it('imports what it downloaded: the stored crime count equals what police.uk served', async () => {
    const dataDir = join(tmp, 'store');
    const r = await run([...BASE, '--from', '2024-01', '--to', '2024-03', '--out', join(tmp, 'out-import'), '--dataset', 'fetched', '--data-dir', dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Import into dataset "fetched" finished/);

    const expected = world.months.map((m) => crimesIn(world, m, [LAD_A, LAD_B]).length);
    const { openStore } = await import('../../src/index');
    const store = await openStore({ dataDir });
    try {
      const summary = await store.reference.getDataset('fetched');
      expect(summary).toMatchObject({ firstMonth: '2024-01', lastMonth: '2024-03', lsoaCount: 15 });
      expect(summary!.crimeCount).toBe(expected.reduce((a, b) => a + b, 0));
      const counts = await store.reference.getMonthlyCounts('fetched', '2024-01', '2024-03');
      expect(counts.map((m) => [...m.counts.values()].flat().reduce((a, b) => a + b, 0))).toEqual(expected);
      // Every crime landed in one of the downloaded LSOAs (none unplaced).
      const codes = new Set(world.lsoas.filter((l) => l.lad === LAD_A || l.lad === LAD_B).map((l) => l.code));
      for (const m of counts) for (const code of m.counts.keys()) expect(codes.has(code)).toBe(true);
    } finally {
      await store.close();
    }
  }, 60_000);
});
