/**
 * Proof Key for Code Exchange (RFC 7636) with the S256 method: the browser keeps a random verifier, sends only its
 * SHA-256 hash (the challenge) to the authorize endpoint, and proves it holds the verifier when it exchanges the code.
 */

/** base64url without padding (RFC 4648 §5), as PKCE and JWTs use it. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Fills a buffer with cryptographically strong random bytes (the browser's crypto.getRandomValues). */
export type RandomFill = (bytes: Uint8Array) => Uint8Array;
const cryptoRandom: RandomFill = (bytes) => crypto.getRandomValues(bytes);

/**
 * A random string of `byteLength` bytes, base64url: 32 bytes give 43 characters of [A-Za-z0-9-_], the shortest code
 * verifier RFC 7636 allows, with 256 bits of entropy. Also used for the OAuth state.
 */
export function randomToken(byteLength = 32, random: RandomFill = cryptoRandom): string {
  return base64url(random(new Uint8Array(byteLength)));
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The S256 code challenge: base64url(SHA-256(ASCII(verifier))). */
export async function s256Challenge(verifier: string): Promise<string> {
  if (!VERIFIER.test(verifier)) throw new Error('a PKCE code verifier is 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_", "~"');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export async function createPkcePair(random: RandomFill = cryptoRandom): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(32, random);
  return { verifier, challenge: await s256Challenge(verifier) };
}
