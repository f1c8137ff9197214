/**
 * The API, from the page's origin (the portal and the API share it, docs/portal.md). Every call sends
 * a bearer token: a signed-in person's access token (auth.ts), or an access code (a reader token),
 * which lives in sessionStorage only.
 */
import type { CommuneFigures, ProvinceFigures, ReportLink, UnitsInScope } from "./model";
import type { AuditPage, Grant, GrantChange, Me } from "./people";
import { apiBody, apiQuery, type ViewState } from "./view-state";

const TOKEN_KEY = "portal.accessCode";

export const accessCode = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (code: string): void => sessionStorage.setItem(TOKEN_KEY, code),
  forget: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/**
 * What a call sends as its bearer token: an access code, or a function answering the person's
 * current access token (renewed in place, so the views need not reload when it changes).
 */
export type Credential = string | (() => string);

/**
 * An answer other than 2xx; `status` 401 means the access code is wrong or expired. `details` is the
 * error object of the answer (e.g. `current` of a 412, `missing` of a 400 edition_incomplete).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A call to the API with its answer's headers (the editions' ETag). */
export async function request<T>(
  path: string,
  token: Credential,
  init: RequestInit = {},
): Promise<{ body: T; headers: Headers }> {
  const bearer = typeof token === "function" ? token() : token;
  const response = await fetch(path, {
    ...init,
    headers: { authorization: `Bearer ${bearer}`, accept: "application/json", ...init.headers },
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "http_error",
      error?.message ?? `HTTP ${response.status}`,
      error,
    );
  }
  return { body: body as T, headers: response.headers };
}

async function call<T>(path: string, token: Credential, init: RequestInit = {}): Promise<T> {
  return (await request<T>(path, token, init)).body;
}

type UnitView = ViewState & { unit: string };

export const api = {
  /** The units the code may read (at most `limit` communes: search the rest with `q`). */
  units: (token: Credential, year: number, search: { q?: string; limit?: number } = {}) => {
    const query = new URLSearchParams({ year: String(year) });
    if (search.q) query.set("q", search.q);
    if (search.limit) query.set("limit", String(search.limit));
    return call<UnitsInScope>(`/v1/units?${query}`, token);
  },
  figures: <T extends CommuneFigures | ProvinceFigures>(token: Credential, state: UnitView) =>
    call<T>(`/v1/figures?${apiQuery(state)}`, token),
  /** The built report's links, or null when none was built for this unit and period. */
  async reportLinks(token: Credential, state: UnitView): Promise<ReportLink[] | null> {
    try {
      const query = apiQuery(state);
      query.set("expiresIn", "3600");
      return (await call<{ reports: ReportLink[] }>(`/v1/reports?${query}`, token)).reports;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && error.code === "report_not_found") return null;
      throw error;
    }
  },
  /** Builds the report now, then answers its links. */
  async buildReport(token: Credential, state: UnitView): Promise<ReportLink[]> {
    const body = JSON.stringify({ ...apiBody(state), expiresIn: 3600 });
    const init = { method: "POST", body, headers: { "content-type": "application/json" } };
    return (await call<{ reports: ReportLink[] }>("/v1/reports", token, init)).reports;
  },
  /** The signed-in person as this product knows them (403 `no_grant`: signed in, but no grant). */
  me: (token: Credential) => call<Me>("/v1/me", token),
  /** The grants within one of the admin's units. */
  grants: async (token: Credential, unit: string) =>
    (await call<{ grants: Grant[] }>(`/v1/grants?unit=${encodeURIComponent(unit)}`, token)).grants,
  /** Grants a role (or changes it) by e-mail; the answer is the grant as stored. */
  putGrant: (token: Credential, email: string, change: GrantChange) =>
    call<Grant>(`/v1/grants/${encodeURIComponent(email)}`, token, {
      method: "PUT",
      body: JSON.stringify(change),
      headers: { "content-type": "application/json" },
    }),
  /** The newest audit records of a unit (admins of the unit). */
  audit: (token: Credential, unit: string, limit = 20) =>
    call<AuditPage>(`/v1/audit?unit=${encodeURIComponent(unit)}&limit=${limit}`, token),
  revokeGrant: (token: Credential, email: string) =>
    call<undefined>(`/v1/grants/${encodeURIComponent(email)}`, token, { method: "DELETE" }),
};
