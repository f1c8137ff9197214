/**
 * Signing in as oneself (docs/portal.md#signing-in): OpenID Connect, authorization code with PKCE
 * (S256), through oidc-client-ts. The same code runs against the local development provider and
 * Amazon Cognito; what differs comes from `GET /v1/auth/config` when the page loads.
 *
 * Tokens live in the tab's sessionStorage only (the user and the sign-in state), never in
 * localStorage or cookies. Before the access token expires it is renewed with the refresh token
 * when the provider gave one; otherwise, or when renewal fails, the page asks for a new sign-in
 * (the provider's session usually makes that a round trip without a password).
 */
import { type User, UserManager, WebStorageStateStore } from "oidc-client-ts";
import { type AuthConfig, isAuthConfig } from "./auth-config";

export { type AuthConfig, isSignInCallback } from "./auth-config";

/** The page's address as the redirect URI: the portal's origin, wherever it is served from. */
export const redirectUri = (): string => `${window.location.origin}/`;

/** The provider's settings, or null when the API offers no sign-in (then only access codes work). */
export async function loadAuthConfig(): Promise<AuthConfig | null> {
  try {
    const response = await fetch("/v1/auth/config", { headers: { accept: "application/json" } });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    return isAuthConfig(body) ? body : null;
  } catch {
    return null;
  }
}

export interface PersonAuth {
  /** The signed-in person's tokens from this tab, or null (none, or the access token has expired). */
  currentUser(): Promise<User | null>;
  /** Leaves for the provider's sign-in page; `returnTo` (a query string) is restored afterwards. */
  signIn(returnTo: string): Promise<void>;
  /** Finishes a sign-in on the callback address: the user and the query string to return to. */
  completeSignIn(): Promise<{ user: User; returnTo: string }>;
  /** Forgets the tokens and ends the provider's session too (its logout page comes back here). */
  signOut(): Promise<void>;
  /** Forgets the tokens in this tab only (a callback that failed, a person refused by the API). */
  forget(): Promise<void>;
  /** Called with the renewed user after a silent renewal, and with null when the token expired. */
  onChange(listener: (user: User | null) => void): () => void;
}

export function createPersonAuth(config: AuthConfig): PersonAuth {
  const store = new WebStorageStateStore({ store: window.sessionStorage, prefix: "portal.oidc." });
  const resource = config.resource ? { resource: config.resource } : undefined;
  const manager = new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    post_logout_redirect_uri: redirectUri(),
    response_type: "code",
    scope: config.scope,
    userStore: store,
    stateStore: store,
    // The authorize request and the code exchange both name the resource (oidc-provider needs it at
    // the token endpoint to issue a JWT access token); renewals pass it below.
    ...(resource ? { extraQueryParams: resource, extraTokenParams: resource } : {}),
    // Renewal is driven below, so that it never falls back to a hidden iframe (the page's CSP
    // allows no frames, and third-party cookies make iframe renewal unreliable anyway).
    automaticSilentRenew: false,
    loadUserInfo: false,
    monitorSession: false,
  });

  const listeners = new Set<(user: User | null) => void>();
  const notify = (user: User | null) => {
    for (const listener of listeners) listener(user);
  };
  /** A new access token from the refresh token, or null (none, or refused by the provider). */
  const renew = async (): Promise<User | null> => {
    const user = await manager.getUser();
    if (!user?.refresh_token) return null;
    try {
      return await manager.signinSilent(resource ? { extraTokenParams: resource } : {});
    } catch {
      return null; // the provider's session ended: a new sign-in
    }
  };
  manager.events.addAccessTokenExpiring(async () => {
    const renewed = await renew();
    if (renewed) notify(renewed); // otherwise the expiry below asks for a new sign-in
  });
  manager.events.addAccessTokenExpired(() => notify(null));

  return {
    async currentUser() {
      const user = await manager.getUser();
      if (!user) return null;
      if (!user.expired) return user;
      const renewed = await renew(); // a tab reopened after the token expired
      if (!renewed) await manager.removeUser();
      return renewed;
    },
    async signIn(returnTo) {
      await manager.signinRedirect({ state: returnTo });
    },
    async completeSignIn() {
      const user = await manager.signinRedirectCallback(window.location.href);
      return { user, returnTo: typeof user.state === "string" ? user.state : "" };
    },
    async signOut() {
      const user = await manager.getUser();
      // A refresh token outlives the provider's session (Cognito's: 8 hours): revoked first, where
      // the provider offers revocation.
      if (user?.refresh_token) await manager.revokeTokens(["refresh_token"]).catch(() => undefined);
      if (config.logoutUrl) {
        // Cognito's /logout takes client_id and logout_uri, already in the URL; nothing else.
        await manager.removeUser();
        window.location.assign(config.logoutUrl);
        return;
      }
      try {
        await manager.signoutRedirect({
          post_logout_redirect_uri: redirectUri(),
          ...(user?.id_token ? { id_token_hint: user.id_token } : {}),
        });
      } catch {
        // A provider without an end-session endpoint (Cognito when no logoutUrl is configured):
        // this tab forgets the person at least.
        await manager.removeUser();
        window.location.assign(redirectUri());
      }
    },
    async forget() {
      await manager.removeUser();
      await manager.clearStaleState();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
