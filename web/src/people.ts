/**
 * People as the page shows them (docs/portal.md#signing-in): the answers of `GET /v1/me` and
 * `GET /v1/grants`, and the roles in Vietnamese. The roles themselves are defined once, in
 * shared/people/roles.ts.
 */
import type { AuditAction, AuditRecord } from "../../shared/people/audit-record";
import { ROLES, type Role } from "../../shared/people/roles";
import { ApiError } from "./api";

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

/** `GET /v1/audit?unit=…`: newest first; `next` continues the list. */
export interface AuditPage {
  records: AuditRecord[];
  next?: string;
}

/** What an audit record says was done, in Vietnamese. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  "edition.create": "Tạo bản báo cáo",
  "edition.save": "Lưu bản báo cáo",
  "edition.issue": "Ký ban hành báo cáo",
  "edition.correct": "Đính chính báo cáo",
  "grant.put": "Cấp hoặc đổi quyền",
  "grant.revoke": "Thu hồi quyền",
};

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
  editor: "xem, và soạn các phần của báo cáo",
  issuer: "xem, soạn, và ký ban hành báo cáo",
  admin: "xem, soạn, ký, và cấp, thu hồi quyền trong đơn vị của mình",
};

/** Unit names by code, gathered from every `GET /v1/units` answer of the visit (any year). */
export type UnitNames = ReadonlyMap<string, string>;

/** The names of a `GET /v1/units` answer added to those known already. */
export function withUnitNames(
  known: UnitNames,
  units: { provinces: { code: string; name: string }[]; communes: { code: string; name: string }[] },
): UnitNames {
  const names = new Map(known);
  for (const unit of [...units.provinces, ...units.communes]) names.set(unit.code, unit.name);
  return names;
}

/**
 * A granted unit by name. A code the registry no longer has for the viewed year (a commune merged
 * on 1 July 2025) keeps the name it had in a year viewed before, or shows as its code.
 */
export function unitName(code: string, names: UnitNames): string {
  if (code === "*") return "Tất cả đơn vị";
  return names.get(code) ?? `mã ${code}`;
}

/** An API refusal in words, with its code for whoever helps. */
export function refusalMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return `Không kết nối được máy chủ: ${(error as Error).message}`;
  const reason =
    error.status === 401
      ? "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."
      : error.code === "forbidden"
        ? "Bạn không được làm thay đổi này: chỉ được cấp, đổi hay thu hồi quyền trong đơn vị mình quản trị, và không cấp quyền quản trị rộng hơn phạm vi của mình."
        : error.code === "no_grant"
          ? "Tài khoản của bạn chưa được cấp quyền."
          : error.status === 404
            ? "Không có quyền nào được cấp cho địa chỉ thư điện tử này."
            : error.status === 400
              ? `Thông tin chưa hợp lệ (${error.message}).`
              : `Máy chủ không thực hiện được (${error.message}).`;
  return `${reason} [mã lỗi: ${error.code}]`;
}

/** A moment as officials read it: Vietnam's time, short date and time. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" });
}
