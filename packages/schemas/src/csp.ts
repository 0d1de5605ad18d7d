/**
 * The web app's Content-Security-Policy, one text for every place that serves the site (CloudFront on AWS, the local
 * server): scripts only from the site; MapLibre's worker from the site or blob:; element styles (MapLibre, React, the
 * bid report's own <style>) inline; images also data: and blob:; fetches to the site and the origins given (the base
 * map style, the sign-in domain's token and revocation endpoints); no plugins, no framing.
 */
export function siteContentSecurityPolicy(connectOrigins: Iterable<string>, options: { upgradeInsecureRequests: boolean }): string {
  const connect = new Set(["'self'", ...connectOrigins]);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${[...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.upgradeInsecureRequests ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}
