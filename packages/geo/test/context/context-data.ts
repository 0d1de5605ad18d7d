import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AreaGeometry } from '@safer-places/schemas';
import type { ContextLsoa } from '../../src/index';
import { DATA } from '../bids-real-data';

/**
 * The real ONS LSOA21 boundaries with their best-fit ward and district (Nottinghamshire) and England's 33,755 LSOAs
 * (names only: the district is the name without its last word, no ward), read from the shared data folder at test
 * time and never copied into the repository.
 */
const NOTTS = join(DATA, 'lsoa21-boundaries');
const ENGLAND = join(DATA, 'england', 'lsoa21-boundaries-england-simplified.geojson');
export const LAD_FROM_LSOA = join(DATA, 'lad-boundaries', 'nottinghamshire-lad-from-lsoa21.geojson');

export function contextDataAvailable(): boolean {
  const ok = existsSync(NOTTS) && existsSync(ENGLAND) && existsSync(LAD_FROM_LSOA);
  if (!ok && process.env.CI === 'true') throw new Error(`shared data missing at ${DATA} (needed under CI=true)`);
  if (!ok) console.warn(`context layer tests on real boundaries need ${DATA}; not run`);
  return ok;
}

type Props = Record<string, string>;

export function nottinghamshireContextLsoas(): ContextLsoa[] {
  return readdirSync(NOTTS)
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(NOTTS, f), 'utf8')).features as { properties: Props; geometry: AreaGeometry }[])
    .map((f) => ({
      code: f.properties.LSOA21CD!,
      name: f.properties.LSOA21NM!,
      districtCode: f.properties.LAD24CD!,
      districtName: f.properties.LAD24NM!,
      wardName: f.properties.WD24NM ?? null,
      geometry: f.geometry,
    }));
}

export function englandContextLsoas(): ContextLsoa[] {
  return (JSON.parse(readFileSync(ENGLAND, 'utf8')).features as { properties: Props; geometry: AreaGeometry }[]).map((f) => {
    const district = f.properties.LSOA21NM!.replace(/\s+\S+$/, '');
    return { code: f.properties.LSOA21CD!, name: f.properties.LSOA21NM!, districtCode: district, districtName: district, wardName: null, geometry: f.geometry };
  });
}
