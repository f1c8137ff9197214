/**
 * The pure half of signing in (auth.ts holds the browser half): the shape of `GET /v1/auth/config`
 * and the recognition of the provider's redirect back to the page. No DOM, so unit-tested in Node.
 */

/** `GET /v1/auth/config`: public, the same for every visitor. */
export interface AuthConfig {
  issuer: string;
  clientId: string;
  scope: string;
  /** Resource indicator (RFC 8707) to ask the token for, so that it is a JWT for the API. */
  resource?: string;
  /** Cognito's logout URL (`https://<domain>/logout?client_id=…&logout_uri=…`), which is not a
   * standard end_session_endpoint; absent: the provider's own end_session_endpoint. */
  logoutUrl?: string;
}

export function isAuthConfig(value: unknown): value is AuthConfig {
  const v = value as Partial<AuthConfig> | null;
  return (
    typeof v?.issuer === "string" &&
    typeof v.clientId === "string" &&
    typeof v.scope === "string" &&
    (v.resource === undefined || typeof v.resource === "string") &&
    (v.logoutUrl === undefined || typeof v.logoutUrl === "string")
  );
}

/** Whether this address is the provider sending the browser back (`?code=…&state=…` or `?error=…`). */
export function isSignInCallback(search: string): boolean {
  const params = new URLSearchParams(search);
  return params.has("state") && (params.has("code") || params.has("error"));
}
