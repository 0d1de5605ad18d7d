import type { BBox } from '@safer-places/schemas';
import { HttpError, parseJson, type HttpClient } from './http';

export const DEFAULT_POLICE_API = 'https://data.police.uk/api';

/** One crime as police.uk's street-level crime API returns it. */
export interface PoliceCrime {
  category: string;
  location_type?: string | null;
  location: {
    latitude: string;
    longitude: string;
    street: { id: number; name: string };
  } | null;
  context: string | null;
  outcome_status: { category: string; date: string } | null;
  /** 64-hex Crime ID; '' for anti-social behaviour. */
  persistent_id: string;
  id: number;
  location_subtype?: string | null;
  month: string;
}

export interface PoliceForce {
  id: string;
  name: string;
}

export type PolygonResult = { tooMany: false; crimes: PoliceCrime[] } | { tooMany: true };

/** A caller mistake found by asking the API (unknown force …): reported like a bad flag. */
export class LookupError extends Error {
  override name = 'LookupError';
}

export class PoliceApi {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly http: HttpClient,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** The force's id and display name ("Nottinghamshire Police"), used for "Reported by"/"Falls within". */
  async getForce(id: string): Promise<PoliceForce> {
    const what = `police.uk force '${id}'`;
    const res = await this.http.request({ url: `${this.baseUrl}/forces/${encodeURIComponent(id)}` }, { what, passThrough: [404] });
    if (res.status === 404) {
      let known = '';
      try {
        const forces = await this.listForces();
        known = ` Known force ids: ${forces.map((f) => f.id).join(', ')}.`;
      } catch {
        // the list is only a hint
      }
      throw new LookupError(`--force: police.uk has no force '${id}'.${known}`);
    }
    const force = parseJson<Partial<PoliceForce>>(res, what);
    if (typeof force.name !== 'string' || force.name.trim() === '') {
      throw new HttpError(`${what}: the answer has no force name`, res.status, res.url);
    }
    return { id: force.id ?? id, name: force.name.trim() };
  }

  listForces(): Promise<PoliceForce[]> {
    return this.http.json<PoliceForce[]>({ url: `${this.baseUrl}/forces` }, { what: 'police.uk force list' });
  }

  /** Months with street-level crime data, newest first as police.uk lists them. */
  async getAvailableMonths(): Promise<string[]> {
    const dates = await this.http.json<{ date: string }[]>(
      { url: `${this.baseUrl}/crimes-street-dates` },
      { what: 'police.uk list of available months' },
    );
    if (!Array.isArray(dates)) throw new HttpError('police.uk list of available months: unexpected answer', 200, this.baseUrl);
    return dates.map((d) => d.date).filter((d): d is string => typeof d === 'string');
  }

  /** The force and neighbourhood policing a point, or null when police.uk knows none. */
  async locateNeighbourhood(lat: number, lon: number): Promise<{ force: string; neighbourhood: string } | null> {
    const res = await this.http.request(
      { url: `${this.baseUrl}/locate-neighbourhood?q=${lat.toFixed(6)},${lon.toFixed(6)}` },
      { what: `police.uk force at ${lat.toFixed(5)},${lon.toFixed(5)}`, passThrough: [404] },
    );
    if (res.status === 404) return null;
    return parseJson<{ force: string; neighbourhood: string }>(res, 'police.uk locate-neighbourhood');
  }

  /**
   * All street-level crimes of one month inside a box, by POST (long GET URLs get 400). police.uk answers 503 when
   * the area holds more than 10,000 crimes: reported as `tooMany` so the caller splits the area. A 503 that carries
   * Retry-After is taken as "overloaded, come back later" instead, and retried like any other 5xx.
   */
  async crimesInBox(box: BBox, month: string, what: string): Promise<PolygonResult> {
    const res = await this.http.request(
      { method: 'POST', url: `${this.baseUrl}/crimes-street/all-crime`, form: { poly: boxToPoly(box), date: month } },
      { what, passThrough: (status, headers) => status === 503 && !headers.has('retry-after') },
    );
    if (res.status === 503) return { tooMany: true };
    const crimes = parseJson<PoliceCrime[]>(res, what);
    if (!Array.isArray(crimes)) throw new HttpError(`${what}: expected a JSON array of crimes`, res.status, res.url);
    return { tooMany: false, crimes };
  }
}

/** police.uk `poly`: lat,lng pairs joined by ':' (the API closes the ring itself). */
export function boxToPoly([minLon, minLat, maxLon, maxLat]: BBox): string {
  const p = (lon: number, lat: number) => `${lat.toFixed(6)},${lon.toFixed(6)}`;
  return [p(minLon, minLat), p(minLon, maxLat), p(maxLon, maxLat), p(maxLon, minLat)].join(':');
}
