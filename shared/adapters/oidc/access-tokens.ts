/**
 * Verifies people's JWT access tokens against the configured issuer (docs/people.md#tokens), with
 * `jose`: the same code in Lambda and in the local stack.
 *
 * - signature: a key of the issuer's JWKS (found through its discovery document), cached, fetched
 *   again when a token names an unknown `kid` (createRemoteJWKSet); `alg: none` and symmetric
 *   algorithms are never accepted;
 * - `iss` exactly the issuer, `exp` and `nbf` with 60 s of leeway at most, a `sub`;
 * - a verified e-mail only: `email` with `email_verified` true (else userinfo is asked);
 * - the portal's client: `client_id` (Cognito, RFC 9068) or `aud` names OIDC_CLIENT_ID, and when
 *   OIDC_AUDIENCE is set (a resource indicator), `aud` names it too;
 * - an access token: Cognito's `token_use: "access"`, or the `at+jwt` type of RFC 9068. An ID token
 *   (`token_use: "id"`, or no `at+jwt` type) is refused.
 *
 * Anything else is "not valid" (undefined, answered 401). Only an unreachable provider throws
 * (a DependencyUnavailableError, answered 503): the token may well be valid.
 */
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import type { AccessTokenVerifier, VerifiedAccessToken } from "../../people/authenticate";
import { DependencyUnavailableError } from "../dependency-failure";

export const MAX_CLOCK_SKEW_SECONDS = 60;
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

export interface OidcSettings {
  /** OIDC_ISSUER: e.g. `https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_abc`. */
  issuer: string;
  /** OIDC_CLIENT_ID: the portal's client id. */
  clientId: string;
  /** OIDC_AUDIENCE: the resource the tokens are for, when the provider uses resource indicators. */
  audience?: string;
  /** OIDC_SCOPE: what the portal asks for (default `openid email profile`). */
  scope: string;
  /** OIDC_LOGOUT_URL: where the portal sends a person to sign out, for a provider without an
   * end_session_endpoint (Cognito's `/logout?client_id=…&logout_uri=…`). */
  logoutUrl?: string;
}

export const DEFAULT_SCOPE = "openid email profile";

/** The OIDC_* variables, or undefined when no issuer is configured (reader tokens only). */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new Error("OIDC_ISSUER is set but OIDC_CLIENT_ID is not");
  const audience = env.OIDC_AUDIENCE?.trim();
  const logoutUrl = env.OIDC_LOGOUT_URL?.trim();
  return {
    issuer,
    clientId,
    ...(audience ? { audience } : {}),
    scope: env.OIDC_SCOPE?.trim() || DEFAULT_SCOPE,
    ...(logoutUrl ? { logoutUrl } : {}),
  };
}

/** The issuer could not be reached (discovery, JWKS or userinfo): answered 503, retry later. */
export class IdentityProviderUnavailableError extends DependencyUnavailableError {
  override name = "IdentityProviderUnavailableError";
}

interface Discovery {
  issuer: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
}

const TIMEOUT_MS = 5_000;

export class JoseAccessTokenVerifier implements AccessTokenVerifier {
  private discovery?: Promise<Discovery>;
  private jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly settings: OidcSettings,
    /** jose's wait between two JWKS fetches (default 30 s): an unknown `kid` fetches again after it, so
     * a flood of forged kids cannot hammer the provider. */
    private readonly options: { jwksCooldownMs?: number } = {},
  ) {}

  private discover(): Promise<Discovery> {
    this.discovery ??= (async () => {
      const url = `${this.settings.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (error) {
        throw new IdentityProviderUnavailableError(`discovery at ${url} failed`, { cause: error });
      }
      if (!response.ok) throw new IdentityProviderUnavailableError(`discovery at ${url}: ${response.status}`);
      const body = (await response.json()) as Discovery;
      if (body.issuer !== this.settings.issuer || typeof body.jwks_uri !== "string") {
        throw new Error(
          `the discovery document at ${url} names another issuer (${body.issuer}): check OIDC_ISSUER`,
        );
      }
      return body;
    })().catch((error: unknown) => {
      this.discovery = undefined; // tried again on the next request
      throw error;
    });
    return this.discovery;
  }

  private async keys() {
    if (!this.jwks) {
      const { jwks_uri } = await this.discover();
      this.jwks = createRemoteJWKSet(new URL(jwks_uri), {
        timeoutDuration: TIMEOUT_MS,
        ...(this.options.jwksCooldownMs === undefined
          ? {}
          : { cooldownDuration: this.options.jwksCooldownMs }),
      });
    }
    return this.jwks;
  }

  async verify(token: string, now: Date): Promise<VerifiedAccessToken | undefined> {
    const keys = await this.keys();
    let payload: JWTPayload;
    let typ: string | undefined;
    try {
      const verified = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        algorithms: ALGORITHMS,
        clockTolerance: MAX_CLOCK_SKEW_SECONDS,
        currentDate: now,
        requiredClaims: ["exp", "sub"],
      });
      payload = verified.payload;
      typ = verified.protectedHeader.typ;
    } catch (error) {
      if (providerUnreachable(error)) {
        throw new IdentityProviderUnavailableError("the issuer's JWKS could not be fetched", {
          cause: error,
        });
      }
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
    return this.accepts(payload, typ) ? identityOf(payload, this.settings.issuer) : undefined;
  }

  private accepts(payload: JWTPayload, typ: string | undefined): boolean {
    const tokenUse = payload.token_use;
    const isAccessToken =
      tokenUse !== undefined ? tokenUse === "access" : /^(application\/)?at\+jwt$/i.test(typ ?? "");
    if (!isAccessToken) return false;
    const audiences = typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []);
    const forClient =
      payload.client_id === this.settings.clientId || audiences.includes(this.settings.clientId);
    if (!forClient) return false;
    return this.settings.audience === undefined || audiences.includes(this.settings.audience);
  }

  async verifiedEmail(token: string): Promise<string | undefined> {
    const { userinfo_endpoint } = await this.discover();
    if (!userinfo_endpoint) return undefined;
    let response: Response;
    try {
      response = await fetch(userinfo_endpoint, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new IdentityProviderUnavailableError("the userinfo endpoint could not be reached", {
        cause: error,
      });
    }
    if (response.status >= 500) throw new IdentityProviderUnavailableError(`userinfo: ${response.status}`);
    if (!response.ok) return undefined;
    return userinfoEmailOf((await response.json()) as Record<string, unknown>);
  }
}

/**
 * The verified e-mail of a userinfo answer. A federated person's e-mail comes from the province's
 * own provider, which the operator connected (Cognito lists it in `identities`): it counts as
 * verified when the answer says nothing of it, never when it says `email_verified: false`.
 */
export function userinfoEmailOf(claims: {
  email?: unknown;
  email_verified?: unknown;
  identities?: unknown;
}): string | undefined {
  const federated =
    typeof claims.identities === "string"
      ? claims.identities.length > 2
      : Array.isArray(claims.identities) && claims.identities.length > 0;
  const saysUnverified = claims.email_verified === false || claims.email_verified === "false";
  return federated && !saysUnverified && typeof claims.email === "string" && claims.email !== ""
    ? claims.email
    : verifiedEmailOf(claims);
}

/** The JWKS did not answer (timeout, network, non-200), as opposed to a token that fails a check. */
function providerUnreachable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout) return true;
  if (error instanceof errors.JOSEError) return error.code === "ERR_JOSE_GENERIC";
  // fetch's own failures (refused, reset, DNS), not a TypeError a malformed token might cause.
  return (
    (error instanceof TypeError && /fetch failed/i.test(error.message)) ||
    (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"))
  );
}

/** `email` when the provider says it is verified (Cognito sends `"true"`/`"false"` strings). */
function verifiedEmailOf(claims: { email?: unknown; email_verified?: unknown }): string | undefined {
  if (typeof claims.email !== "string" || claims.email === "") return undefined;
  const verified = claims.email_verified;
  return verified === true || verified === "true" ? claims.email : undefined;
}

function identityOf(payload: JWTPayload, issuer: string): VerifiedAccessToken {
  const email = verifiedEmailOf(payload as { email?: unknown; email_verified?: unknown });
  return { issuer, subject: payload.sub!, ...(email ? { email } : {}) };
}
