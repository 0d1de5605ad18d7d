import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { FeatureCollection } from '@safer-places/schemas';
import { buildVectorArchive } from '../src/basemap/vector';

/**
 * Builds a small PMTiles base map from GeoJSON files, one per layer of the Protomaps schema:
 *   npx tsx apps/api/scripts/vector-basemap.ts --layer earth=lsoas.geojson --layer places=towns.geojson \
 *     --maxzoom 12 --attribution "Contains OS data © Crown copyright and database right" --out boundaries.pmtiles
 * (apps/api/src/basemap/vector.ts). The browser test builds its base map fixture with it.
 */
const { values } = parseArgs({
  options: {
    layer: { type: 'string', multiple: true },
    maxzoom: { type: 'string', default: '12' },
    attribution: { type: 'string' },
    out: { type: 'string' },
  },
});
const fail = (message: string): never => {
  console.error(`vector-basemap: ${message}`);
  process.exit(2);
};
const maxZoom = Number(values.maxzoom);
if (!Number.isInteger(maxZoom) || maxZoom < 0 || maxZoom > 16) fail(`--maxzoom '${values.maxzoom}' must be a whole number from 0 to 16`);
if (!values.out?.endsWith('.pmtiles')) fail('--out <file>.pmtiles is needed');
if (!values.attribution) fail('--attribution is needed: whose data the map shows');
if (!values.layer?.length) fail('give at least one --layer <name>=<file.geojson>');
const layers: Record<string, FeatureCollection> = {};
for (const spec of values.layer ?? []) {
  const [name, file] = spec.split('=', 2);
  if (!name || !file) fail(`--layer '${spec}' must be <name>=<file.geojson>`);
  layers[name!] = JSON.parse(readFileSync(file!, 'utf8')) as FeatureCollection;
}
const { bytes, tiles } = buildVectorArchive({ layers, maxZoom, attribution: values.attribution! });
writeFileSync(values.out!, bytes);
console.log(`Wrote ${values.out}: ${tiles} tiles, ${(bytes.length / 1024).toFixed(0)} KiB (layers ${Object.keys(layers).join(', ')}).`);
