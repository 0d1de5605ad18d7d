import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, PRIMARY_LAYER, openBrowserSession, signInAs, waitForMapIdle, waitForMapReady, waitForRendered, type BrowserSession } from './browser';

/**
 * An automated accessibility audit (axe-core, WCAG 2.x A and AA rules) of each main state of the app at 1280×800 and
 * 1024×700: signed out, the map, an LSOA's details, the search results, the attribute table, each analysis panel, the
 * scope dialog and the export dialog. No serious or critical violation is allowed; every state's full result (moderate
 * and minor findings included) is kept in test/artifacts/a11y-<state>-<width>.json with a screenshot.
 */

/** axe's source, evaluated in the page (the app's Content Security Policy rightly refuses an injected script tag). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: string[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: AxeNode[];
}
declare global {
  interface Window {
    axe?: { run(context: Document, options: Record<string, unknown>): Promise<{ violations: AxeViolation[]; passes: unknown[] }> };
  }
}

/** Runs axe on the page as it is; saves the result and a screenshot; returns the serious and critical violations. */
async function audit(p: Page, state: string): Promise<{ blocking: string[]; total: number; passes: number }> {
  if (!(await p.evaluate(() => !!window.axe))) await p.evaluate(AXE_SOURCE);
  const result = await p.evaluate(() =>
    window.axe!.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    }),
  );
  const width = p.viewportSize()?.width ?? 0;
  writeFileSync(join(ARTIFACTS, `a11y-${state}-${width}.json`), JSON.stringify(result.violations, null, 2));
  await p.screenshot({ path: join(ARTIFACTS, `a11y-${state}-${width}.png`) });
  const blocking = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${state} @${width}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  return { blocking, total: result.violations.length, passes: result.passes.length };
}

let session: BrowserSession;
beforeAll(async () => void (session = await openBrowserSession()), 300_000);
afterAll(() => session?.close());

/** Presses Escape until nothing more closes (the panels' own order), so each state starts from the plain map. */
async function backToMap(p: Page): Promise<void> {
  for (let i = 0; i < 4; i++) await p.keyboard.press('Escape');
  await waitForMapIdle(p);
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
]) {
  describe(`accessibility audit at ${viewport.width}×${viewport.height}`, () => {
    const found: string[] = [];
    const summary: Record<string, number> = {};
    let page: Page;

    beforeAll(async () => {
      page = await session.context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(session.api.url);
    }, 120_000);
    afterAll(async () => {
      writeFileSync(join(ARTIFACTS, `a11y-summary-${viewport.width}.json`), JSON.stringify({ violationsByState: summary, blocking: found }, null, 2));
      await page?.close();
    });

    const check = async (state: string) => {
      const r = await audit(page, state);
      summary[state] = r.total;
      found.push(...r.blocking);
      expect(r.blocking, r.blocking.join('\n')).toEqual([]);
    };

    it('signed out: the sign-in screen', async () => {
      await page.getByTestId('role-select').waitFor({ state: 'visible' });
      await check('signed-out');
    });

    it('the map with its layers, legend and controls', async () => {
      await signInAs(page, 'admin');
      await waitForMapReady(page);
      await waitForRendered(page, PRIMARY_LAYER.lsoas, 'some');
      await waitForMapIdle(page);
      await check('map');
    });

    it("an LSOA's details", async () => {
      const code = await page.evaluate((layer) => {
        const f = window.__saferPlacesMap!.queryRenderedFeatures({ layers: [layer] })[0];
        return f ? String(f.properties.code) : null;
      }, PRIMARY_LAYER.lsoas);
      expect(code).toBeTruthy();
      const box = await page.evaluate(
        ({ layer, code }) => {
          const map = window.__saferPlacesMap!;
          const rect = map.getCanvas().getBoundingClientRect();
          for (let y = 20; y < rect.height - 20; y += 10) {
            for (let x = 320; x < rect.width - 60; x += 10) {
              const hit = map.queryRenderedFeatures([x, y], { layers: [layer] })[0];
              if (hit && String(hit.properties.code) === code && document.elementFromPoint(rect.left + x, rect.top + y) === map.getCanvas()) return { x: rect.left + x, y: rect.top + y };
            }
          }
          return null;
        },
        { layer: PRIMARY_LAYER.lsoas, code },
      );
      if (box) {
        await page.mouse.click(box.x, box.y);
        await page.getByTestId('lsoa-count').waitFor({ state: 'visible' });
      }
      try {
        await check('lsoa-details');
      } finally {
        await backToMap(page);
      }
    });

    it('the scope dialog', async () => {
      await page.getByRole('button', { name: 'Places…' }).click();
      await page.getByRole('dialog').first().waitFor({ state: 'visible' });
      try {
        await check('scope-dialog');
      } finally {
        await backToMap(page);
      }
    });

    it('the search box with its results', async () => {
      const box = page.getByTestId('search-input');
      // A demo district's name (the demo places are "… (synthetic)").
      await box.fill('brackenford');
      await page.getByTestId('search-results').waitFor({ state: 'visible' });
      try {
        await check('search-results');
      } finally {
        await box.fill('');
        await backToMap(page);
      }
    });

    it('the attribute table', async () => {
      await page.getByTestId('attr-table-toggle').click();
      await page.getByTestId('attr-table').waitFor({ state: 'visible' });
      await page.getByTestId('attr-table').getByRole('row').nth(1).waitFor({ state: 'visible' });
      try {
        await check('attribute-table');
      } finally {
        await page.getByTestId('attr-table').getByRole('button', { name: /Close|Hide/ }).first().click();
        await backToMap(page);
      }
    });

    it('the export dialog', async () => {
      await page.getByRole('button', { name: 'Export map…' }).click();
      await page.getByRole('dialog').first().waitFor({ state: 'visible' });
      try {
        await check('export-dialog');
      } finally {
        await backToMap(page);
      }
    });

    it('drawing an area by typed coordinates', async () => {
      await page.getByRole('button', { name: 'Type or paste coordinates' }).click();
      const field = page.getByLabel('Corners, GeoJSON or WKT');
      await field.waitFor({ state: 'visible' });
      await field.fill('53.1, -1.2\n53.1');
      try {
        await check('coordinates-entry');
      } finally {
        await field.fill('');
        await page.getByRole('button', { name: 'Type or paste coordinates' }).click().catch(() => undefined);
        await backToMap(page);
      }
    });

    for (const [state, name] of [
      ['hotspots', 'Hot spot analysis'],
      ['planner', 'Patrols and CCTV'],
      ['bid', 'Bid: eligible LSOAs and evidence pack'],
    ] as const) {
      it(`the ${state} panel`, async () => {
        const button = page.getByRole('button', { name }).first();
        await button.click();
        await expect(button.getAttribute('aria-expanded')).resolves.toBe('true');
        if (state === 'hotspots') await page.getByTestId('hotspot-summary').waitFor({ state: 'visible', timeout: 60_000 });
        await waitForMapIdle(page);
        try {
          await check(state);
        } finally {
          if ((await button.getAttribute('aria-expanded')) === 'true') await button.click();
          await backToMap(page);
        }
      });
    }
  });
}
