/** What a person may do with an edition, from their role (`GET /v1/me`, shared/people/roles.ts). */
import { ROLES, type Role } from "../../../shared/people/roles";

const includes = (role: Role, needed: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(needed);

export interface EditionRights {
  edit: boolean;
  issue: boolean;
}

/** Editors write, issuers issue too; viewers and access codes (no person: null) read only. */
export function editionRights(role: Role | null): EditionRights {
  return {
    edit: role !== null && includes(role, "editor"),
    issue: role !== null && includes(role, "issuer"),
  };
}
