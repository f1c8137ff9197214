/**
 * The headers of the portal's origin, defined once: the CloudFront distribution
 * (infra/constructs/portal.ts) and the local stack (local/http-server.ts, local/static-files.ts)
 * both send exactly these. Security headers go with every answer, API included.
 *
 * The page loads only its own scripts, styles and fonts (Vite emits no inline script or style:
 * web/vite.config.ts), talks only to its own origin (`/v1/*`) and the identity provider's, and
 * leaves for the provider's sign-in page and the presigned S3 downloads by navigation, which
 * `connect-src` does not govern.
 */

/**
 * `Content-Security-Policy`: no inline or foreign scripts, no framing, no plugins. The page talks to
 * its own origin and, when people sign in, to the identity provider's origins (discovery and the
 * token endpoint, which Cognito serves from two hosts: the authorization code is exchanged from the
 * page, docs/portal.md#signing-in).
 */
export function contentSecurityPolicy(identityProviderOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...identityProviderOrigins].join(" "),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The policy of a portal without sign-in through a provider (access codes only). */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** `Strict-Transport-Security`: two years, subdomains included (browsers ignore it over plain HTTP). */
export const HSTS = { maxAgeSeconds: 2 * 365 * 24 * 60 * 60, includeSubdomains: true } as const;

/** Presigned download URLs and deep links carry nothing for others to see. */
export const REFERRER_POLICY = "no-referrer";

/** The older twin of `frame-ancestors 'none'`. */
export const FRAME_OPTIONS = "DENY";

/** Headers CloudFront's policy has no dedicated field for (sent as custom headers there). */
export const CUSTOM_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/** Every header above, as an HTTP server sends them (with the identity provider's origins, if any). */
export function securityHeaders(identityProviderOrigins: readonly string[] = []): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(identityProviderOrigins),
    "strict-transport-security": `max-age=${HSTS.maxAgeSeconds}${HSTS.includeSubdomains ? "; includeSubDomains" : ""}`,
    "x-content-type-options": "nosniff",
    "x-frame-options": FRAME_OPTIONS,
    "referrer-policy": REFERRER_POLICY,
    ...CUSTOM_SECURITY_HEADERS,
  };
}

/** Vite's output folder for hashed file names (web/dist/assets/index-<hash>.js): they never change. */
export const IMMUTABLE_ASSETS_PREFIX = "assets/";

/** Cache-Control of hashed assets: a year, never revalidated. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";

/** Cache-Control of everything else (index.html names the current assets): revalidate every time. */
export const PAGE_CACHE_CONTROL = "no-cache";

/** The Cache-Control of a file of web/dist, by its path relative to it (`index.html`, `assets/x.js`). */
export function cacheControlOf(relativePath: string): string {
  return relativePath.startsWith(IMMUTABLE_ASSETS_PREFIX) ? IMMUTABLE_CACHE_CONTROL : PAGE_CACHE_CONTROL;
}
