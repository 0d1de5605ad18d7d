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

  it('frames the chosen extent, draws the context under the layers with escaped names, and a locator', () => {
    const sq = (x: number, y: number, d = 0.01): AreaGeometry => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
    const target = sq(-1.15, 53);
    const far = sq(-0.9, 53.2);
    const svg = svgMap(
      [
        { geometries: [far], fill: '#92c5de', stroke: '#0571b0', hatch: true, label: 'Comparison area' },
        { geometries: [target], fill: '#f4a582', stroke: '#7f3b08', label: 'Target' },
      ],
      {
        title: 'Framed',
        frame: [target],
        context: {
          outlines: [sq(-1.16, 53), sq(-1.14, 53)],
          lines: [{ kind: 'major', paths: [[[-1.14, 52.99], [-1.14, 53.02]]] }],
          labels: [
            { at: [-1.145, 53.005], text: '<i>Bulwell</i>', kind: 'minor' },
            { at: [-0.5, 53.5], text: 'Far away', kind: 'major' },
          ],
        },
        locator: { background: [sq(-1.2, 52.95, 0.4)], layers: [0, 1], caption: 'Comparison area: 24 km north-east of the target' },
      },
    );
    expect(svg).toContain('clip-path="url(#frame)"');
    expect(svg).toContain('&lt;i&gt;Bulwell&lt;/i&gt;');
    expect(svg).not.toContain('<i>Bulwell');
    // A name whose point is outside the frame is left out.
    expect(svg).not.toContain('Far away');
    expect(svg).toContain('aria-label="Locator map: Comparison area: 24 km north-east of the target"');
    // The context comes before (under) the layers; the names after (over) them.
    expect(svg.indexOf('stroke="#b8b8b8"')).toBeLessThan(svg.indexOf('<title>Target</title>'));
    expect(svg.indexOf('Bulwell')).toBeGreaterThan(svg.indexOf('<title>Target</title>'));
    // The frame is the target: its square fills most of the 720 × 540 frame (the far square is cut at the edge).
    const xs = [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)L/g)].map((m) => Number(m[1]));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
  });
});
