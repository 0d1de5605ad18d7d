import { describe, expect, it } from 'vitest';
import { allMapImages, cameraIconSpec, helpPointIconSpec, insideShape, rasterizeHatch, rasterizeIcon, type IconSpec } from '../src/map/icons';
import type { IconImage } from '../src/map/types';
import { CAMERA_SYMBOLS, HELP_POINT_COLOUR, hexToRgb } from '../src/map/palette';

function pixel(img: IconImage, x: number, y: number): [number, number, number, number] {
  const i = (y * img.width + x) * 4;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!, img.data[i + 3]!];
}
const rgb = (hex: string) => hexToRgb(hex);
const base: IconSpec = { shape: 'circle', size: 20, fill: '#0072B2', stroke: '#000000', strokeWidth: 2 };

describe('rasterizeIcon', () => {
  it('makes a square RGBA buffer of size × pixelRatio', () => {
    const img = rasterizeIcon({ ...base, pixelRatio: 2 });
    expect([img.width, img.height, img.pixelRatio]).toEqual([40, 40, 2]);
    expect(img.data).toHaveLength(40 * 40 * 4);
  });

  it('fills the middle with the fill colour at full opacity', () => {
    const img = rasterizeIcon(base);
    expect(pixel(img, 10, 10)).toEqual([...rgb('#0072B2'), 255]);
  });

  it('draws the stroke colour just inside the edge', () => {
    const img = rasterizeIcon(base);
    // Middle row: the circle's edge is 9.2 px from the centre, the 2 px stroke spans 7.2–9.2 px,
    // so pixel 1 (centre 8.5 px out) is pure stroke and pixel 5 (4.5 px out) pure fill.
    expect(pixel(img, 1, 10)).toEqual([0, 0, 0, 255]);
    expect(pixel(img, 5, 10)).toEqual([...rgb('#0072B2'), 255]);
  });

  it('leaves a circle\'s corners transparent but fills a square\'s', () => {
    expect(pixel(rasterizeIcon(base), 0, 0)[3]).toBe(0);
    const square = rasterizeIcon({ ...base, shape: 'square' });
    expect(pixel(square, 3, 3)[3]).toBe(255);
    expect(pixel(square, 0, 0)[3]).toBe(0); // square is inset by 10 %
  });

  it('points the triangle up: narrow at the top, wide at the bottom', () => {
    const img = rasterizeIcon({ ...base, shape: 'triangle', size: 40 });
    const opaqueIn = (row: number) => Array.from({ length: 40 }, (_, x) => pixel(img, x, row)[3]).filter((a) => a > 128).length;
    expect(opaqueIn(4)).toBeLessThan(8);
    expect(opaqueIn(32)).toBeGreaterThan(30);
    expect(pixel(img, 0, 4)[3]).toBe(0);
  });

  it('makes the diamond opaque at the centre and transparent at the corners', () => {
    const img = rasterizeIcon({ ...base, shape: 'diamond' });
    expect(pixel(img, 10, 10)[3]).toBe(255);
    expect(pixel(img, 1, 1)[3]).toBe(0);
    expect(pixel(img, 18, 18)[3]).toBe(0);
  });

  it('anti-aliases edges with partial alpha', () => {
    const img = rasterizeIcon({ ...base, size: 30 });
    const alphas = new Set<number>();
    for (let i = 3; i < img.data.length; i += 4) alphas.add(img.data[i]!);
    expect([...alphas].some((a) => a > 0 && a < 255)).toBe(true);
  });

  it('scales alpha by the icon opacity', () => {
    expect(pixel(rasterizeIcon({ ...base, opacity: 0.5 }), 10, 10)[3]).toBe(128);
  });

  it('draws a plus glyph over the fill', () => {
    const img = rasterizeIcon({ ...base, size: 40, glyph: { kind: 'plus', colour: '#ffffff' } });
    expect(pixel(img, 20, 20)).toEqual([255, 255, 255, 255]);
    expect(pixel(img, 20, 11)).toEqual([255, 255, 255, 255]); // upper arm
    expect(pixel(img, 12, 12).slice(0, 3)).toEqual(rgb('#0072B2')); // between the arms
  });

  it('distinguishes live (solid) and planned (hollow) help points without relying on colour', () => {
    const live = rasterizeIcon(helpPointIconSpec('live'));
    const planned = rasterizeIcon(helpPointIconSpec('planned'));
    // Between the arms of the plus: green when live, white when planned.
    expect(pixel(live, 6, 7).slice(0, 3)).toEqual(rgb(HELP_POINT_COLOUR));
    expect(pixel(planned, 6, 7).slice(0, 3)).toEqual([255, 255, 255]);
  });

  it('draws every camera type in its own colour', () => {
    for (const type of ['fixed', 'ptz', 'redeployable', 'anpr'] as const) {
      const img = rasterizeIcon(cameraIconSpec(type));
      const c = Math.floor(img.width / 2);
      expect(pixel(img, c, c + 2).slice(0, 3)).toEqual(rgb(CAMERA_SYMBOLS[type].colour));
    }
  });
});

describe('insideShape', () => {
  it('honours the inset', () => {
    expect(insideShape('circle', 0.85, 0, 0)).toBe(true);
    expect(insideShape('circle', 0.85, 0, 0.2)).toBe(false);
    expect(insideShape('square', 0.79, 0.79, 0)).toBe(true);
    expect(insideShape('square', 0.81, 0, 0)).toBe(false);
    expect(insideShape('triangle', 0, 0, 0.1)).toBe(true);
    expect(insideShape('triangle', 0.6, -0.6, 0)).toBe(false);
  });
});

describe('rasterizeHatch', () => {
  const img = rasterizeHatch({ size: 12, spacing: 6, lineWidth: 2, colour: '#542788', alpha: 0.5 });
  it('colours diagonal stripes and leaves the rest transparent', () => {
    expect(pixel(img, 0, 0)).toEqual([0x54, 0x27, 0x88, 128]);
    expect(pixel(img, 1, 0)[3]).toBe(128);
    expect(pixel(img, 3, 0)[3]).toBe(0);
    expect(pixel(img, 5, 1)[3]).toBe(128); // (5 + 1) % 6 === 0
  });
  it('tiles seamlessly: 2 × 2 copies form one unbroken set of diagonal stripes', () => {
    for (let y = 0; y < 24; y++) {
      for (let x = 0; x < 24; x++) {
        const on = pixel(img, x % 12, y % 12)[3] > 0;
        expect(on, `(${x}, ${y})`).toBe((x + y) % 6 < 2);
      }
    }
  });
  it('refuses sizes that would not tile', () => {
    expect(() => rasterizeHatch({ size: 10, spacing: 6, lineWidth: 2, colour: '#000000', alpha: 1 })).toThrow(RangeError);
  });
});

describe('allMapImages', () => {
  it('provides the four camera icons, two help point icons, the PSPO hatch and numbered hot spot markers', () => {
    const images = allMapImages(2);
    const keys = [...images.keys()];
    expect(keys.filter((k) => !k.startsWith('sp-hotspot-')).sort()).toEqual(['sp-camera-anpr', 'sp-camera-fixed', 'sp-camera-ptz', 'sp-camera-redeployable', 'sp-help-live', 'sp-help-planned', 'sp-pspo-hatch']);
    // Ranks 1–20 for each of three crime types.
    expect(keys.filter((k) => k.startsWith('sp-hotspot-'))).toHaveLength(60);
    expect(images.has('sp-hotspot-2-20')).toBe(true);
    expect(images.get('sp-camera-fixed')!.width).toBe(36);
    expect(images.get('sp-pspo-hatch')!.pixelRatio).toBe(2);
  });
});
