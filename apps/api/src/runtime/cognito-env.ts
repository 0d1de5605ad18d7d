import type { CognitoClientConfig } from '@safer-places/schemas';

/**
 * The Cognito settings of a deployment, from the environment the stack gives the API Lambda (infra/lib/api.ts):
 *
 * - COGNITO_ISSUER: the token issuer, https://cognito-idp.<region>.amazonaws.com/<pool id>
 * - COGNITO_CLIENT_ID: the web app client (the audience of the ID tokens)
 * - COGNITO_USER_POOL_ID, COGNITO_REGION: the pool, for the web app's information
 * - COGNITO_DOMAIN: the managed login (hosted UI) base URL the browser signs in at
 * - COGNITO_REDIRECT_URI (optional): the callback URL when it is not the page's origin + '/'
 *
 * The first five go together: all or none.
 */
export const COGNITO_ENV = ['COGNITO_ISSUER', 'COGNITO_CLIENT_ID', 'COGNITO_USER_POOL_ID', 'COGNITO_REGION', 'COGNITO_DOMAIN'] as const;

export interface CognitoSettings {
  issuer: string;
  clientId: string;
  /** What GET /api/config tells the web app. */
  client: CognitoClientConfig;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks an absolute https URL without query or fragment and returns it as given. Plain http is accepted only with
 * `allowLoopbackHttp` and only for localhost (the local server pointed at a test identity provider).
 */
function checkedUrl(env: NodeJS.ProcessEnv, name: string, allowLoopbackHttp: boolean): string {
  const value = env[name]!;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`environment variable ${name} '${value}' is not a URL`);
  }
  const loopbackHttp = allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new Error(`environment variable ${name} '${value}' must be an https:// URL${allowLoopbackHttp ? ' (http:// only for localhost)' : ''}`);
  }
  if (url.search || url.hash) throw new Error(`environment variable ${name} '${value}' must not have a query or fragment`);
  return value;
}

/**
 * Reads the Cognito settings. `required`: the Lambda, which has no other way to sign users in, refuses to start
 * without them; the local server uses them only when all are set (and keeps its local sign-in otherwise).
 */
export function readCognitoEnv(env: NodeJS.ProcessEnv, options: { required: boolean; allowLoopbackHttp: boolean }): CognitoSettings | null {
  const missing = COGNITO_ENV.filter((k) => !env[k]);
  if (missing.length === COGNITO_ENV.length && !options.required) return null;
  if (missing.length > 0) {
    throw new Error(
      `environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set` +
        (options.required ? '' : ` (Cognito sign-in needs all of ${COGNITO_ENV.join(', ')})`),
    );
  }
  // The issuer is compared with the tokens' iss claim character for character: used exactly as given.
  const issuer = checkedUrl(env, 'COGNITO_ISSUER', options.allowLoopbackHttp);
  const domain = checkedUrl(env, 'COGNITO_DOMAIN', options.allowLoopbackHttp).replace(/\/+$/, '');
  const redirectUri = env.COGNITO_REDIRECT_URI ? checkedUrl(env, 'COGNITO_REDIRECT_URI', options.allowLoopbackHttp) : undefined;
  const clientId = env.COGNITO_CLIENT_ID!;
  return {
    issuer,
    clientId,
    client: {
      region: env.COGNITO_REGION!,
      userPoolId: env.COGNITO_USER_POOL_ID!,
      clientId,
      domain,
      ...(redirectUri && { redirectUri }),
    },
  };
}
