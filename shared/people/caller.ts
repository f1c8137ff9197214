/**
 * Who is calling, once authenticated: the one type every route that reads a person or a reader
 * token works with (docs/people.md). A reader token (an access code) can only read; a person's
 * rights come from their grant, kept by this product (the identity provider only says who they are).
 *
 * Pure: no AWS, no HTTP. Verification of tokens lives in shared/people/ adapters; grants in DynamoDB.
 */
import { COMMUNE_CODE_PATTERN, PROVINCE_CODE_PATTERN } from "../domain/unit-codes";
import type { TokenScope } from "../reports/ports";

/** Roles, each including the one before. */
export const ROLES = ["viewer", "editor", "issuer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Person {
  /** `iss` of the verified access token. */
  readonly issuer: string;
  /** `sub` of the verified access token: the only personal identifier that may be logged. */
  readonly subject: string;
  /** Display name from the grant (never logged). */
  readonly name: string;
  readonly role: Role;
  /** Commune and/or province codes, `"*"` for all (command line only). */
  readonly units: readonly string[];
}

export type Caller =
  | { readonly kind: "reader-token"; readonly scope: TokenScope }
  | { readonly kind: "person"; readonly person: Person; readonly scope: TokenScope };

/** The scope of a person's grant in the shape reader tokens use: 2-digit codes are provinces. */
export function scopeOfUnits(units: readonly string[]): TokenScope {
  const provinces = units.filter((unit) => unit === "*" || PROVINCE_CODE_PATTERN.test(unit));
  const communes = units.filter((unit) => COMMUNE_CODE_PATTERN.test(unit));
  return { communes, provinces };
}

/** Whether `role` includes `needed` (viewer < editor < issuer < admin). */
export function roleIncludes(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The caller's role: a reader token is a viewer and never more. */
export function roleOf(caller: Caller): Role {
  return caller.kind === "person" ? caller.person.role : "viewer";
}

/** How a request's `Authorization` header was judged: a caller, or the refusal to answer. */
export type Authentication =
  | { readonly ok: true; readonly caller: Caller }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly code: "unauthorized" | "forbidden" | "no_grant";
      readonly message: string;
    };

/**
 * The port every handler that reads a person uses: a verified access token of the configured issuer
 * (with its grant) or an opaque reader token. Implemented once, shared by Lambda and the local stack.
 */
export interface Authenticator {
  authenticate(authorization: string | undefined, now: Date): Promise<Authentication>;
}
