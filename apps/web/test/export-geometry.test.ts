import { describe, expect, it } from 'vitest';
import { lengthLabel, metresPerPixel, niceLength, scaleBar } from '../src/features/export/scaleBar';
import { a4LandscapePixels, fitContain, layoutLegend, pngPage, pngPageWidth, printPage, TYPE, wrapText, type Measure } from '../src/features/export/layout';
import { boundsOf, captureRatio } from '../src/features/export/capture';
import { printPixelRatio } from '../src/features/export/useMapExport';
import { legendModel } from '../src/features/map/legendModel';
import { buildChoropleth } from '../src/features/map/choropleth';

/** A stand-in for canvas text measurement: every character 0.55 em wide (bold 0.6 em). */
const measure: Measure = (text, size, bold) => text.length * size * (bold ? 0.6 : 0.55);

describe('scale bar', () => {
  it('gives ground metres per pixel from latitude and zoom (Web Mercator, 512 px world)', () => {
    expect(metresPerPixel(0, 0)).toBeCloseTo((2 * Math.PI * 6371008.8) / 512, 3);
    // Each zoom level halves it; at 53° N (Nottinghamshire) cos(53°) ≈ 0.6018 of the equator's.
    expect(metresPerPixel(53, 12) / metresPerPixel(53, 13)).toBeCloseTo(2, 10);
    expect(metresPerPixel(53, 12)).toBeCloseTo(((2 * Math.PI * 6371008.8) / 512 / 4096) * Math.cos((53 * Math.PI) / 180), 6);
    // Independently: 512 px tiles at zoom 12 are 19.1 m a pixel on the equator (half the classic 256 px tiles' 38.2 m).
    expect(metresPerPixel(53, 12)).toBeGreaterThan(11.4);
    expect(metresPerPixel(53, 12)).toBeLessThan(11.6);
    expect(() => metresPerPixel(90, 1)).toThrow(RangeError);
  });

  it('rounds down to 1, 2 or 5 × a power of ten', () => {
    expect([0.4, 1, 1.9, 2, 4.99, 5, 9.9, 10, 999, 1000, 1234, 2500, 4999, 5000, 73_000].map(niceLength)).toEqual([1, 1, 1, 2, 2, 5, 5, 10, 500, 1000, 1000, 2000, 2000, 5000, 50_000]);
  });

  it('labels lengths in metres below a kilometre and in kilometres from one', () => {
    expect([1, 200, 500, 1000, 2000, 50_000].map(lengthLabel)).toEqual(['1 m', '200 m', '500 m', '1 km', '2 km', '50 km']);
  });

  it('makes the longest nice bar that fits, with its length in pixels', () => {
    expect(scaleBar(10, 140)).toEqual({ metres: 1000, px: 100, label: '1 km' });
    expect(scaleBar(2.5, 280)).toEqual({ metres: 500, px: 200, label: '500 m' });
    const bar = scaleBar(metresPerPixel(53, 11) / 2, 240); // a PNG at twice screen resolution
    expect(bar.px).toBeLessThanOrEqual(240);
    expect(bar.px).toBeGreaterThan(240 / 2.5); // a nice step never wastes more than 2.5×
    expect(() => scaleBar(0, 100)).toThrow(RangeError);
  });
});

describe('capture sizing', () => {
  it('draws at the ratio asked, never beyond the largest canvas side nor below 1', () => {
    expect(captureRatio(2, 900, 700)).toBe(2);
    expect(captureRatio(8, 1000, 500)).toBeCloseTo(4.096);
    expect(captureRatio(0.5, 100, 100)).toBe(1);
  });

  it('asks for enough pixels to fill the print page map area at 200 dpi', () => {
    const page = a4LandscapePixels(200);
    const regionW = page.width - (2 * TYPE.margin + TYPE.gap + TYPE.legendWidth) * page.unit;
    expect(printPixelRatio(900) * 900).toBeCloseTo(regionW, 6);
    expect(printPixelRatio(5000)).toBe(1);
  });

  it('boxes a route, widening a single point to a small view', () => {
    expect(boundsOf([[-1.2, 53.1], [-1.1, 53.0], [-1.15, 53.2]])).toEqual([-1.2, 53.0, -1.1, 53.2]);
    const one = boundsOf([[-1.2, 53.1]])!;
    expect(one[2] - one[0]).toBeCloseTo(0.002, 10);
    expect(one[3] - one[1]).toBeCloseTo(0.002, 10);
    expect(boundsOf([])).toBeNull();
  });
});

describe('text wrapping', () => {
  it('wraps greedily by measured width and keeps an over-long word whole', () => {
    // 10 px type: 5.5 px a character, so 60 px holds 10 characters.
    expect(wrapText('one two three four', 60, 10, false, measure)).toEqual(['one two', 'three four']);
    expect(wrapText('Supercalifragilistic word', 60, 10, false, measure)).toEqual(['Supercalifragilistic', 'word']);
    expect(wrapText('   ', 60, 10, false, measure)).toEqual([]);
  });
});

const visible = { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true } as const;
const rows = Array.from({ length: 40 }, (_, i) => ({ code: `E010000${String(i).padStart(2, '0')}`, count: i % 7 === 0 ? 0 : i * 3, ratePer1000: i * 1.7 }));
const model = legendModel({
  visible,
  showCoverage: true,
  choropleth: buildChoropleth('count', rows),
  period: { from: '2024-01', to: '2024-12' },
  categoryLabel: 'All crime and anti-social behaviour',
  category: 'all-crime',
  scope: { key: 'districts:E07000174', kind: 'districts', label: 'Mansfield', lsoaCount: 40, bbox: [-1.3, 53.1, -1.1, 53.2] },
  deprivationSource: null,
  truncated: [],
  showAreas: true,
});

describe('legend layout', () => {
  for (const unit of [1, 2, 200 / 96]) {
    it(`keeps every row, swatch and word inside the legend box at unit ${unit.toFixed(2)}`, () => {
      const l = layoutLegend(model, unit, measure);
      expect(l.width).toBe(TYPE.legendWidth * unit);
      const labels = l.ops.filter((o) => o.op === 'text').map((o) => (o as { text: string }).text).join(' ');
      for (const s of model.sections) for (const r of s.rows) for (const word of r.label.split(' ')) expect(labels).toContain(word);
      for (const o of l.ops) {
        expect(o.y).toBeGreaterThanOrEqual(0);
        if (o.op === 'swatch') {
          expect(o.x).toBeGreaterThanOrEqual(0);
          expect(o.x + o.w).toBeLessThanOrEqual(l.width);
          expect(o.y + o.h).toBeLessThanOrEqual(l.height);
        } else {
          const w = measure(o.text, o.size, o.bold);
          const left = o.align === 'right' ? o.x - w : o.x;
          expect(left).toBeGreaterThanOrEqual(0);
          expect(left + w).toBeLessThanOrEqual(l.width + 1e-9);
          expect(o.y + o.size * TYPE.lineHeight).toBeLessThanOrEqual(l.height);
        }
      }
      // Swatches never overlap one another.
      const sw = l.ops.filter((o) => o.op === 'swatch') as { x: number; y: number; w: number; h: number }[];
      for (let i = 0; i < sw.length; i++) {
        for (let j = i + 1; j < sw.length; j++) {
          const a = sw[i]!;
          const b = sw[j]!;
          const apart = a.x + a.w <= b.x + 1e-9 || b.x + b.w <= a.x + 1e-9 || a.y + a.h <= b.y + 1e-9 || b.y + b.h <= a.y + 1e-9;
          expect(apart, `swatches ${i} and ${j}`).toBe(true);
        }
      }
      expect(sw).toHaveLength(model.sections.reduce((n, s) => n + s.rows.length, 0));
    });
  }

  it('grows with the rows it holds and scales with the unit', () => {
    const one = layoutLegend(model, 1, measure);
    const two = layoutLegend(model, 2, measure);
    expect(two.height).toBeCloseTo(one.height * 2, 6);
    const fewer = layoutLegend({ ...model, sections: model.sections.slice(0, 1) }, 1, measure);
    expect(fewer.height).toBeLessThan(one.height);
  });

  it('sets icon rows two to a line only when every label fits its half', () => {
    const section = (labels: string[]) => ({
      sections: [{ id: 'cameras' as const, title: 'CCTV cameras', grid: true, before: [], notes: [], rows: labels.map((label) => ({ label, swatch: { kind: 'icon' as const, icon: 'sp-camera-fixed' } })) }],
      empty: null,
      warning: null,
    });
    const rowsOf = (labels: string[]) => new Set(layoutLegend(section(labels), 1, measure).ops.filter((o) => o.op === 'swatch').map((o) => o.y)).size;
    expect(rowsOf(['Fixed', 'PTZ', 'ANPR', 'Other'])).toBe(2);
    // 20 characters at 12 px are 132 px: more than half of the 230 px inside, less the swatch.
    expect(rowsOf(['Fixed', 'A much longer label!', 'ANPR', 'Other'])).toBe(4);
  });

  it('says when every layer is off', () => {
    const l = layoutLegend({ sections: [], empty: 'All layers are switched off.', warning: null }, 1, measure);
    expect(l.ops.some((o) => o.op === 'text' && o.text.includes('switched off'))).toBe(true);
  });
});

describe('page layout', () => {
  const within = (r: { x: number; y: number; w: number; h: number }, page: { width: number; height: number }) =>
    r.x >= 0 && r.y >= 0 && r.x + r.w <= page.width + 1e-6 && r.y + r.h <= page.height + 1e-6;
  const disjoint = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
    a.x + a.w <= b.x + 1e-6 || b.x + b.w <= a.x + 1e-6 || a.y + a.h <= b.y + 1e-6 || b.y + b.h <= a.y + 1e-6;

  it('puts a PNG page around the map at its own size: title on top, legend beside, attribution below', () => {
    const p = pngPage({ mapW: 1800, mapH: 1400, unit: 2, headerH: 90, legendH: 900, footerH: 30 });
    expect(p.width).toBe(pngPageWidth(1800, 2));
    expect(p.width).toBe(32 + 1800 + 24 + 500 + 32);
    expect(p.map).toMatchObject({ w: 1800, h: 1400, scale: 1 });
    expect(p.legend.x).toBe(p.map.x + p.map.w + 24);
    expect(p.map.y).toBeGreaterThanOrEqual(p.header.y + p.header.h);
    expect(p.footer.y).toBeGreaterThanOrEqual(p.map.y + p.map.h);
    for (const r of [p.header, p.map, p.legend, p.footer]) expect(within(r, p)).toBe(true);
    expect(disjoint(p.map, p.legend)).toBe(true);
    // A legend taller than the map makes the page taller, never overlapping the attribution.
    const tall = pngPage({ mapW: 400, mapH: 300, unit: 1, headerH: 40, legendH: 700, footerH: 20 });
    expect(tall.footer.y).toBeGreaterThanOrEqual(tall.legend.y + tall.legend.h);
    expect(within(tall.footer, tall)).toBe(true);
  });

  it('sizes A4 landscape at 200 dpi and keeps type at its screen size', () => {
    expect(a4LandscapePixels(200)).toEqual({ width: 2339, height: 1654, unit: 200 / 96 });
    expect(a4LandscapePixels(96)).toMatchObject({ width: 1123, height: 794, unit: 1 });
    expect(() => a4LandscapePixels(0)).toThrow(RangeError);
  });

  it('fits the map into the print page keeping its shape, and shrinks a legend taller than the room', () => {
    const page = a4LandscapePixels(200);
    const p = printPage({ ...page, headerH: 120, footerH: 40, legendH: 900, imageW: 1800, imageH: 1400 });
    expect(p.map.w / p.map.h).toBeCloseTo(1800 / 1400, 6);
    expect(p.legend.scale).toBe(1);
    for (const r of [p.header, p.map, p.legend, p.footer]) expect(within(r, p)).toBe(true);
    expect(disjoint(p.map, p.legend)).toBe(true);
    expect(disjoint(p.map, p.footer)).toBe(true);
    const tall = printPage({ ...page, headerH: 120, footerH: 40, legendH: 5000, imageW: 3000, imageH: 1000 });
    expect(tall.legend.scale).toBeLessThan(1);
    expect(tall.legend.y + tall.legend.h).toBeLessThanOrEqual(tall.footer.y);
    expect(disjoint(tall.map, tall.legend)).toBe(true);
    expect(() => printPage({ ...page, headerH: 2000, footerH: 40, legendH: 10, imageW: 10, imageH: 10 })).toThrow(RangeError);
  });

  it('fits an image inside a region, centred', () => {
    expect(fitContain(200, 100, { x: 0, y: 0, w: 100, h: 100 })).toEqual({ x: 0, y: 25, w: 100, h: 50, scale: 0.5 });
    expect(fitContain(100, 200, { x: 10, y: 10, w: 100, h: 100 })).toEqual({ x: 35, y: 10, w: 50, h: 100, scale: 0.5 });
  });
});
