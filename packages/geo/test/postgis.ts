import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AreaGeometry } from '@safer-places/schemas';

/**
 * The PostGIS baseline of the join benchmark: the classic database way to place points in polygons, measured on this
 * machine in a throwaway PostgreSQL cluster (initdb in a temporary folder, a Unix socket only, no network, removed
 * after). The polygons get a GiST index; the points are a plain table; the measured query is the spatial join
 *
 *   SELECT count(*) FROM points p JOIN polygons l ON ST_Intersects(l.geom, p.geom)
 *
 * with parallel query off (`max_parallel_workers_per_gather = 0`), so one core does the work, as the locator does; its
 * time is the server's own execution time (EXPLAIN ANALYZE, timing of nodes off), the median of `runs` (the upper one
 * of two). Loading the data and building the index are not timed.
 *
 * Needs the PostgreSQL server programs (found through `pg_config --bindir`) and the PostGIS extension (Debian:
 * `apt-get install postgresql-15-postgis-3`). Without them it says what is missing and measures nothing. Run as root
 * (a container), the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
 */
export type PostgisJoin =
  /** `matched`: the point–polygon pairs the join found (a point on a shared boundary counts with each polygon). */
  | { ok: true; version: string; medianMs: number; runsMs: number[]; pointsPerSecond: number; matched: number }
  | { ok: false; reason: string };

export function postgisJoin(polygons: readonly { code: string; geometry: AreaGeometry }[], xy: Float64Array, runs = 2): PostgisJoin {
  let bindir: string;
  try {
    bindir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return { ok: false, reason: 'PostgreSQL was not found (no pg_config on the PATH)' };
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'sp-postgis-'));
  const data = join(dir, 'data');
  const server = (program: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bindir, program), ...args]] : [join(bindir, program), args];
    const r = spawnSync(cmd, argv, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${program} failed: ${(r.stderr || r.stdout || r.error?.message || '').trim().slice(0, 400)}`);
  };
  const psql = (sql: string) => {
    const r = spawnSync(join(bindir, 'psql'), ['-h', dir, '-U', 'bench', '-d', 'postgres', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], { input: sql, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (r.status !== 0) throw new Error((r.stderr || r.stdout).trim().slice(0, 400));
    return r.stdout.trim();
  };
  let started = false;
  try {
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(dir, uid, gid);
    }
    server('initdb', ['-D', data, '-U', 'bench', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const options = `-k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_parallel_workers_per_gather=0 -c shared_buffers=256MB -c work_mem=64MB`;
    server('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
    started = true;
    try {
      psql('CREATE EXTENSION postgis;');
    } catch (err) {
      return { ok: false, reason: `the PostGIS extension is not installed (${(err as Error).message.split('\n')[0]})` };
    }
    const version = psql('SELECT postgis_lib_version();');
    // Tab-separated text for COPY: GeoJSON has no tabs, newlines or backslashes to escape.
    const polygonFile = join(dir, 'polygons.tsv');
    writeFileSync(polygonFile, polygons.map((p) => `${p.code}\t${JSON.stringify(p.geometry)}\n`).join(''));
    const pointFile = join(dir, 'points.tsv');
    const lines: string[] = [];
    for (let i = 0; i < xy.length / 2; i++) lines.push(`${i}\tSRID=4326;POINT(${xy[2 * i]} ${xy[2 * i + 1]})\n`);
    writeFileSync(pointFile, lines.join(''));
    psql(`
      CREATE TABLE polygons_in (code text, geojson text);
      \\copy polygons_in FROM '${polygonFile}'
      CREATE TABLE polygons AS SELECT code, ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326) AS geom FROM polygons_in;
      CREATE INDEX ON polygons USING gist (geom);
      CREATE TABLE points (id integer, geom geometry(Point, 4326));
      \\copy points FROM '${pointFile}'
      VACUUM ANALYZE polygons;
      VACUUM ANALYZE points;
    `);
    const query = 'SELECT count(*) FROM points p JOIN polygons l ON ST_Intersects(l.geom, p.geom)';
    type Plan = { 'Actual Rows': number; Plans?: Plan[] };
    const runsMs: number[] = [];
    let matched = 0;
    for (let r = 0; r < runs; r++) {
      const [explained] = JSON.parse(psql(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${query};`)) as { 'Execution Time': number; Plan: Plan }[];
      runsMs.push(explained!['Execution Time']);
      // The count's input: the pairs the join found.
      matched = explained!.Plan.Plans?.[0]?.['Actual Rows'] ?? NaN;
    }
    const medianMs = [...runsMs].sort((a, b) => a - b)[Math.floor(runsMs.length / 2)]!;
    return { ok: true, version, medianMs, runsMs, pointsPerSecond: xy.length / 2 / (medianMs / 1000), matched };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  } finally {
    if (started) {
      try {
        server('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // The folder goes anyway.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
