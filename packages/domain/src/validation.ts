import type * as z from 'zod';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import { findAreaProblem } from '@safer-places/geo';
import { UnprocessableError, ValidationError } from './errors';

/** Parses with a strict schema and turns zod's issues into one message that names each problem and where it is. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: issueMessage(i) }));
  const summary = details
    .slice(0, 5)
    .map((d) => `${d.path}: ${d.message}`)
    .join('; ');
  throw new ValidationError(`invalid ${what}: ${summary}${details.length > 5 ? ` (and ${details.length - 5} more)` : ''}`, details);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')} not accepted`;
  if (issue.code === 'invalid_union' && 'errors' in issue) {
    const inner = issue.errors.flat()[0];
    if (inner) return issueMessage(inner);
  }
  return issue.message;
}

/**
 * Rejects areas that are not valid OGC polygons (see findAreaProblem): crossing or touching edges, holes outside their
 * outer ring or inside each other, rings cutting the interior into pieces, overlapping MultiPolygon parts, rings with
 * fewer than 3 different corners or no area. zod has already checked structure, closure, bounds and the vertex cap.
 * The message names the problem, the ring, the `coordinates[…]` position and [lon, lat], and the rule broken;
 * `point` is where to mark it on a map.
 */
export function assertValidArea(geometry: AreaGeometry, field = 'geometry'): void {
  const problem = findAreaProblem(geometry);
  if (problem) {
    const fix = problem.kind === 'self-intersection' || problem.kind === 'rings-cross' ? '; redraw it so no edges cross' : '';
    const point = problem.point?.map((v) => Math.round(v * 1e6) / 1e6) as Position | undefined;
    throw new UnprocessableError(`${field}: ${problem.message}${fix}`, point);
  }
}

/** Twice the signed area of a ring in degrees: positive when it runs anticlockwise. */
function signedArea2(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return sum;
}

/**
 * Checks a drawn or uploaded area and puts its rings in RFC 7946 order (outer rings anticlockwise, holes clockwise).
 * Many tools write the opposite winding; that is repaired, not refused, and each repair comes back as a warning.
 */
export function checkArea(geometry: AreaGeometry, field = 'geometry'): { geometry: AreaGeometry; warnings: string[] } {
  assertValidArea(geometry, field);
  const warnings: string[] = [];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const rewound = polygons.map((rings, p) =>
    rings.map((ring, r) => {
      const wantAnticlockwise = r === 0;
      if (signedArea2(ring) > 0 === wantAnticlockwise) return ring;
      const where = `${field}${geometry.type === 'MultiPolygon' ? ` part ${p + 1}` : ''} ${r === 0 ? 'outer ring' : `hole ${r}`}`;
      warnings.push(`${where} ran ${wantAnticlockwise ? 'clockwise' : 'anticlockwise'}; it was reversed to the GeoJSON standard order (outer rings anticlockwise, holes clockwise)`);
      return [...ring].reverse();
    }),
  );
  if (warnings.length === 0) return { geometry, warnings };
  return { geometry: geometry.type === 'Polygon' ? { type: 'Polygon', coordinates: rewound[0]! } : { type: 'MultiPolygon', coordinates: rewound }, warnings };
}
