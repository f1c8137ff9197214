import { createHash, randomBytes } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_PEOPLE } from "../../local/demo-people";
import {
  LOCAL_API_RESOURCE,
  type LocalOidc,
  PORTAL_CLIENT_ID,
  PORTAL_SCOPE,
  startLocalOidc,
} from "../../local/oidc-provider";
import {
  IdentityProviderUnavailableError,
  JoseAccessTokenVerifier,
} from "../../shared/adapters/oidc/access-tokens";
import { answerForError } from "../../shared/api/errors";
import { accessTokenFor, oidcLogin } from "../support/oidc-login";

/**
 * The development OpenID provider of `npm start` (docs/people.md#locally), on its own: what the
 * portal and the API rely on. The portal's origin here is a made-up port: the provider only
 * redirects to it, nothing listens there.
 */
const PORTAL = "http://127.0.0.1:45999";
let oidc: LocalOidc;
let discovery: Record<string, unknown>;

beforeAll(async () => {
  oidc = await startLocalOidc({ portalOrigins: [PORTAL] });
  discovery = (await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json()) as Record<
    string,
    unknown
  >;
});
afterAll(async () => {
  await oidc?.stop();
});

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(discovery.authorization_endpoint as string);
  const verifier = randomBytes(32).toString("base64url");
  url.search = new URLSearchParams({
    client_id: PORTAL_CLIENT_ID,
    redirect_uri: `${PORTAL}/`,
    response_type: "code",
    scope: PORTAL_SCOPE,
    state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ...params,
  }).toString();
  return url.href;
}

describe("the development OpenID provider", () => {
  it("advertises the code flow with PKCE S256 only, an end-session endpoint and its JWKS", () => {
    expect(discovery.issuer).toBe(oidc.issuer);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    expect(discovery.response_types_supported).toContain("code");
    expect(discovery.end_session_endpoint).toEqual(expect.any(String));
    expect(discovery.jwks_uri).toEqual(expect.any(String));
  });

  it("shows a sign-in page with one user-name input, one password input and one submit button", async () => {
    const response = await fetch(authorizeUrl({}), { redirect: "manual" });
    const page = await fetch(new URL(response.headers.get("location")!, oidc.issuer), {
      headers: {
        cookie: response.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; "),
      },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html.match(/<input[^>]*type="text"[^>]*>/g)).toHaveLength(1);
    expect(html).toMatch(/<input[^>]*name="username"[^>]*type="text"/);
    expect(html.match(/<input[^>]*type="password"[^>]*>/g)).toHaveLength(1);
    expect(html.match(/<button[^>]*type="submit"/g)).toHaveLength(1);
  });

  it("signs every demo person in without a consent step, with a JWT access token for the API", async () => {
    const login = oidcLogin({ issuer: oidc.issuer, portalOrigin: PORTAL });
    for (const person of DEMO_PEOPLE) {
      const { accessToken, idToken } = await login.signIn(person.username, DEMO_PASSWORD);
      expect(decodeProtectedHeader(accessToken).typ).toBe("at+jwt");
      expect(decodeJwt(accessToken)).toMatchObject({
        iss: oidc.issuer,
        sub: person.username,
        aud: LOCAL_API_RESOURCE,
        client_id: PORTAL_CLIENT_ID,
        email: person.email,
        email_verified: true,
      });
      expect(decodeJwt(idToken)).toMatchObject({ aud: PORTAL_CLIENT_ID, name: person.name });
      const verifier = new JoseAccessTokenVerifier({
        issuer: oidc.issuer,
        clientId: PORTAL_CLIENT_ID,
        audience: LOCAL_API_RESOURCE,
        scope: PORTAL_SCOPE,
      });
      expect(await verifier.verify(accessToken, new Date())).toEqual({
        issuer: oidc.issuer,
        subject: person.username,
        email: person.email,
      });
      expect(await verifier.verify(idToken, new Date())).toBeUndefined();
    }
    // The shortcut of test/support/oidc-login.ts: one sign-in per person and stack.
    const token = await accessTokenFor("vp.haiduong", { url: PORTAL, oidc });
    expect(decodeJwt(token).sub).toBe("vp.haiduong");
    expect(await accessTokenFor("vp.haiduong", { url: PORTAL, oidc })).toBe(token);
  });

  it("refuses a wrong password, a request without PKCE and a redirect outside the portal", async () => {
    const login = oidcLogin({ issuer: oidc.issuer, portalOrigin: PORTAL });
    await expect(login.signIn("qt.haiduong", "wrong")).rejects.toThrow(/refused the password/);
    await expect(login.signIn("nobody", DEMO_PASSWORD)).rejects.toThrow(/refused the password/);
    const withoutPkce = new URL(authorizeUrl({}));
    withoutPkce.searchParams.delete("code_challenge");
    withoutPkce.searchParams.delete("code_challenge_method");
    const noPkce = await fetch(withoutPkce, { redirect: "manual" });
    expect(new URL(noPkce.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const elsewhere = await fetch(authorizeUrl({ redirect_uri: "https://attacker.example/" }), {
      redirect: "manual",
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get("location")).toBeNull();
    // Both spellings of the loopback origin are registered.
    const localhost = oidcLogin({
      issuer: oidc.issuer,
      portalOrigin: PORTAL.replace("127.0.0.1", "localhost"),
    });
    expect(decodeJwt(await localhost.accessTokenFor("vp.haiduong")).sub).toBe("vp.haiduong");
  });

  it("tells the portal to ask for offline_access, granted without asking: a refresh token that renews the access token", async () => {
    expect(oidc.scope.split(" ")).toEqual([...PORTAL_SCOPE.split(" "), "offline_access"]);
    const login = oidcLogin({
      issuer: oidc.issuer,
      portalOrigin: PORTAL,
      scope: oidc.scope,
      prompt: "consent",
    });
    const signedIn = await login.signIn("cb.quoctuan", DEMO_PASSWORD);
    expect(signedIn.refreshToken).toEqual(expect.any(String));
    expect(decodeJwt(signedIn.accessToken)).toMatchObject({ sub: "cb.quoctuan", aud: LOCAL_API_RESOURCE });
    // The portal's renewal: the refresh token grant of a public client, naming the resource.
    const renewed = await fetch(discovery.token_endpoint as string, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: signedIn.refreshToken!,
        client_id: PORTAL_CLIENT_ID,
        resource: LOCAL_API_RESOURCE,
      }),
    });
    const tokens = (await renewed.json()) as { access_token: string; refresh_token: string };
    expect(renewed.status, JSON.stringify(tokens)).toBe(200);
    expect(tokens.access_token).not.toBe(signedIn.accessToken);
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: "cb.quoctuan", aud: LOCAL_API_RESOURCE });
    // Sign-out revokes it (the portal does so first): it renews nothing after.
    const form = (body: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: PORTAL_CLIENT_ID, ...body }),
    });
    const revoked = await fetch(
      discovery.revocation_endpoint as string,
      form({ token: tokens.refresh_token, token_type_hint: "refresh_token" }),
    );
    expect(revoked.status).toBe(200);
    const after = await fetch(
      discovery.token_endpoint as string,
      form({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        resource: LOCAL_API_RESOURCE,
      }),
    );
    expect(after.status).toBe(400);
    expect(((await after.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("signs out at the provider too: a silent sign-in works before, and is refused after", async () => {
    const login = oidcLogin({ issuer: oidc.issuer, portalOrigin: PORTAL });
    const signedIn = await login.signIn("ct.quoctuan", DEMO_PASSWORD);
    expect((await login.silentSignIn(signedIn)).searchParams.get("code")).toEqual(expect.any(String));
    expect(await login.signOut(signedIn)).toBe(`${PORTAL}/`);
    expect((await login.silentSignIn(signedIn)).searchParams.get("error")).toBe("login_required");
  });

  it("a provider that cannot be reached is a 503 (retry later), not a 401", async () => {
    const closed = await startLocalOidc({ portalOrigins: [PORTAL] });
    const issuer = closed.issuer;
    await closed.stop();
    const verifier = new JoseAccessTokenVerifier({ issuer, clientId: PORTAL_CLIENT_ID, scope: PORTAL_SCOPE });
    const error = await verifier.verify("a.b.c", new Date()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityProviderUnavailableError);
    expect(answerForError(error, "req").response.statusCode).toBe(503);
  });
});
