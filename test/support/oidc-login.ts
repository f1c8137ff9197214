/**
 * Real access tokens from the local OpenID provider (local/oidc-provider.ts), obtained the way the
 * portal obtains them: the authorization code flow with PKCE (S256), driven with plain fetch
 * through the provider's own sign-in form (cookies kept by hand). No token is minted here.
 *
 *   const token = await accessTokenFor("qt.haiduong", stack);           // a demo person
 *   const login = oidcLogin({ issuer: stack.oidc.issuer, portalOrigin: stack.url });
 *   const { accessToken, idToken } = await login.signIn("x", "pw");  // any account
 *   await login.signOut(signedIn); await login.silentSignIn(signedIn);
 */
import { createHash, randomBytes } from "node:crypto";
import { DEMO_PASSWORD } from "../../local/demo-people";
import { PORTAL_CLIENT_ID, PORTAL_SCOPE } from "../../local/oidc-provider";

export interface OidcLoginOptions {
  /** The provider's issuer URL (`stack.oidc.issuer`, or process.env.OIDC_ISSUER). */
  issuer?: string;
  /** The portal's origin, its redirect URI being `${portalOrigin}/` (`stack.url`). */
  portalOrigin: string;
  clientId?: string;
  scope?: string;
  /** e.g. `consent`, which `offline_access` needs for a refresh token. */
  prompt?: string;
}

export interface SignedIn {
  accessToken: string;
  idToken: string;
  expiresIn: number;
  /** With `offline_access` in the scope (and `prompt: "consent"`). */
  refreshToken?: string;
  /** The provider's session cookies of this sign-in (for signOut and silentSignIn). */
  jar: CookieJar;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint: string;
}

/** A minimal cookie jar: every cookie the provider set, sent back on every request to it. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

export function oidcLogin(options: OidcLoginOptions) {
  const issuer = options.issuer ?? process.env.OIDC_ISSUER;
  if (!issuer) throw new Error("oidcLogin: no issuer (pass one or set OIDC_ISSUER)");
  const clientId = options.clientId ?? PORTAL_CLIENT_ID;
  const scope = options.scope ?? PORTAL_SCOPE;
  const redirectUri = `${options.portalOrigin}/`;
  let discovery: Promise<Discovery> | undefined;
  const cache = new Map<string, Promise<string>>();

  const discover = () =>
    (discovery ??= fetch(`${issuer}/.well-known/openid-configuration`).then(async (r) => {
      if (!r.ok) throw new Error(`discovery answered ${r.status}`);
      return (await r.json()) as Discovery;
    }));

  /** The whole flow for one person; throws when the provider refuses the password. */
  async function signIn(username: string, password: string): Promise<SignedIn> {
    const { authorization_endpoint, token_endpoint } = await discover();
    const jar = new CookieJar();
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const state = randomBytes(12).toString("base64url");
    const authorize = new URL(authorization_endpoint);
    authorize.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope,
      state,
      nonce: randomBytes(12).toString("base64url"),
      code_challenge: challenge,
      code_challenge_method: "S256",
      ...(options.prompt ? { prompt: options.prompt } : {}),
    }).toString();

    const step = async (url: string, init: RequestInit = {}): Promise<Response> => {
      const response = await fetch(url, {
        ...init,
        redirect: "manual",
        headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
      });
      jar.take(response);
      return response;
    };
    const locationOf = (response: Response, from: string) => {
      const location = response.headers.get("location");
      if (!location) throw new Error(`expected a redirect from ${from}, got ${response.status}`);
      return new URL(location, from).href;
    };

    // authorize → the sign-in page → POST the form → resume → back to the portal with a code
    const toInteraction = locationOf(await step(authorize.href), authorize.href);
    const page = await step(toInteraction);
    const html = await page.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no sign-in form at ${toInteraction} (${page.status})`);
    const formUrl = new URL(action.replaceAll("&#47;", "/"), toInteraction).href;
    const posted = await step(formUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password }).toString(),
    });
    if (posted.status === 401) throw new Error(`the provider refused the password of ${username}`);
    let next = locationOf(posted, formUrl);
    for (let hops = 0; !next.startsWith(redirectUri) || !new URL(next).searchParams.has("code"); hops++) {
      if (hops > 5) throw new Error(`no code after sign-in (last at ${next})`);
      const redirect = await step(next);
      if (redirect.status < 300 || redirect.status >= 400) {
        throw new Error(`sign-in stopped at ${next}: ${redirect.status} ${await redirect.text()}`);
      }
      next = locationOf(redirect, next);
    }
    const back = new URL(next);
    if (back.searchParams.get("state") !== state) throw new Error("state mismatch");
    const tokenResponse = await fetch(token_endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: back.searchParams.get("code") ?? "",
        redirect_uri: redirectUri,
        client_id: clientId,
        code_verifier: verifier,
      }).toString(),
    });
    const tokens = (await tokenResponse.json()) as {
      access_token?: string;
      id_token?: string;
      refresh_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (!tokenResponse.ok || !tokens.access_token || !tokens.id_token) {
      throw new Error(`token endpoint answered ${tokenResponse.status}: ${JSON.stringify(tokens)}`);
    }
    return {
      accessToken: tokens.access_token,
      idToken: tokens.id_token,
      expiresIn: tokens.expires_in ?? 0,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      jar,
    };
  }

  /** RP-initiated logout as the portal does it (the provider's page submits itself); returns where
   * the provider sent the browser back to. */
  async function signOut(signedIn: SignedIn): Promise<string> {
    const { end_session_endpoint } = await discover();
    const { jar } = signedIn;
    const url = new URL(end_session_endpoint);
    url.search = new URLSearchParams({
      id_token_hint: signedIn.idToken,
      post_logout_redirect_uri: redirectUri,
    }).toString();
    const page = await fetch(url, { headers: { cookie: jar.header() } });
    jar.take(page);
    const html = await page.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)];
    if (!action) throw new Error(`no sign-out form (${page.status})`);
    const confirmed = await fetch(new URL(action, end_session_endpoint), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
      body: new URLSearchParams(fields.map((m): [string, string] => [m[1]!, m[2]!])).toString(),
    });
    jar.take(confirmed);
    return new URL(confirmed.headers.get("location") ?? "", end_session_endpoint).href;
  }

  /** A silent sign-in (`prompt=none`) with the session's cookies: the redirect back, with a code
   * while the provider's session lasts, with `error=login_required` after it ended. */
  async function silentSignIn(signedIn: SignedIn): Promise<URL> {
    const { authorization_endpoint } = await discover();
    const verifier = randomBytes(32).toString("base64url");
    const url = new URL(authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope,
      prompt: "none",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }).toString();
    let next = url.href;
    for (let hops = 0; hops < 5 && !next.startsWith(redirectUri); hops++) {
      const response = await fetch(next, { redirect: "manual", headers: { cookie: signedIn.jar.header() } });
      signedIn.jar.take(response);
      next = new URL(response.headers.get("location") ?? "", next).href;
    }
    return new URL(next);
  }

  return {
    signIn,
    signOut,
    silentSignIn,
    /** A demo person's (or any account's with the demo password) access token, one sign-in each. */
    accessTokenFor(username: string, password = DEMO_PASSWORD): Promise<string> {
      let token = cache.get(username);
      if (!token) {
        token = signIn(username, password).then((signedIn) => signedIn.accessToken);
        token.catch(() => cache.delete(username));
        cache.set(username, token);
      }
      return token;
    },
  };
}

const logins = new Map<string, ReturnType<typeof oidcLogin>>();

/**
 * A person's access token from a local stack's provider (`startLocalStack` starts one), one sign-in
 * per person and stack: `await accessTokenFor("cb.quoctuan", stack)`.
 */
export function accessTokenFor(
  username: string,
  stack: { url: string; oidc?: { issuer: string } },
  password = DEMO_PASSWORD,
): Promise<string> {
  const issuer = stack.oidc?.issuer ?? process.env.OIDC_ISSUER;
  if (!issuer) throw new Error("accessTokenFor: the stack runs no OpenID provider");
  const key = `${issuer} ${stack.url}`;
  let login = logins.get(key);
  if (!login) {
    login = oidcLogin({ issuer, portalOrigin: stack.url });
    logins.set(key, login);
  }
  return login.accessTokenFor(username, password);
}
