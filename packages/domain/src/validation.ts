import type { z } from 'zod';
import type { AreaGeometry } from '@safer-places/schemas';
import { findSelfIntersection } from '@safer-places/geo';
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

/** Rejects polygons whose rings cross; zod has already checked structure, closure and bounds. */
export function assertValidArea(geometry: AreaGeometry, field = 'geometry'): void {
  const crossing = findSelfIntersection(geometry);
  if (crossing) {
    throw new UnprocessableError(
      `${field}: the polygon's edges cross each other at [${crossing[0].toFixed(6)}, ${crossing[1].toFixed(6)}]; redraw it so no edges cross`,
      [Math.round(crossing[0] * 1e6) / 1e6, Math.round(crossing[1] * 1e6) / 1e6],
    );
  }
}
