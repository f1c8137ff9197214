/**
 * The development OpenID provider of the local stack (docs/people.md#locally): panva's
 * `oidc-provider`, a certified implementation, on its own port, with the demo people
 * (local/demo-people.ts) as its accounts. What the API sees is what it sees from Cognito in AWS:
 * JWT access tokens (RFC 9068, `typ: at+jwt`) signed with keys published at the issuer's JWKS.
 *
 * - The portal is a public client (`onestop-portal`, no secret): authorization code with PKCE
 *   (S256), redirect and post-logout URIs = the portal's origin (127.0.0.1 and localhost).
 * - Resource indicators with a default resource (LOCAL_API_RESOURCE): every access token is a JWT
 *   whose `aud` is that resource and whose `client_id` is the portal; it also carries `email` and
 *   `email_verified` (extraTokenClaims), the way a province's provider may add them.
 * - The sign-in page is ours (one text input `username`, one password input, one submit button);
 *   the consent step is skipped for the portal (the grant is made on sign-in).
 * - The portal is told to ask for `offline_access` too (PORTAL_REQUEST_SCOPE, with prompt=consent,
 *   granted unasked): it gets refresh tokens (8 hours) and renews as with Cognito.
 *
 * Keys, sessions and codes live in memory: a restart signs everyone out, which is fine locally.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider, {
  type Adapter,
  type AdapterPayload,
  type Configuration,
  errors,
  type KoaContextWithOIDC,
} from "oidc-provider";
import { DEMO_PEOPLE, type DemoPerson } from "./demo-people";

export const PORTAL_CLIENT_ID = "onestop-portal";
/** The resource (audience) of the local access tokens: an identifier, not a URL to call. */
export const LOCAL_API_RESOURCE = "urn:onestop:reports-api";
/** Who the person is and their e-mail (the grant is bound by it): the portal's grant, and the
 * access tokens' scope. */
export const PORTAL_SCOPE = "openid email profile";
/** What the portal is told to ask for (OIDC_SCOPE of the local stack): also `offline_access`, so that
 * it gets refresh tokens and renews its access tokens as with Cognito, which always gives them. */
export const PORTAL_REQUEST_SCOPE = `${PORTAL_SCOPE} offline_access`;
/** Access tokens live 15 minutes: the portal renews them with its refresh token. */
const ACCESS_TOKEN_SECONDS = 15 * 60;
/** As Cognito's portal client: refresh tokens live 8 hours (and the grant and session no longer). */
const REFRESH_TOKEN_SECONDS = 8 * 60 * 60;

export interface LocalOidcOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Origins the portal is served from (e.g. `http://127.0.0.1:3000`); each is a redirect URI
   * with a trailing `/`, and localhost is added for 127.0.0.1. */
  portalOrigins: readonly string[];
  /** Accounts that may sign in; default the demo people. Tests add people without a grant. */
  accounts?: readonly Pick<DemoPerson, "username" | "password" | "name" | "email">[];
  log?: (line: string) => void;
}

export interface LocalOidc {
  /** The issuer URL, e.g. `http://127.0.0.1:3001`: discovery at `/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  resource: string;
  scope: string;
  port: number;
  stop(): Promise<void>;
}

/** Both spellings of a loopback origin, so the portal works whichever the browser was given. */
function withLoopbackAliases(origins: readonly string[]): string[] {
  const out = new Set<string>();
  for (const origin of origins) {
    const url = new URL(origin);
    out.add(url.origin);
    if (url.hostname === "127.0.0.1") out.add(`${url.protocol}//localhost:${url.port}`);
    if (url.hostname === "localhost") out.add(`${url.protocol}//127.0.0.1:${url.port}`);
  }
  return [...out];
}

function html(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem}.error{color:#a00}</style></head><body>${body}</body></html>`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInPage(uid: string, error?: string, username = ""): string {
  return html(
    "Đăng nhập",
    `<h1>Đăng nhập</h1>
<p>Máy chủ định danh dùng khi phát triển (development OpenID provider).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" type="text" required autofocus value="${escapeHtml(username)}">
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" required>
<button type="submit">Đăng nhập</button>
</form>`,
  );
}

/** Sessions, codes and grants in this process's memory, each with its expiry (the provider's own
 * in-memory store is shared by every instance and warns on each start). */
function memoryAdapter(): (model: string) => Adapter {
  const items = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string) => {
    const item = items.get(key);
    if (item && item.expiresAt <= Date.now()) items.delete(key);
    return items.get(key)?.payload;
  };
  const findBy = (model: string, field: "uid" | "userCode", value: string) => {
    for (const [key, item] of items) {
      if (key.startsWith(`${model}:`) && item.payload[field] === value) return live(key);
    }
    return undefined;
  };
  return (model) => ({
    async upsert(id, payload, expiresIn) {
      const expiresAt = expiresIn === undefined ? Number.POSITIVE_INFINITY : Date.now() + expiresIn * 1000;
      items.set(`${model}:${id}`, { payload, expiresAt });
    },
    async find(id) {
      return live(`${model}:${id}`);
    },
    async findByUid(uid) {
      return findBy(model, "uid", uid);
    },
    async findByUserCode(userCode) {
      return findBy(model, "userCode", userCode);
    },
    async consume(id) {
      const payload = live(`${model}:${id}`);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(id) {
      items.delete(`${model}:${id}`);
    },
    async revokeByGrantId(grantId) {
      for (const [key, item] of items) if (item.payload.grantId === grantId) items.delete(key);
    },
  });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error("form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startLocalOidc(opts: LocalOidcOptions): Promise<LocalOidc> {
  const log = opts.log ?? (() => undefined);
  const host = opts.host ?? "127.0.0.1";
  const accounts = opts.accounts ?? DEMO_PEOPLE;
  const origins = withLoopbackAliases(opts.portalOrigins);

  // The port comes first: the issuer URL is part of the provider's configuration.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${host}:${port}`;

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: `local-${randomBytes(6).toString("hex")}`,
    use: "sig",
    alg: "RS256",
  };
  const accountOf = (id: string) => accounts.find((account) => account.username === id);

  const configuration: Configuration = {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: PORTAL_CLIENT_ID,
        client_name: "Cổng báo cáo Một cửa (local)",
        token_endpoint_auth_method: "none",
        application_type: "web",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: origins.map((origin) => `${origin}/`),
        post_logout_redirect_uris: origins.map((origin) => `${origin}/`),
      },
    ],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: ["openid", "offline_access", "email", "profile"],
    pkce: { required: () => true },
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS,
      IdToken: ACCESS_TOKEN_SECONDS,
      Interaction: 15 * 60,
      RefreshToken: REFRESH_TOKEN_SECONDS,
      Session: REFRESH_TOKEN_SECONDS,
      Grant: REFRESH_TOKEN_SECONDS,
    },
    features: {
      devInteractions: { enabled: false },
      // As Cognito's client (EnableTokenRevocation): the portal revokes its refresh token on sign-out.
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // No second question on sign-out: the portal asked already. `logout=yes` ends the whole
        // session at the provider, not only the portal's part of it.
        logoutSource: async (ctx, form) => {
          const signOut = form.replace("</form>", '<input type="hidden" name="logout" value="yes"/></form>');
          ctx.body = html(
            "Đăng xuất",
            `${signOut}<button type="submit" form="op.logoutForm">Đăng xuất</button>
<script>document.forms[0].submit()</script>`,
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => LOCAL_API_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== LOCAL_API_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: PORTAL_SCOPE,
            audience: LOCAL_API_RESOURCE,
            accessTokenTTL: ACCESS_TOKEN_SECONDS,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    findAccount: async (_ctx, id) => {
      const account = accountOf(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: account.email, email_verified: true, name: account.name }),
      };
    },
    // The e-mail travels in the access token, so the API binds a grant without calling userinfo
    // (which does not take tokens meant for a resource).
    extraTokenClaims: async (_ctx, token) => {
      const accountId = "accountId" in token ? token.accountId : undefined;
      const account = accountId ? accountOf(accountId) : undefined;
      return account ? { email: account.email, email_verified: true } : undefined;
    },
    // No consent step for the portal: the grant is made on sign-in, for the scopes it asked for.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      if (client.clientId !== PORTAL_CLIENT_ID) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(PORTAL_SCOPE);
      grant.addOIDCClaims(["email", "email_verified", "name"]);
      grant.addResourceScope(LOCAL_API_RESOURCE, PORTAL_SCOPE);
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = html(
        "Lỗi đăng nhập",
        `<h1>Lỗi đăng nhập</h1><p>${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ""))}</p>`,
      );
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const interactions = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const login = /^\/interaction\/([^/]+)\/login$/.exec(path);
    if (req.method === "POST" && login) {
      const form = await readForm(req);
      const username = form.get("username") ?? "";
      const account = accountOf(username);
      const details = await provider.interactionDetails(req, res);
      if (!account || account.password !== (form.get("password") ?? "")) {
        res.writeHead(401, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
        res.end(signInPage(details.uid, "Sai tên đăng nhập hoặc mật khẩu.", username));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.username } },
        {
          mergeWithLastSubmission: false,
        },
      );
      return;
    }
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === "consent" && details.params.client_id === PORTAL_CLIENT_ID) {
      // The portal asked for more than its usual grant (offline_access, say): granted, unasked.
      const accountId = details.session?.accountId ?? "";
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId, clientId: PORTAL_CLIENT_ID });
      if (!grant) throw new Error("the interaction's grant is gone");
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(" "));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    if (details.prompt.name !== "login") {
      await provider.interactionFinished(req, res, {
        error: "access_denied",
        error_description: "only the portal may use this development provider",
      });
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(signInPage(details.uid));
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (!path.startsWith("/interaction/")) {
      callback(req, res);
      return;
    }
    interactions(req, res, path).catch((error: unknown) => {
      log(`oidc: interaction failed: ${(error as Error).message}`);
      if (!res.headersSent) {
        res.writeHead(400, { "content-type": "text/html; charset=utf-8" });
        res.end(
          html(
            "Lỗi đăng nhập",
            "<h1>Phiên đăng nhập đã hết hạn</h1><p>Hãy đăng nhập lại từ cổng báo cáo.</p>",
          ),
        );
      } else res.end();
    });
  });
  log(`development OpenID provider ready on ${issuer}`);

  let stopping: Promise<void> | undefined;
  return {
    issuer,
    clientId: PORTAL_CLIENT_ID,
    resource: LOCAL_API_RESOURCE,
    scope: PORTAL_REQUEST_SCOPE,
    port,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
