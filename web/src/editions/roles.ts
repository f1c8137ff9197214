/**
 * What a person may do with an edition, from their role (`GET /v1/me`). The roles and their order
 * are shared/people/caller.ts's `ROLES`, repeated here because that module's imports need Node's
 * types; test/unit/web-editions.test.ts checks the two lists are equal.
 */
export const ROLES = ["viewer", "editor", "issuer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const roleIncludes = (role: Role, needed: Role): boolean =>
  ROLES.indexOf(role) >= ROLES.indexOf(needed);

export interface EditionRights {
  edit: boolean;
  issue: boolean;
}

/** Editors write, issuers issue too; viewers and reader tokens read only. */
export function editionRights(role: Role | null): EditionRights {
  return {
    edit: role !== null && roleIncludes(role, "editor"),
    issue: role !== null && roleIncludes(role, "issuer"),
  };
}

export const ROLE_LABELS: Record<Role, string> = {
  viewer: "xem",
  editor: "soạn thảo",
  issuer: "ban hành",
  admin: "quản trị",
};
