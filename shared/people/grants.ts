/**
 * Grants (docs/people.md#grants): what a signed-in person may do, kept by this product. The
 * identity provider only says who someone is; a grant names an e-mail, a role and units, and binds
 * to the provider's `issuer + sub` at the person's first sign-in with that verified e-mail.
 *
 * The scope rules of granting live here, once. Granting has no period: scopes are compared over the
 * unit registry's whole history, so a province covers every commune ever placed in it, old codes
 * included (province 30, Hải Dương, covers 10618 and 10621 though both were merged in 2025).
 * Pure: no AWS, no HTTP.
 */
import * as z from "zod";
import { communeCodeSchema, provinceCodeSchema } from "../domain/unit-codes";
import {
  communeExists,
  findProvince,
  NEW_UNITS_VALID_FROM,
  OLD_UNITS_VALID_TO,
  provinceOf,
} from "../units/registry";
import { type Person, ROLES, type Role, roleIncludes } from "./caller";

export interface Grant {
  /** Lower-cased; the key of the grant. */
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly units: readonly string[];
  /** Who made or last changed it: the admin's `sub` (or `cli:<operator>` for the command line). */
  readonly grantedBy: string;
  /** RFC 3339. */
  readonly grantedAt: string;
  readonly disabled: boolean;
  /** Set at the first sign-in whose verified e-mail matches. */
  readonly issuer?: string;
  readonly subject?: string;
}

/** The display name of a grant made without one: never the e-mail, which would then show in
 * `savedBy`, `issued.by`, the audit and the province panel. */
export const UNNAMED_PERSON = "Người dùng chưa đặt tên";

/** The fields of a grant as the API shows them (never the binding). */
export function publicGrant(grant: Grant) {
  return {
    email: grant.email,
    name: grant.name,
    role: grant.role,
    units: [...grant.units],
    disabled: grant.disabled,
    grantedBy: grant.grantedBy,
    grantedAt: grant.grantedAt,
  };
}

/** At most this many units in one grant (each is one audit record of the same transaction). */
export const MAX_GRANT_UNITS = 40;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .email("an e-mail address")
  .transform(normalizeEmail)
  .meta({ example: "cb.quoctuan@demo.example.org" });

const unitSchema = z.union([communeCodeSchema, provinceCodeSchema]);

/** `PUT /v1/grants/{email}`: the role, the units (commune or province codes), an optional name. */
export const grantBodySchema = z
  .object({
    role: z.enum(ROLES),
    units: z.array(unitSchema).min(1).max(MAX_GRANT_UNITS),
    name: z.string().trim().min(1).max(200).optional(),
    /** A disabled grant answers 403 `forbidden` at once, whatever tokens the person holds. */
    disabled: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "GrantBody" });
export type GrantBody = z.infer<typeof grantBodySchema>;

const EVER = [OLD_UNITS_VALID_TO, NEW_UNITS_VALID_FROM] as const;

/** Whether the registry knows the code as a commune or a province, before or after 2025. */
export function isKnownUnit(code: string): boolean {
  return EVER.some((date) => communeExists(code, date) || findProvince(code, date) !== undefined);
}

/** Whether `unit` (a commune or province code) lies within `scope` over the registry's history. */
export function unitWithin(scope: readonly string[], unit: string): boolean {
  if (scope.includes("*") || scope.includes(unit)) return true;
  if (unit === "*") return false;
  // A commune within a province that ever held it; a province is only within itself (or "*").
  return EVER.some((date) => {
    const province = provinceOf(unit, date);
    return province !== undefined && scope.includes(province);
  });
}

export function unitsWithin(scope: readonly string[], units: readonly string[]): boolean {
  return units.every((unit) => unitWithin(scope, unit));
}

/** Why an admin may not make or change a grant, or undefined when it may. */
export function refusalToGrant(
  admin: Pick<Person, "role" | "units">,
  body: { readonly role: Role; readonly units: readonly string[] },
  existing: Pick<Grant, "units" | "role"> | undefined,
): string | undefined {
  if (!roleIncludes(admin.role, "admin")) return "only admins grant roles";
  const outside = body.units.filter((unit) => !unitWithin(admin.units, unit));
  if (outside.length > 0) return `units ${outside.join(", ")} are outside your grant`;
  if (existing && !unitsWithin(admin.units, existing.units)) {
    return "the existing grant names units outside your grant";
  }
  return undefined;
}

/** Why an admin may not revoke a grant, or undefined when it may. */
export function refusalToRevoke(
  admin: Pick<Person, "role" | "units">,
  existing: Pick<Grant, "units">,
): string | undefined {
  if (!roleIncludes(admin.role, "admin")) return "only admins revoke roles";
  if (!unitsWithin(admin.units, existing.units)) return "the grant names units outside your grant";
  return undefined;
}

/** Whether a person may read the grants (or audit) of `unit`: admins whose units cover it. */
export function mayAdministerUnit(person: Pick<Person, "role" | "units">, unit: string): boolean {
  return roleIncludes(person.role, "admin") && unitWithin(person.units, unit);
}

/** A grant's units an admin may see: those within the admin's own (a grant can also name another
 * province's units, which are not that admin's business). */
export function unitsSeenBy(admin: Pick<Person, "units">, units: readonly string[]): string[] {
  return units.filter((unit) => unitWithin(admin.units, unit));
}

/** An audit record as an admin sees it: `detail.units` cut to the admin's units like a grant's. */
export function auditSeenBy<R extends { readonly detail?: Readonly<Record<string, unknown>> }>(
  admin: Pick<Person, "units">,
  record: R,
): R {
  const units = record.detail?.units;
  if (!Array.isArray(units)) return record;
  return { ...record, detail: { ...record.detail, units: unitsSeenBy(admin, units as string[]) } };
}

/** The grants listed for an admin asking about `unit`: those naming a unit within `unit`. */
export function grantsOfUnit(grants: readonly Grant[], unit: string): Grant[] {
  return grants.filter((grant) => grant.units.some((u) => unitWithin([unit], u)));
}
