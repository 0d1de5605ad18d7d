import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Principal, Role } from '@safer-places/schemas';
import { ITEM_ID, PERMISSIONS, ROLES } from '@safer-places/schemas';

/** Turns a bearer token into a principal, or throws. The only source of orgId and role in the whole API. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export class AuthenticationError extends Error {}

const LOCAL_ISSUER = 'safer-places-local';
const LOCAL_AUDIENCE = 'safer-places';
const ROLE_PRIORITY: Role[] = ['admin', 'analyst', 'bid-writer', 'planner', 'viewer'];

/** The role a set of Cognito groups gives: the most capable role group the user is in, or null when in none. */
export function roleFromGroups(groups: readonly unknown[]): Role | null {
  return ROLE_PRIORITY.find((r) => groups.includes(r)) ?? null;
}

/**
 * Claims every token must carry, whoever signed it. A token without `exp` would never expire: refused, locally and on
 * AWS alike (jose checks `exp` only when it is present).
 */
const REQUIRED_CLAIMS = ['exp'];

function principalFrom(payload: JWTPayload, orgClaim: string, roleOf: (p: JWTPayload) => unknown, permissionsOf: (p: JWTPayload) => unknown[]): Principal {
  const orgId = payload[orgClaim];
  const role = roleOf(payload);
  if (typeof payload.sub !== 'string' || !payload.sub) throw new AuthenticationError('token has no subject');
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw new AuthenticationError('token has no expiry time');
  if (typeof orgId !== 'string' || !ITEM_ID.test(orgId)) throw new AuthenticationError('token has no organisation');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new AuthenticationError('token has no known role');
  const name = typeof payload.name === 'string' ? payload.name : undefined;
  const permissions = PERMISSIONS.filter((p) => permissionsOf(payload).includes(p));
  return { userId: payload.sub, orgId, role: role as Role, ...(name && { name }), ...(permissions.length > 0 && { permissions }) };
}

/** Local sign-in: HS256 tokens signed with a per-install secret. Same verification path as production. */
export function createLocalTokenService(secret: Uint8Array, ttlSeconds = 12 * 3600) {
  return {
    async issue(principal: Principal): Promise<{ token: string; expiresAt: string }> {
      const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
      const token = await new SignJWT({
        org: principal.orgId,
        role: principal.role,
        ...(principal.name && { name: principal.name }),
        ...(principal.permissions?.length && { perms: principal.permissions }),
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(principal.userId)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(secret);
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    },
    verifier: {
      async verify(token: string): Promise<Principal> {
        const { payload } = await jwtVerify(token, secret, {
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCE,
          algorithms: ['HS256'],
          requiredClaims: REQUIRED_CLAIMS,
        });
        return principalFrom(payload, 'org', (p) => p.role, (p) => (Array.isArray(p.perms) ? p.perms : []));
      },
    } satisfies TokenVerifier,
  };
}

/**
 * Cognito ID tokens: the organisation is a custom attribute only admins can write, the role is the user's group.
 * A user in several groups gets the most capable one listed in ROLE_PRIORITY.
 */
export function createCognitoVerifier(options: { issuer: string; clientId: string; keys?: JWTVerifyGetKey }): TokenVerifier {
  const keys = options.keys ?? createRemoteJWKSet(new URL(`${options.issuer}/.well-known/jwks.json`));
  return {
    async verify(token: string): Promise<Principal> {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.clientId,
        algorithms: ['RS256'],
        requiredClaims: REQUIRED_CLAIMS,
      });
      if (payload.token_use !== 'id') throw new AuthenticationError('an ID token is required');
      const groups = Array.isArray(payload['cognito:groups']) ? (payload['cognito:groups'] as unknown[]) : [];
      // Roles and permissions are both Cognito groups (e.g. "planner" and "sensitive-cameras").
      return principalFrom(
        payload,
        'custom:orgId',
        () => roleFromGroups(groups),
        () => groups,
      );
    },
  };
}
