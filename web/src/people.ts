/**
 * People as the page shows them (docs/portal.md#signing-in): the answers of `GET /v1/me` and
 * `GET /v1/grants`, and the roles in Vietnamese. The roles themselves are defined once, in
 * shared/people/roles.ts.
 */
import { ROLES, type Role } from "../../shared/people/roles";

export { ROLES, type Role };

/** `GET /v1/me`. */
export interface Me {
  name: string;
  role: Role;
  /** Commune and/or province codes, `"*"` for every unit. */
  units: string[];
}

/** One grant of `GET /v1/grants?unit=…`. */
export interface Grant {
  email: string;
  name?: string;
  role: Role;
  units: string[];
  disabled?: boolean;
  grantedBy?: string;
  grantedAt?: string;
}

/** The body of `PUT /v1/grants/{email}`. */
export interface GrantChange {
  role: Role;
  units: string[];
  name?: string;
}

/**
 * The roles as officials name the work they do in a one-stop office's reporting: reading the
 * figures, drafting the report, signing it for issue (the chairman's "ký ban hành"), administering.
 */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  viewer: "Xem số liệu",
  editor: "Soạn thảo báo cáo",
  issuer: "Ký ban hành",
  admin: "Quản trị",
};

/** What each role may do, in one line (the admin page's choice of roles). */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  viewer: "xem số liệu, báo cáo và tải tệp",
  editor: "như trên, và soạn các phần của báo cáo",
  issuer: "như trên, và ký ban hành báo cáo",
  admin: "như trên, và cấp, thu hồi quyền trong đơn vị của mình",
};

/** A unit code by its name in the list the API answered, the code itself when it is not there. */
export function unitName(
  code: string,
  units: { provinces: { code: string; name: string }[]; communes: { code: string; name: string }[] } | null,
): string {
  if (code === "*") return "Tất cả đơn vị";
  const found = units?.provinces.find((p) => p.code === code) ?? units?.communes.find((c) => c.code === code);
  return found ? found.name : `Đơn vị ${code}`;
}
