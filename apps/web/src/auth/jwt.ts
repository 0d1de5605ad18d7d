/**
 * Reading (not verifying) the ID token in the browser: only to know when it expires. The API verifies every token's
 * signature, issuer, audience and expiry itself; nothing here is trusted for access decisions.
 */

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw new Error('not base64url');
  const b64 = segment.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (segment.length % 4)) % 4);
  const binary = atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The claims of a compact JWS (header.payload.signature); throws on anything else. */
export function jwtPayload(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('the token is not a JWT (expected three dot-separated parts)');
  let payload: unknown;
  try {
    payload = decodeSegment(parts[1]!);
  } catch {
    throw new Error('the token payload is not base64url-encoded JSON');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('the token payload is not a JSON object');
  return payload as Record<string, unknown>;
}

export interface TokenTimes {
  /** Expiry, seconds since the epoch (the exp claim). */
  exp: number;
  /** Issued at, seconds since the epoch (the iat claim), if present. */
  iat: number | null;
}

/** exp (required) and iat of a JWT; throws if exp is missing or not a number. */
export function tokenTimes(token: string): TokenTimes {
  const p = jwtPayload(token);
  if (typeof p.exp !== 'number' || !Number.isFinite(p.exp)) throw new Error('the token has no expiry (exp)');
  return { exp: p.exp, iat: typeof p.iat === 'number' && Number.isFinite(p.iat) ? p.iat : null };
}

/** Refresh this long before expiry at most; less for short-lived tokens (a quarter of their lifetime). */
export const REFRESH_MARGIN_SECONDS = 120;

/**
 * Milliseconds from `nowMs` until the token should be refreshed: REFRESH_MARGIN_SECONDS before it expires, or a
 * quarter of its lifetime before if that is shorter; 0 if that moment has passed (or the token cannot be read).
 */
export function refreshDelayMs(token: string, nowMs: number): number {
  let times: TokenTimes;
  try {
    times = tokenTimes(token);
  } catch {
    return 0;
  }
  const lifetime = times.iat !== null ? times.exp - times.iat : Number.POSITIVE_INFINITY;
  const margin = Math.min(REFRESH_MARGIN_SECONDS, Math.max(0, lifetime) / 4);
  return Math.max(0, Math.round((times.exp - margin) * 1000 - nowMs));
}
