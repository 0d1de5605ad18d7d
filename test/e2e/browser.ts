import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startApi, type RunningApi } from './server';

/** Where the browser tests leave their screenshots. */
export const ARTIFACTS = join(REPO_ROOT, 'test/artifacts');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh server on the demo data and one Chromium page at 1280×800, collecting uncaught page errors. */
export interface BrowserSession {
  api: RunningApi;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openBrowserSession(): Promise<BrowserSession> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const api = await startApi();
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, acceptDownloads: true });
  // Waits are hang guards: generous, so a loaded machine slows a run down but never fails it.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return {
    api,
    browser,
    context,
    page,
    pageErrors,
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await api.stop();
    },
  };
}

/** Map layer ids the app uses for each user-facing layer (kept in step with apps/web/src/map/layers/ids.ts). */
export const PRIMARY_LAYER = {
  lsoas: 'lsoa-fill',
  cameras: 'cameras-symbol',
  'help-points': 'help-points-symbol',
  'pspo-zones': 'pspo-fill',
  'safer-streets-areas': 'safer-streets-fill',
} as const;
export type LayerName = keyof typeof PRIMARY_LAYER;

export const LAYER_LABEL: Record<LayerName, RegExp> = {
  lsoas: /Crime and deprivation by LSOA/,
  cameras: /^CCTV cameras/,
  'help-points': /CCTV refuge help points/,
  'pspo-zones': /PSPO zones/,
  'safer-streets-areas': /Safer Streets target areas/,
};

/** Waits until the map has stopped moving and drawn everything. */
export async function waitForMapIdle(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(() => window.__saferPlacesMap!.loaded() && !window.__saferPlacesMap!.isMoving(), undefined, { timeout, polling: 100 });
}

/**
 * Screen pixels (whole, so clicks land exactly) for lon/lat positions, each checked to be on the map canvas rather
 * than under a panel or the legend.
 */
export async function canvasPixels(page: Page, points: readonly [number, number][]): Promise<{ x: number; y: number }[]> {
  const px = await page.evaluate((pts) => {
    const map = window.__saferPlacesMap!;
    const rect = map.getCanvas().getBoundingClientRect();
    return pts.map(([lon, lat]) => {
      const q = map.project([lon, lat]);
      const x = Math.round(rect.left + q.x);
      const y = Math.round(rect.top + q.y);
      return { x, y, onCanvas: document.elementFromPoint(x, y) === map.getCanvas() };
    });
  }, points);
  const off = px.find((q) => !q.onCanvas);
  if (off) throw new Error(`${off.x},${off.y} is not on the map canvas`);
  return px.map(({ x, y }) => ({ x, y }));
}

export async function waitForMapReady(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => window.__saferPlacesReady === true, undefined, { timeout, polling: 200 });
}

/** Number of rendered features of one map layer in the whole viewport. */
export async function renderedCount(page: Page, layerId: string): Promise<number> {
  return page.evaluate((id) => {
    const map = window.__saferPlacesMap;
    if (!map || !map.getLayer(id)) return -1;
    return map.queryRenderedFeatures({ layers: [id] }).length;
  }, layerId);
}

/** Waits until the rendered count of a layer satisfies the predicate (rendering is asynchronous). */
export async function waitForRendered(page: Page, layerId: string, predicate: 'some' | 'none', timeout = 20_000): Promise<number> {
  const handle = await page.waitForFunction(
    ([id, want]) => {
      const map = window.__saferPlacesMap;
      if (!map || !map.getLayer(id)) return false;
      const n = map.queryRenderedFeatures({ layers: [id] }).length;
      return (want === 'some' ? n > 0 : n === 0) ? n + 1 : false; // +1 so that 0 is truthy
    },
    [layerId, predicate] as const,
    { timeout, polling: 100 },
  );
  return ((await handle.jsonValue()) as number) - 1;
}

export interface ScreenTarget {
  x: number;
  y: number;
  id: string;
  name: string;
}

/**
 * A screen point where a click lands on the given feature layer and nothing above it: the top rendered feature
 * there belongs to `layerId`, no higher-priority clickable layer is hit, and no page element covers the canvas.
 */
export async function findClickTarget(
  page: Page,
  layerId: string,
  idField: 'code' | 'id',
  blockers: string[],
  /** Features not to pick (e.g. ones already chosen). */
  exclude: string[] = [],
): Promise<ScreenTarget | null> {
  return page.evaluate(
    ({ layerId, idField, blockers, exclude }) => {
      const map = window.__saferPlacesMap!;
      const canvas = map.getCanvas();
      const rect = canvas.getBoundingClientRect();
      const existing = blockers.filter((b) => map.getLayer(b));
      const features = map.queryRenderedFeatures({ layers: [layerId] });
      const seen = new Set<string>(exclude);
      for (const f of features) {
        const id = String(f.properties[idField]);
        if (seen.has(id)) continue;
        seen.add(id);
        const g = f.geometry;
        const coords: number[][] =
          g.type === 'Point' ? [g.coordinates] : g.type === 'Polygon' ? g.coordinates.flat() : g.type === 'MultiPolygon' ? g.coordinates.flat(2) : [];
        if (coords.length === 0) continue;
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (const c of coords) {
          const p = map.project([c[0]!, c[1]!]);
          minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x); minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
        }
        const candidates: [number, number][] = [];
        if (g.type === 'Point') candidates.push([minX, minY]);
        else {
          const steps = 7;
          for (let i = 1; i < steps; i++) for (let j = 1; j < steps; j++) candidates.push([minX + ((maxX - minX) * i) / steps, minY + ((maxY - minY) * j) / steps]);
        }
        for (const [fx, fy] of candidates) {
          // Clicks arrive at whole pixels: test those, and a few pixels around, so an edge sliver is never chosen.
          const x = Math.round(fx);
          const y = Math.round(fy);
          if (x < 8 || y < 8 || x > rect.width - 8 || y > rect.height - 8) continue;
          const inside = (g.type === 'Point' ? [[0, 0]] : [[0, 0], [-3, 0], [3, 0], [0, -3], [0, 3]]).every(([dx, dy]) => {
            const hit = map.queryRenderedFeatures([x + dx!, y + dy!], { layers: [layerId] })[0];
            return hit !== undefined && String(hit.properties[idField]) === id;
          });
          if (!inside) continue;
          const box: [[number, number], [number, number]] = [[x - 8, y - 8], [x + 8, y + 8]];
          if (existing.length && map.queryRenderedFeatures(box, { layers: existing }).length > 0) continue;
          const el = document.elementFromPoint(rect.left + x, rect.top + y);
          if (el !== canvas) continue;
          return { x: rect.left + x, y: rect.top + y, id, name: String(f.properties.name ?? '') };
        }
      }
      return null;
    },
    { layerId, idField, blockers, exclude },
  );
}

/** What the header says for each role once signed in. */
export const ROLE_LABEL: Record<string, string> = {
  analyst: 'Partnership analyst',
  'bid-writer': 'Bid writer',
  planner: 'Planner',
  viewer: 'Viewer (read only)',
  admin: 'Administrator',
};

/** Signs in through the header's role picker and waits until the header names the new role. */
export async function signInAs(page: Page, role: string): Promise<void> {
  await page.getByTestId('role-select').selectOption(role);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('signed-in-as').filter({ hasText: ROLE_LABEL[role] ?? role }).waitFor({ state: 'visible', timeout: 60_000 });
}

/**
 * Zooms the map to the first feature of a layer as the API lists it (clear of the legend card on the left) and waits
 * until the map has finished drawing, so small areas such as PSPO zones become easy click targets.
 */
export async function zoomToFirstFeature(page: Page, layer: LayerName): Promise<void> {
  const ok = await page.evaluate(async (name) => {
    const token = sessionStorage.getItem('saferPlaces.token');
    const res = await fetch(`/api/layers/${name}`, { headers: { authorization: `Bearer ${token}` } });
    const fc = (await res.json()) as { features: E2eRenderedFeature[] };
    const g = fc.features[0]?.geometry;
    if (!g) return false;
    const coords: number[][] = g.type === 'Point' ? [g.coordinates] : g.type === 'Polygon' ? g.coordinates.flat() : g.type === 'MultiPolygon' ? g.coordinates.flat(2) : [];
    const xs = coords.map((c) => c[0]!);
    const ys = coords.map((c) => c[1]!);
    const pad = 0.002;
    window.__saferPlacesMap!.fitBounds([[Math.min(...xs) - pad, Math.min(...ys) - pad], [Math.max(...xs) + pad, Math.max(...ys) + pad]], {
      padding: { top: 40, bottom: 40, left: 320, right: 60 },
      duration: 0,
      maxZoom: 16,
    });
    return true;
  }, layer);
  if (!ok) throw new Error(`the ${layer} layer has no feature to zoom to`);
  await page.waitForFunction(() => {
    const map = window.__saferPlacesMap!;
    return map.loaded() && !map.isMoving();
  }, undefined, { timeout: 60_000, polling: 100 });
  await page.waitForTimeout(300);
}

/** Calls the API from inside the page with the signed-in user's token. */
export async function apiFromPage<T>(p: Page, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
  return p.evaluate(
    async ({ path, init }) => {
      const token = sessionStorage.getItem('saferPlaces.token');
      const res = await fetch(path, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
        ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      return { status: res.status, body: body as T };
    },
    { path, init },
  );
}

/** The body of an API call made from inside the page (for reads that are expected to succeed). */
export async function apiJson<T>(p: Page, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return (await apiFromPage<T>(p, path, init)).body;
}
