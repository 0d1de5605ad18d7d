import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/seeded-random';
import { toBng } from '../src/projection/bng';
import { formatJson, readInput } from './golden';

/**
 * Synthetic crimes for the hotspot fixtures (test/in/hotspots/crimes.geojson), around Nottingham city centre over 24
 * months, with known structure the tests can check:
 *  - "Market Square": a persistent cluster (~55 m spread), every month, mixed categories;
 *  - "Hockley": an emerging cluster, months 20–23 only;
 *  - "Meadows": a former cluster, months 0–11 only;
 *  - "Supermarket": 50 shoplifting crimes on one published coordinate (a snap point) plus a few nearby;
 *  - uniform background over ~6.7 × 6.7 km.
 * Coordinates are rounded to 6 decimals like police.uk. Regenerate with `npx tsx test/hotspots-fixtures.ts`.
 */
export function generateCrimes() {
  const rng = seededRandom(2024);
  const features: object[] = [];
  const add = (lon: number, lat: number, month: number, category: number, location: string, group: string) => {
    features.push({
      type: 'Feature',
      properties: { month, category, location, group },
      geometry: { type: 'Point', coordinates: [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6] },
    });
  };
  const streets = ['On or near High Street', 'On or near Park Road', 'On or near Station Street', 'On or near Mill Lane'];
  for (let i = 0; i < 300; i++) {
    add(-1.2 + rng.next() * 0.1, 52.92 + rng.next() * 0.06, rng.int(0, 23), rng.int(0, 13), rng.pick(streets), 'background');
  }
  for (let i = 0; i < 144; i++) {
    add(-1.148 + rng.normal() * 0.0008, 52.9535 + rng.normal() * 0.0005, i % 24, rng.pick([0, 5, 9, 12]), 'On or near Market Square', 'market');
  }
  for (let i = 0; i < 60; i++) {
    add(-1.13 + rng.normal() * 0.001, 52.965 + rng.normal() * 0.0006, 20 + (i % 4), rng.pick([0, 7, 12]), 'On or near Goose Gate', 'hockley');
  }
  for (let i = 0; i < 72; i++) {
    add(-1.115 + rng.normal() * 0.001, 52.935 + rng.normal() * 0.0006, i % 12, rng.pick([2, 3, 11]), 'On or near Meadow Lane', 'meadows');
  }
  for (let i = 0; i < 50; i++) add(-1.17, 52.94, i % 24, 9, 'On or near Supermarket', 'supermarket');
  for (let i = 0; i < 8; i++) {
    add(-1.17 + rng.normal() * 0.0004, 52.94 + rng.normal() * 0.0003, rng.int(0, 23), 9, 'On or near Petrol Station', 'supermarket');
  }
  return { type: 'FeatureCollection', features };
}

export interface Crimes {
  lonLat: Float64Array;
  xy: Float64Array;
  month: Uint16Array;
  category: Uint8Array;
  location: string[];
  group: string[];
}

/** Loads test/in/hotspots/crimes.geojson into the typed arrays the hotspot functions take. */
export function loadCrimes(): Crimes {
  const fc = readInput('hotspots', 'crimes') as { features: { properties: any; geometry: { coordinates: [number, number] } }[] };
  const n = fc.features.length;
  const lonLat = new Float64Array(n * 2);
  const month = new Uint16Array(n);
  const category = new Uint8Array(n);
  const location: string[] = [];
  const group: string[] = [];
  fc.features.forEach((f, i) => {
    lonLat[2 * i] = f.geometry.coordinates[0];
    lonLat[2 * i + 1] = f.geometry.coordinates[1];
    month[i] = f.properties.month;
    category[i] = f.properties.category;
    location.push(f.properties.location);
    group.push(f.properties.group);
  });
  return { lonLat, xy: toBng(lonLat), month, category, location, group };
}

/** The study area used by the Gi* fixtures: the background box minus the south-west corner (an "outside" region). */
export const STUDY_AREA = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [-1.2, 52.935],
      [-1.18, 52.935],
      [-1.18, 52.92],
      [-1.1, 52.92],
      [-1.1, 52.98],
      [-1.2, 52.98],
      [-1.2, 52.935],
    ] as [number, number][],
  ],
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'in', 'hotspots', 'crimes.geojson');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, formatJson(generateCrimes()));
  console.log(`wrote ${file}`);
}
