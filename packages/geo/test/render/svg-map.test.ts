import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '@safer-places/schemas';
import { escapeXml, svgMap } from '../../src/index';

const sq: AreaGeometry = { type: 'Polygon', coordinates: [[[-1.2, 53], [-1.18, 53], [-1.18, 53.012], [-1.2, 53.012], [-1.2, 53]]] };

describe('svgMap', () => {
  it('draws each layer as a path with a scale bar and a north arrow, and escapes text', () => {
    const svg = svgMap([{ geometries: [sq], fill: '#f00', stroke: '#000', label: '<b>Target</b>' }], { title: '<script>alert(1)</script>', width: 400, height: 300 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;b&gt;Target&lt;/b&gt;');
    expect(svg).toMatch(/aria-label="Scale bar (\d+ m|\d+ km)"/);
    expect(svg).toContain('North arrow');
    expect((svg.match(/<path /g) ?? []).length).toBe(1);
    // The square (≈1.34 km wide) fills ~250 px: a quarter of the 400 px frame is ~535 m, so the bar is 500 m.
    expect(svg).toContain('Scale bar 500 m');
  });

  it('says so when there is nothing to draw', () => {
    expect(svgMap([], { title: 'Empty' })).toContain('No area to draw');
    expect(escapeXml(`a&b"c'`)).toBe('a&amp;b&quot;c&#39;');
  });
});
