/**
 * The Authenticator (./caller.ts), once for every handler: a bearer token is either a person's JWT
 * access token of the configured issuer, whose grant gives the role and units, or an opaque reader
 * token (an access code), which reads and never writes. docs/people.md#tokens.
 *
 * Order: no or malformed header → 401; a JWT that does not verify → 401; a verified person with a
 * disabled grant → 403 `forbidden`; without a grant → 403 `no_grant`. An unbound grant binds to
 * `issuer + sub` at the first sign-in whose verified e-mail matches (from the token's `email`
 * claim, or else the provider's userinfo endpoint, asked once per person and process); a disabled
 * grant is refused before it is bound, so it stays unbound.
 *
 * Pure: the ports below are implemented by shared/adapters (jose, DynamoDB).
 */
import type { ReaderToken } from "../reports/ports";
import { type Authentication, type Authenticator, type Caller, scopeOfUnits } from "./caller";
import { type Grant, normalizeEmail } from "./grants";

/** A verified access token: who, according to the issuer. */
export interface VerifiedAccessToken {
  readonly issuer: string;
  readonly subject: string;
  /** The `email` claim when the token carries one and does not say it is unverified. */
  readonly email?: string;
}

export interface AccessTokenVerifier {
  /** The token's identity, or undefined for anything that must be answered 401 (never throws for a
   * bad token; throws only when a dependency, e.g. the JWKS endpoint, cannot be reached). */
  verify(token: string, now: Date): Promise<VerifiedAccessToken | undefined>;
  /** The person's verified e-mail from the provider (userinfo), when the token has none. */
  verifiedEmail(token: string): Promise<string | undefined>;
}

export interface ReaderTokenVerifier {
  verify(token: string, now: Date): Promise<ReaderToken | undefined>;
}

/** What authentication needs of the grants (shared/adapters/dynamo/grant-store.ts). */
export interface GrantLookup {
  bySubject(issuer: string, subject: string): Promise<Grant | undefined>;
  byEmail(email: string): Promise<Grant | undefined>;
  /** Binds an unbound grant; false when it was bound (to someone else) meanwhile. */
  bind(email: string, issuer: string, subject: string): Promise<boolean>;
}

export type AuthenticatorDeps =
  | { readerTokens: ReaderTokenVerifier; accessTokens: AccessTokenVerifier; grants: GrantLookup }
  /** No issuer configured: only reader tokens are accepted. */
  | { readerTokens: ReaderTokenVerifier; accessTokens?: undefined; grants?: undefined };

/** Three base64url parts: a JWS compact serialization (reader tokens never contain a dot). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BEARER = /^Bearer[ ]+([^\s]+)\s*$/i;
/** How long a person whose provider gave no verified e-mail waits before it is asked again. */
const NO_EMAIL_RETRY_MS = 5 * 60_000;

const unauthorized = (message: string): Authentication => ({
  ok: false,
  status: 401,
  code: "unauthorized",
  message,
});

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  // Asked once per person and process: userinfo is a call to the provider on the request's path.
  // An e-mail found is kept; "none" is asked again after a while (a scope or mapping fixed since).
  const emails = new Map<string, { email: Promise<string | undefined>; until: number }>();
  const emailOf = (verified: VerifiedAccessToken, token: string): Promise<string | undefined> => {
    if (verified.email) return Promise.resolve(normalizeEmail(verified.email));
    const key = `${verified.issuer}\n${verified.subject}`;
    const known = emails.get(key);
    if (known && known.until > Date.now()) return known.email;
    if (emails.size > 10_000) emails.clear();
    const entry = { email: deps.accessTokens!.verifiedEmail(token), until: Number.POSITIVE_INFINITY };
    entry.email = entry.email.then((email) => {
      if (!email) entry.until = Date.now() + NO_EMAIL_RETRY_MS;
      return email ? normalizeEmail(email) : undefined;
    });
    entry.email.catch(() => emails.delete(key));
    emails.set(key, entry);
    return entry.email;
  };

  async function grantOf(
    grants: GrantLookup,
    verified: VerifiedAccessToken,
    token: string,
  ): Promise<Grant | undefined> {
    const bound = await grants.bySubject(verified.issuer, verified.subject);
    if (bound) return bound;
    const email = await emailOf(verified, token);
    if (!email) return undefined;
    const byEmail = await grants.byEmail(email);
    if (!byEmail) return undefined;
    if (byEmail.subject !== undefined) {
      // Bound to another person of the same e-mail (or another issuer): not this one's.
      return byEmail.issuer === verified.issuer && byEmail.subject === verified.subject ? byEmail : undefined;
    }
    // A disabled grant is refused (403 by the caller) and stays unbound: a refused sign-in writes nothing.
    if (byEmail.disabled) return byEmail;
    if (!(await grants.bind(email, verified.issuer, verified.subject))) return undefined;
    return { ...byEmail, issuer: verified.issuer, subject: verified.subject };
  }

  return {
    async authenticate(authorization, now) {
      const token = BEARER.exec(authorization ?? "")?.[1];
      if (!token) return unauthorized("send Authorization: Bearer <access token or access code>");
      if (!JWT_SHAPE.test(token)) {
        const reader = await deps.readerTokens.verify(token, now);
        if (!reader) return unauthorized("unknown or expired access code");
        const caller: Caller = { kind: "reader-token", scope: reader.scope };
        return { ok: true, caller };
      }
      if (!deps.accessTokens) return unauthorized("no identity provider is configured: use an access code");
      const verified = await deps.accessTokens.verify(token, now);
      if (!verified) return unauthorized("the access token is not valid: sign in again");
      const grant = await grantOf(deps.grants, verified, token);
      if (!grant) {
        return {
          ok: false,
          status: 403,
          code: "no_grant",
          message: "you are signed in, but no role was granted to you: ask your unit's administrator",
        };
      }
      if (grant.disabled) {
        return { ok: false, status: 403, code: "forbidden", message: "your grant is disabled" };
      }
      const person = {
        issuer: verified.issuer,
        subject: verified.subject,
        name: grant.name,
        role: grant.role,
        units: grant.units,
      };
      return { ok: true, caller: { kind: "person", person, scope: scopeOfUnits(grant.units) } };
    },
  };
}
