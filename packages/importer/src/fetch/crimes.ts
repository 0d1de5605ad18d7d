import type { BBox } from '@safer-places/schemas';
import { expandBox, formatBox, quarter, type StudyArea } from './area';
import { HttpError } from './http';
import type { PoliceApi, PoliceCrime } from './police-api';

export interface MonthCrimesOptions {
  /** Boxes to start from (e.g. the tiles that worked for the previous month); the area's box when omitted. */
  startTiles?: BBox[];
  /** How many times a tile may be quartered (10 → tiles 1/1024 of the area's width). */
  maxDepth?: number;
  /** Upper bound on polygon requests for one month, so an outage answering 503 cannot cause a request storm. */
  maxRequests?: number;
  /** Degrees by which tiles overlap (and the area box is grown) so crimes on a tile edge are never missed. */
  overlap?: number;
  /** Names the area in messages ("E07000174,E07000170"). */
  areaName?: string;
}

export interface MonthCrimes {
  month: string;
  /** Crimes inside the area, each once (by police.uk `id`), sorted by id. */
  crimes: PoliceCrime[];
  /** Tiles that answered without 503: a good start for the next month. */
  tiles: BBox[];
  requests: number;
  /** Crimes served by police.uk in total, duplicates across tiles and crimes outside the area included. */
  served: number;
  /** Distinct crimes served that fall outside the area's LSOAs (dropped). */
  outside: number;
}

export class TooManyCrimesError extends HttpError {
  override name = 'TooManyCrimesError';
}

/**
 * Downloads one month of street-level crime for the area: asks police.uk for box tiles over the area, quartering a
 * tile whenever police.uk answers 503 (more than 10,000 crimes), keeps only crimes whose point lies inside one of
 * the area's LSOAs and drops crimes seen in two tiles (same `id`).
 */
export async function fetchMonthCrimes(
  api: PoliceApi,
  area: StudyArea,
  month: string,
  options: MonthCrimesOptions = {},
): Promise<MonthCrimes> {
  const maxDepth = options.maxDepth ?? 10;
  const maxRequests = options.maxRequests ?? 500;
  const overlap = options.overlap ?? 1e-5;
  const areaName = options.areaName ?? 'the area';
  const byId = new Map<number, PoliceCrime>();
  const tiles: BBox[] = [];
  let requests = 0;
  let served = 0;
  const outsideIds = new Set<number>();

  let failed = false; // once one tile fails for good, ask about no more
  const visit = async (tile: BBox, depth: number): Promise<void> => {
    if (failed || !area.intersects(tile)) return;
    if (++requests > maxRequests) {
      throw new TooManyCrimesError(
        `crimes for ${month} in ${areaName}: more than ${maxRequests} requests needed; police.uk keeps answering 503 ` +
          '(more than 10,000 crimes per area, or the service is unavailable). Try again later or with fewer districts.',
        503,
        api.baseUrl,
      );
    }
    const what = `crimes for ${month} in ${areaName} (box ${formatBox(tile)})`;
    const result = await api.crimesInBox(tile, month, what);
    if (result.tooMany) {
      if (depth >= maxDepth) {
        throw new TooManyCrimesError(
          `${what}: police.uk still answers 503 after splitting the area ${maxDepth} times; ` +
            'the service may be unavailable. Try again later.',
          503,
          api.baseUrl,
        );
      }
      await Promise.all(quarter(tile, overlap).map((t) => visit(t, depth + 1)));
      return;
    }
    tiles.push(tile);
    served += result.crimes.length;
    for (const crime of result.crimes) {
      if (byId.has(crime.id) || outsideIds.has(crime.id)) continue;
      const lon = Number(crime.location?.longitude);
      const lat = Number(crime.location?.latitude);
      if (area.locate(lon, lat) === null) {
        outsideIds.add(crime.id);
        continue;
      }
      byId.set(crime.id, crime);
    }
  };

  const start = options.startTiles?.length ? options.startTiles : [expandBox(area.bbox, overlap)];
  const guarded = (t: BBox) =>
    visit(t, 0).catch((e: unknown) => {
      failed = true;
      throw e;
    });
  await Promise.all(start.map(guarded));
  const crimes = [...byId.values()].sort((a, b) => a.id - b.id);
  tiles.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  return { month, crimes, tiles, requests, served, outside: outsideIds.size };
}
