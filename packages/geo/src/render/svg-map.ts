import type { AreaGeometry } from '@safer-places/schemas';
import { polygonsOf } from '../bids/vertex-key';
import { lonLatToBng } from '../projection/bng';

/**
 * A static map as inline SVG for printable reports: areas projected to British National Grid (metres, so a scale bar
 * is exact to the grid's scale factor, < 0.1 % in England), fitted to the frame with equal x/y scale, with a scale
 * bar and a (grid) north arrow. No external resources, no script; every text is XML-escaped.
 */
export interface SvgMapLayer {
  geometries: AreaGeometry[];
  fill: string;
  fillOpacity?: number;
  stroke: string;
  strokeWidth?: number;
  dash?: string;
  /** Draw hatching over the fill (e.g. the comparison area, so it differs from the target by more than colour). */
  hatch?: boolean;
  label: string;
}

export interface SvgMapOptions {
  width?: number;
  height?: number;
  title: string;
  /** Padding in pixels around the drawn extent. */
  padding?: number;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function svgMap(layers: SvgMapLayer[], options: SvgMapOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 540;
  const pad = options.padding ?? 24;
  const projected = layers.map((l) => l.geometries.map((g) => polygonsOf(g).map((rings) => rings.map((ring) => ring.map(([lon, lat]) => lonLatToBng(lon, lat))))));
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const layer of projected) {
    for (const g of layer) {
      for (const rings of g) {
        for (const [x, y] of rings[0] ?? []) {
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
    }
  }
  const title = escapeXml(options.title);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${title}"><title>${title}</title>`;
  if (!Number.isFinite(minX)) return `${head}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="14">No area to draw</text></svg>`;
  const spanX = Math.max(maxX - minX, 1);
  const spanY = Math.max(maxY - minY, 1);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const ox = (width - spanX * scale) / 2;
  const oy = (height - spanY * scale) / 2;
  const px = (x: number) => round1(ox + (x - minX) * scale);
  const py = (y: number) => round1(height - oy - (y - minY) * scale);

  const parts: string[] = [head];
  parts.push(
    '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">' +
      '<line x1="0" y1="0" x2="0" y2="8" stroke="#444" stroke-width="1.5"/></pattern></defs>',
  );
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  layers.forEach((layer, li) => {
    const d: string[] = [];
    for (const g of projected[li]!) {
      for (const rings of g) {
        for (const ring of rings) {
          if (ring.length < 2) continue;
          d.push(`M${ring.map(([x, y]) => `${px(x)} ${py(y)}`).join('L')}Z`);
        }
      }
    }
    if (d.length === 0) return;
    const path = d.join('');
    const label = escapeXml(layer.label);
    parts.push(
      `<path d="${path}" fill="${escapeXml(layer.fill)}" fill-opacity="${layer.fillOpacity ?? 0.4}" fill-rule="evenodd" stroke="${escapeXml(layer.stroke)}" stroke-width="${layer.strokeWidth ?? 1}"${layer.dash ? ` stroke-dasharray="${escapeXml(layer.dash)}"` : ''} stroke-linejoin="round"><title>${label}</title></path>`,
    );
    if (layer.hatch) parts.push(`<path d="${path}" fill="url(#hatch)" fill-rule="evenodd" stroke="none" aria-hidden="true"/>`);
  });

  // Scale bar: the longest 1/2/5 × 10^k metres no wider than a quarter of the frame.
  const maxMetres = (width / 4) / scale;
  const k = 10 ** Math.floor(Math.log10(maxMetres));
  const metres = [5, 2, 1].map((m) => m * k).find((m) => m <= maxMetres) ?? k;
  const barPx = round1(metres * scale);
  const bx = 16, by = height - 18;
  const text = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  parts.push(
    `<g aria-label="Scale bar ${text}"><rect x="${bx - 4}" y="${by - 18}" width="${barPx + 8 + 8 * text.length}" height="26" fill="#fff" fill-opacity="0.8"/>` +
      `<rect x="${bx}" y="${by}" width="${round1(barPx / 2)}" height="5" fill="#222"/><rect x="${round1(bx + barPx / 2)}" y="${by}" width="${round1(barPx / 2)}" height="5" fill="#fff" stroke="#222"/>` +
      `<text x="${bx}" y="${by - 4}" font-size="11" font-family="sans-serif">0</text><text x="${round1(bx + barPx)}" y="${by - 4}" font-size="11" font-family="sans-serif" text-anchor="middle">${text}</text></g>`,
  );
  // North arrow (grid north: British National Grid is within a few degrees of true north across England).
  const nx = width - 28, ny = 18;
  parts.push(
    `<g aria-label="North arrow (grid north)"><polygon points="${nx},${ny} ${nx - 8},${ny + 24} ${nx},${ny + 18} ${nx + 8},${ny + 24}" fill="#222"/>` +
      `<text x="${nx}" y="${ny + 38}" font-size="12" font-family="sans-serif" text-anchor="middle" font-weight="bold">N</text></g>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

const round1 = (x: number) => Math.round(x * 10) / 10;
