import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  JoseAccessTokenVerifier,
  MAX_CLOCK_SKEW_SECONDS,
  type OidcSettings,
} from "../../shared/adapters/oidc/access-tokens";
import { createAuthenticator } from "../../shared/people/authenticate";

/**
 * What a forger can send (docs/people.md#tokens), against the verifier every handler uses: tokens
 * signed with the forger's own keys, served like a real provider's (discovery and JWKS over HTTP).
 * Every forgery is refused (401), whatever its claims; the genuine token with the same claims is
 * accepted, so each property would fail if the check it relies on were missing.
 */
const CLIENT_ID = "onestop-portal";
const RESOURCE = "urn:onestop:reports-api";
const NOW = new Date("2026-03-02T03:04:05Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);

interface Key {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string, alg = "RS256"): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

let server: Server;
let issuer: string;
let published: JWK[] = [];
let jwksFetches = 0;
let trusted: Key;
let rotated: Key;
let forger: Key;
let settings: OidcSettings;

beforeAll(async () => {
  [trusted, rotated, forger] = await Promise.all([newKey("trusted"), newKey("rotated"), newKey("trusted")]);
  published = [trusted.jwk];
  server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration") {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    } else if (req.url === "/jwks") {
      jwksFetches += 1;
      res.end(JSON.stringify({ keys: published }));
    } else {
      res.statusCode = 404;
      res.end("{}");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  settings = { issuer, clientId: CLIENT_ID, audience: RESOURCE, scope: "openid" };
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const claimsArb = fc.record({
  sub: fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/),
  email: fc.emailAddress(),
  /** Seconds until expiry: beyond the leeway either way is covered by the forgeries. */
  ttl: fc.integer({ min: 1, max: 3600 }),
});
type Claims = { sub: string; email: string; ttl: number };

function payloadOf(claims: Claims, extra: JWTPayload = {}): JWTPayload {
  return {
    iss: issuer,
    sub: claims.sub,
    aud: RESOURCE,
    client_id: CLIENT_ID,
    email: claims.email,
    email_verified: true,
    iat: nowSeconds - 10,
    exp: nowSeconds + claims.ttl,
    ...extra,
  };
}

function sign(payload: JWTPayload, key: Key, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: key.jwk.kid!, ...header })
    .sign(key.privateKey);
}

const genuine = (claims: Claims) => sign(payloadOf(claims), trusted);

const FORGERIES: Record<string, (claims: Claims) => Promise<string>> = {
  "alg none": async (claims) =>
    new UnsecuredJWT(payloadOf(claims))
      .encode()
      .replace(/^[^.]+/, () =>
        Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt", kid: "trusted" })).toString("base64url"),
      ),
  "a key not in the JWKS, under a trusted kid": (claims) => sign(payloadOf(claims), forger),
  "a key not in the JWKS, under its own kid": (claims) =>
    sign(payloadOf(claims), { ...forger, jwk: { ...forger.jwk, kid: "forged" } }),
  "HS256 keyed with the public key (algorithm confusion)": async (claims) =>
    new SignJWT(payloadOf(claims))
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: "trusted" })
      .sign(new TextEncoder().encode(JSON.stringify(trusted.jwk))),
  "another issuer": (claims) => sign(payloadOf(claims, { iss: "https://idp.attacker.example" }), trusted),
  "an ID token (no at+jwt type, the client as audience)": (claims) =>
    sign(payloadOf(claims, { aud: CLIENT_ID, client_id: undefined, nonce: "n" }), trusted, { typ: "JWT" }),
  "a Cognito ID token (token_use id)": (claims) => sign(payloadOf(claims, { token_use: "id" }), trusted),
  "expired beyond the leeway": (claims) =>
    sign(payloadOf(claims, { exp: nowSeconds - MAX_CLOCK_SKEW_SECONDS - claims.ttl }), trusted),
  "not yet valid beyond the leeway": (claims) =>
    sign(payloadOf(claims, { nbf: nowSeconds + MAX_CLOCK_SKEW_SECONDS + claims.ttl }), trusted),
  "another resource as audience": (claims) => sign(payloadOf(claims, { aud: "urn:other:api" }), trusted),
  "another client": (claims) => sign(payloadOf(claims, { client_id: "other-client" }), trusted),
  "no subject": (claims) => sign(payloadOf(claims, { sub: undefined }), trusted),
  "a tampered payload (another subject, the genuine signature)": async (claims) => {
    const [header, , signature] = (await genuine(claims)).split(".");
    const payload = Buffer.from(JSON.stringify(payloadOf({ ...claims, sub: `${claims.sub}x` }))).toString(
      "base64url",
    );
    return `${header}.${payload}.${signature}`;
  },
  "a stripped signature": async (claims) => (await genuine(claims)).replace(/[^.]+$/, ""),
};

describe("forged access tokens", () => {
  it("the genuine token with any claims is accepted, with its subject and verified e-mail", async () => {
    const verifier = new JoseAccessTokenVerifier(settings);
    await fc.assert(
      fc.asyncProperty(claimsArb, async (claims) => {
        const verified = await verifier.verify(await genuine(claims), NOW);
        expect(verified).toEqual({ issuer, subject: claims.sub, email: claims.email });
      }),
      { numRuns: 30 },
    );
  });

  it.each(Object.keys(FORGERIES))("%s: refused whatever the claims", async (name) => {
    const verifier = new JoseAccessTokenVerifier(settings, { jwksCooldownMs: 0 });
    await fc.assert(
      fc.asyncProperty(claimsArb, async (claims) => {
        expect(await verifier.verify(await FORGERIES[name]!(claims), NOW)).toBeUndefined();
      }),
      { numRuns: 25 },
    );
  });

  it("every forgery is answered 401 unauthorized by the Authenticator, never 403 or a caller", async () => {
    const authenticator = createAuthenticator({
      readerTokens: { verify: async () => undefined },
      accessTokens: new JoseAccessTokenVerifier(settings),
      grants: {
        bySubject: async () => ({
          email: "x@y.z",
          name: "X",
          role: "admin",
          units: ["*"],
          grantedBy: "t",
          grantedAt: "t",
          disabled: false,
        }),
        byEmail: async () => undefined,
        bind: async () => false,
      },
    });
    await fc.assert(
      fc.asyncProperty(claimsArb, fc.constantFrom(...Object.keys(FORGERIES)), async (claims, name) => {
        const answer = await authenticator.authenticate(`Bearer ${await FORGERIES[name]!(claims)}`, NOW);
        expect(answer).toMatchObject({ ok: false, status: 401, code: "unauthorized" });
      }),
      { numRuns: 60 },
    );
    // The same claims, genuinely signed, pass: the grant of this fake lookup is found.
    const ok = await authenticator.authenticate(
      `Bearer ${await genuine({ sub: "s", email: "a@b.c", ttl: 60 })}`,
      NOW,
    );
    expect(ok).toMatchObject({ ok: true, caller: { kind: "person" } });
  });

  it("accepts a token expired or not yet valid within the 60 s leeway", async () => {
    const verifier = new JoseAccessTokenVerifier(settings);
    const claims = { sub: "s", email: "a@b.c", ttl: 1 };
    const late = await sign(payloadOf(claims, { exp: nowSeconds - MAX_CLOCK_SKEW_SECONDS + 1 }), trusted);
    const early = await sign(payloadOf(claims, { nbf: nowSeconds + MAX_CLOCK_SKEW_SECONDS - 1 }), trusted);
    expect(await verifier.verify(late, NOW)).toMatchObject({ subject: "s" });
    expect(await verifier.verify(early, NOW)).toMatchObject({ subject: "s" });
  });

  it("fetches the JWKS again for an unknown kid: a rotated key is accepted without a restart", async () => {
    const verifier = new JoseAccessTokenVerifier(settings, { jwksCooldownMs: 0 });
    const claims = { sub: "rotated", email: "r@b.c", ttl: 60 };
    expect(await verifier.verify(await genuine(claims), NOW)).toMatchObject({ subject: "rotated" });
    const before = jwksFetches;
    const token = await sign(payloadOf(claims), rotated);
    expect(await verifier.verify(token, NOW)).toBeUndefined(); // not published yet
    published = [trusted.jwk, rotated.jwk];
    try {
      expect(await verifier.verify(token, NOW)).toMatchObject({ subject: "rotated" });
      expect(jwksFetches).toBeGreaterThan(before);
    } finally {
      published = [trusted.jwk];
    }
  });

  it("leaves out an e-mail the token does not say is verified (then userinfo is asked)", async () => {
    const verifier = new JoseAccessTokenVerifier(settings);
    const claims = { sub: "u", email: "u@b.c", ttl: 60 };
    const unverified = await sign(payloadOf(claims, { email_verified: false }), trusted);
    expect(await verifier.verify(unverified, NOW)).toEqual({ issuer, subject: "u" });
  });
});
