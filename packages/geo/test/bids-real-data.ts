import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AreaGeometry } from '@safer-places/schemas';

/**
 * Real ONS LSOA21 boundaries from the shared data folder (../shared/data, or SHARED_DATA_DIR), read at test time and
 * never copied into the repository (beyond the 13-LSOA extract in test/in/bids). Under CI=true a missing folder is a
 * failure, never a skip.
 */
export const DATA = process.env.SHARED_DATA_DIR ?? join(import.meta.dirname, '../../../../shared/data');
const NOTTS = join(DATA, 'lsoa21-boundaries');
const ENGLAND = join(DATA, 'england', 'lsoa21-boundaries-england-simplified.geojson');

export function boundariesAvailable(): boolean {
  const ok = existsSync(NOTTS) && existsSync(ENGLAND);
  if (!ok && process.env.CI === 'true') throw new Error(`shared data missing at ${DATA} (needed under CI=true)`);
  if (!ok) console.warn(`LSOA boundary tests need ${DATA}; not run`);
  return ok;
}

export interface Boundary {
  code: string;
  name: string;
  district: string | null;
  geometry: AreaGeometry;
}

export function nottinghamshireLsoas(): Boundary[] {
  return readdirSync(NOTTS)
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(NOTTS, f), 'utf8')).features)
    .map((f: { properties: Record<string, string>; geometry: AreaGeometry }) => ({
      code: f.properties.LSOA21CD!,
      name: f.properties.LSOA21NM!,
      district: f.properties.LAD24CD ?? null,
      geometry: f.geometry,
    }));
}

export function englandLsoas(): Boundary[] {
  return JSON.parse(readFileSync(ENGLAND, 'utf8')).features.map((f: { properties: Record<string, string>; geometry: AreaGeometry }) => ({
    code: f.properties.LSOA21CD!,
    name: f.properties.LSOA21NM!,
    district: null,
    geometry: f.geometry,
  }));
}
