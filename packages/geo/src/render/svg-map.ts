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

/** Where things are, drawn under the layers: neighbouring area outlines, boundary lines and place names. */
export interface SvgMapContext {
  /** Thin grey outlines (e.g. the LSOAs around the target). */
  outlines?: AreaGeometry[];
  /** Boundary lines, e.g. wards (`minor`) and districts (`major`), as lines of [lon, lat]. */
  lines?: { kind: 'major' | 'minor'; paths: [number, number][][] }[];
  /** Place names (district names `major`, ward names `minor`); names whose point falls outside the frame are left out. */
  labels?: { at: [number, number]; text: string; kind: 'major' | 'minor' }[];
}

/** A small locator map in a corner, for layers that reach beyond the main frame (e.g. a far-away comparison area). */
export interface SvgMapLocator {
  /** Grey background shapes giving the wider place its outline (e.g. every LSOA of the districts involved). */
  background: AreaGeometry[];
  /** Indices into the main layers to draw again in the locator. */
  layers: number[];
  /** Text under the locator, e.g. "Comparison area: 9.8 km north-east". */
  caption: string;
}

export interface SvgMapOptions {
  width?: number;
  height?: number;
  title: string;
  /** Padding in pixels around the drawn extent. */
  padding?: number;
  /** Fit the frame to these instead of every layer (what lies outside is cut at the frame's edge). */
  frame?: AreaGeometry[];
  context?: SvgMapContext;
  locator?: SvgMapLocator;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function svgMap(layers: SvgMapLayer[], options: SvgMapOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 540;
  const pad = options.padding ?? 24;
  const project = (g: AreaGeometry) => polygonsOf(g).map((rings) => rings.map((ring) => ring.map(([lon, lat]) => lonLatToBng(lon, lat))));
  const projected = layers.map((l) => l.geometries.map(project));
  const fit = extentOf(options.frame ? [options.frame.map(project)] : projected);
  const title = escapeXml(options.title);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${title}"><title>${title}</title>`;
  if (!fit) return `${head}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="14">No area to draw</text></svg>`;
  const { minX, minY } = fit;
  const spanX = Math.max(fit.maxX - minX, 1);
  const spanY = Math.max(fit.maxY - minY, 1);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const ox = (width - spanX * scale) / 2;
  const oy = (height - spanY * scale) / 2;
  const px = (x: number) => round1(ox + (x - minX) * scale);
  const py = (y: number) => round1(height - oy - (y - minY) * scale);
  const pathOf = (gs: number[][][][][]) => {
    const d: string[] = [];
    for (const g of gs) for (const rings of g) for (const ring of rings) if (ring.length >= 2) d.push(`M${ring.map(([x, y]) => `${px(x!)} ${py(y!)}`).join('L')}Z`);
    return d.join('');
  };

  const parts: string[] = [head];
  parts.push(
    '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">' +
      '<line x1="0" y1="0" x2="0" y2="8" stroke="#444" stroke-width="1.5"/></pattern>' +
      `<clipPath id="frame"><rect x="0" y="0" width="${width}" height="${height}"/></clipPath></defs>`,
  );
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/><g clip-path="url(#frame)">`);
  const ctx = options.context;
  if (ctx?.outlines?.length) {
    parts.push(`<path d="${pathOf(ctx.outlines.map(project))}" fill="#f4f4f2" stroke="#b8b8b8" stroke-width="0.5" stroke-linejoin="round" aria-hidden="true"/>`);
  }
  for (const group of ctx?.lines ?? []) {
    const d = group.paths
      .filter((line) => line.length >= 2)
      .map((line) => `M${line.map(([lon, lat]) => lonLatToBng(lon, lat)).map(([x, y]) => `${px(x)} ${py(y)}`).join('L')}`)
      .join('');
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${group.kind === 'major' ? '#5a5a5a' : '#8c8c8c'}" stroke-width="${group.kind === 'major' ? 1.8 : 0.9}" stroke-dasharray="${group.kind === 'major' ? '' : '3 2'}" stroke-linejoin="round" aria-hidden="true"/>`);
  }
  layers.forEach((layer, li) => {
    const path = pathOf(projected[li]!);
    if (!path) return;
    const label = escapeXml(layer.label);
    parts.push(
      `<path d="${path}" fill="${escapeXml(layer.fill)}" fill-opacity="${layer.fillOpacity ?? 0.4}" fill-rule="evenodd" stroke="${escapeXml(layer.stroke)}" stroke-width="${layer.strokeWidth ?? 1}"${layer.dash ? ` stroke-dasharray="${escapeXml(layer.dash)}"` : ''} stroke-linejoin="round"><title>${label}</title></path>`,
    );
    if (layer.hatch) parts.push(`<path d="${path}" fill="url(#hatch)" fill-rule="evenodd" stroke="none" aria-hidden="true"/>`);
  });
  // Place names last, over the layers, with a white halo so they stay legible on any fill.
  for (const l of ctx?.labels ?? []) {
    const [x, y] = lonLatToBng(l.at[0], l.at[1]);
    const lx = px(x), ly = py(y);
    if (lx < 8 || lx > width - 8 || ly < 12 || ly > height - 8) continue;
    const major = l.kind === 'major';
    parts.push(
      `<text x="${lx}" y="${ly}" text-anchor="middle" font-family="sans-serif" font-size="${major ? 13 : 10.5}"${major ? ' font-weight="bold" letter-spacing="0.5"' : ' font-style="italic"'} fill="${major ? '#333' : '#555'}" stroke="#fff" stroke-width="3" paint-order="stroke" stroke-linejoin="round">${escapeXml(l.text)}</text>`,
    );
  }
  parts.push('</g>');
  if (options.locator) parts.push(locatorInset(options.locator, layers, project, width));

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

interface Extent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The box of every outer ring's vertices, or null when there is nothing to draw. */
function extentOf(groups: number[][][][][][]): Extent | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const layer of groups) {
    for (const g of layer) {
      for (const rings of g) {
        for (const [x, y] of rings[0] ?? []) {
          if (x! < minX) minX = x!;
          if (x! > maxX) maxX = x!;
          if (y! < minY) minY = y!;
          if (y! > maxY) maxY = y!;
        }
      }
    }
  }
  return Number.isFinite(minX) ? { minX, minY, maxX, maxY } : null;
}

/** The locator: the wider place in grey with the chosen layers, top left, boxed, with its caption. */
function locatorInset(locator: SvgMapLocator, layers: SvgMapLayer[], project: (g: AreaGeometry) => number[][][][], width: number): string {
  const W = Math.round(width * 0.26), H = Math.round(W * 0.78), x0 = 8, y0 = 8, pad = 6;
  const background = locator.background.map(project);
  const chosen = locator.layers.filter((i) => layers[i]).map((i) => ({ layer: layers[i]!, shapes: layers[i]!.geometries.map(project) }));
  const box = extentOf([background, ...chosen.map((c) => c.shapes)]);
  if (!box) return '';
  const s = Math.min((W - 2 * pad) / Math.max(box.maxX - box.minX, 1), (H - 2 * pad - 14) / Math.max(box.maxY - box.minY, 1));
  const px = (x: number) => round1(x0 + pad + (x - box.minX) * s);
  const py = (y: number) => round1(y0 + H - 14 - pad - (y - box.minY) * s);
  const path = (gs: number[][][][][]) =>
    gs.flatMap((g) => g.flatMap((rings) => rings.filter((r) => r.length >= 2).map((r) => `M${r.map(([x, y]) => `${px(x!)} ${py(y!)}`).join('L')}Z`))).join('');
  const out = [`<g aria-label="Locator map: ${escapeXml(locator.caption)}"><rect x="${x0}" y="${y0}" width="${W}" height="${H}" fill="#fff" stroke="#666" stroke-width="1"/>`];
  if (background.length) out.push(`<path d="${path(background)}" fill="#e4e4e0" stroke="none"/>`);
  for (const c of chosen) {
    const d = path(c.shapes);
    if (!d) continue;
    out.push(`<path d="${d}" fill="${escapeXml(c.layer.fill)}" fill-opacity="0.85" fill-rule="evenodd" stroke="${escapeXml(c.layer.stroke)}" stroke-width="0.8"/>`);
    if (c.layer.hatch) out.push(`<path d="${d}" fill="url(#hatch)" fill-rule="evenodd" stroke="none"/>`);
  }
  out.push(`<text x="${x0 + W / 2}" y="${y0 + H - 4}" text-anchor="middle" font-family="sans-serif" font-size="10" fill="#333">${escapeXml(locator.caption)}</text></g>`);
  return out.join('');
}
