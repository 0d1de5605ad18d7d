import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '@safer-places/importer';
import { mustHaveSharedData, sharedDataAvailable, SHARED_DATA } from '../integration/shared-data';
import { ARTIFACTS, PRIMARY_LAYER, launchChromium, renderedCount, signInAs, waitForMapIdle, waitForMapReady, waitForRendered } from './browser';
import { importCounty } from './county';
import { REPO_ROOT, startApi, type RunningApi } from './server';

/**
 * The self-hosted base map: a PMTiles archive generated here from the imported ONS boundaries (LSOA polygons as land,
 * district outlines as boundaries, ward and district names as places, in the Protomaps schema's layer names), served
 * by the local server with MAP_PMTILES, drawn in Chromium with the app's layers between its land and its labels.
 */

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

const ATTRIBUTION = 'Contains OS data © Crown copyright and database right; ONS (OGL v3)';

/** The layers of the fixture, from the LSOAs as the import stored them. */
async function fixtureLayers(dataDir: string): Promise<Record<string, FeatureCollection>> {
  const store = await openStore({ dataDir });
  let lsoas;
  try {
    lsoas = await store.reference.listLsoas('open-data');
  } finally {
    await store.close();
  }
  expect(lsoas.length).toBe(684);
  const polygons = lsoas.map((l) => turf.feature(l.geometry as Polygon | MultiPolygon, { district: l.districtName, ward: l.wardName ?? '' }));
  const group = (key: 'district' | 'ward') => {
    const out = new Map<string, Feature<Polygon | MultiPolygon>[]>();
    for (const p of polygons) if (p.properties[key]) out.set(p.properties[key], [...(out.get(p.properties[key]) ?? []), p]);
    return out;
  };
  const districts = group('district');
  const wards = group('ward');
  const outlines = [...districts.values()].flatMap((parts) => {
    const merged = turf.union(turf.featureCollection(parts))!;
    const line = turf.polygonToLine(merged);
    return (line.type === 'FeatureCollection' ? line.features : [line]).map((f) => ({ ...f, properties: { kind: 'region', kind_detail: 6 } }));
  });
  const label = (name: string, parts: Feature<Polygon | MultiPolygon>[], minZoom: number, rank: number) =>
    turf.point(turf.centroid(turf.featureCollection(parts)).geometry.coordinates, { kind: 'locality', name, min_zoom: minZoom, population_rank: rank });
  return {
    earth: turf.featureCollection(polygons.map((p) => ({ ...p, properties: { kind: 'earth' } }))),
    boundaries: turf.featureCollection(outlines) as FeatureCollection,
    places: turf.featureCollection([...[...districts].map(([n, p]) => label(n, p, 6, 12)), ...[...wards].map(([n, p]) => label(n, p, 10, 8))]),
  };
}

describe.runIf(sharedDataAvailable)('a PMTiles base map generated from the imported boundaries', () => {
  let api: RunningApi;
  let browser: Browser;
  let work: string;
  const archiveAnswers: number[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dataDir = await importCounty('basemap', { deprivation: false });
    work = mkdtempSync(join(tmpdir(), 'safer-places-basemap-'));
    const args: string[] = [];
    for (const [name, fc] of Object.entries(await fixtureLayers(dataDir))) {
      writeFileSync(join(work, `${name}.geojson`), JSON.stringify(fc));
      args.push('--layer', `${name}=${join(work, `${name}.geojson`)}`);
    }
    const archive = join(work, 'nottinghamshire-boundaries.pmtiles');
    const built = spawnSync('npx', ['tsx', 'apps/api/scripts/vector-basemap.ts', ...args, '--maxzoom', '12', '--attribution', ATTRIBUTION, '--out', archive], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/Wrote .*nottinghamshire-boundaries\.pmtiles: \d+ tiles/);
    api = await startApi({ dataDir, env: { MAP_PMTILES: archive } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is named by GET /api/config, and served from the same origin with range requests', async () => {
    const config = (await (await fetch(`${api.url}/api/config`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ mapStyleUrl: null, basemap: { kind: 'pmtiles', url: '/basemap/nottinghamshire-boundaries.pmtiles', attribution: ATTRIBUTION } });
    const part = await fetch(`${api.url}/basemap/nottinghamshire-boundaries.pmtiles`, { headers: { range: 'bytes=0-6' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe('PMTiles');
    expect((await fetch(`${api.url}/basemap/other.pmtiles`)).status).toBe(404);
  });

  async function openAt(width: number, height: number): Promise<{ page: Page; errors: string[]; warnings: string[] }> {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    const errors: string[] = [];
    const warnings: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
    });
    page.on('response', (r) => {
      if (r.url().includes('/basemap/')) archiveAnswers.push(r.status());
    });
    await page.goto(api.url);
    await signInAs(page, 'analyst');
    await waitForMapReady(page);
    await waitForMapIdle(page, 60_000);
    return { page, errors, warnings };
  }

  for (const [width, height] of [
    [1280, 800],
    [1024, 700],
  ] as const) {
    it(`draws land, district boundaries and place names under the app's layers at ${width}×${height}`, async () => {
      const { page, errors, warnings } = await openAt(width, height);
      const style = await page.evaluate(() => {
        const s = window.__saferPlacesMap!.getStyle();
        return { name: s.name, glyphs: (s as { glyphs?: string }).glyphs ?? null, ids: s.layers.map((l) => l.id) };
      });
      expect(style.name).toBe('Safer Places base map (PMTiles)');
      expect(style.glyphs).toBeNull();
      // The shading sits above the land and below the first label layer; street and place names stay on top.
      const at = (id: string) => style.ids.indexOf(id);
      expect(at('earth')).toBeGreaterThanOrEqual(0);
      expect(at(PRIMARY_LAYER.lsoas)).toBeGreaterThan(at('boundaries'));
      expect(at(PRIMARY_LAYER.lsoas)).toBeLessThan(at('places_locality'));

      expect(await waitForRendered(page, 'earth', 'some', 60_000)).toBeGreaterThan(0);
      expect(await waitForRendered(page, 'boundaries', 'some', 60_000)).toBeGreaterThan(0);
      expect(await renderedCount(page, PRIMARY_LAYER.lsoas)).toBeGreaterThan(0);
      const attribution = await page.locator('.maplibregl-ctrl-attrib').innerText();
      expect(attribution).toContain('Contains OS data © Crown copyright');
      await page.screenshot({ path: join(ARTIFACTS, `basemap-pmtiles-${width}x${height}.png`) });

      // The base map's own labels, drawn with the browser's fonts (no glyph server). This fixture's names sit where the
      // app's context layer puts the same names, whose labels win the collision; with the app's labels hidden the base
      // map's show: district names at the county view.
      await page.evaluate(() => {
        // The MapLibre map, with the two methods this needs (the test's own map type lists only what most tests use).
        const map = window.__saferPlacesMap! as unknown as {
          getStyle(): { layers: { id: string; type: string; source?: string }[] };
          setLayoutProperty(id: string, name: string, value: string): void;
        };
        for (const l of map.getStyle().layers) if (l.type === 'symbol' && l.source !== 'basemap') map.setLayoutProperty(l.id, 'visibility', 'none');
      });
      expect(await waitForRendered(page, 'places_locality', 'some', 60_000)).toBeGreaterThan(0);
      const names = await page.evaluate(() => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['places_locality'] }).map((f) => String(f.properties.name)));
      expect(names.some((n) => /^(Mansfield|Ashfield|Bassetlaw|Gedling|Rushcliffe|Broxtowe|Newark and Sherwood|Nottingham)$/.test(n)), names.join(', ')).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, `basemap-pmtiles-labels-${width}x${height}.png`) });

      // Closer in: ward names appear (their min_zoom is 10).
      await page.evaluate(() => window.__saferPlacesMap!.jumpTo({ center: [-1.195, 53.14], zoom: 12 }));
      await waitForMapIdle(page, 60_000);
      const wards = await page.evaluate(() => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['places_locality'] }).map((f) => String(f.properties.name)));
      expect(wards.length).toBeGreaterThan(3);
      await page.screenshot({ path: join(ARTIFACTS, `basemap-pmtiles-zoom12-${width}x${height}.png`) });

      expect(errors).toEqual([]);
      expect(warnings.filter((w) => /glyph|image .* could not be loaded|pmtiles|base map/i.test(w))).toEqual([]);
      await page.context().close();
    });
  }

  it('read the archive with range requests only (206), never the whole file', () => {
    expect(archiveAnswers.length).toBeGreaterThan(0);
    expect(new Set(archiveAnswers)).toEqual(new Set([206]));
  });
});
