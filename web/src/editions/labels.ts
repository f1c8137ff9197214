/**
 * The fields of an edition in words, for the form, the conflict dialog and the issue dialog
 * (`missing` of a 400 edition_incomplete names fields as `document.date`). Pure.
 */
import { formatCount, formatDate } from "../format";
import { type FieldKey, type FieldValue, fieldGroup, fieldName } from "./fields";
import type { DocumentField, NumberName } from "./model";
import { SECTIONS } from "./sections";

export const NUMBER_LABELS: Record<NumberName, string> = {
  procedures: "Số thủ tục hành chính thuộc thẩm quyền giải quyết",
  vertical: "Thủ tục hành chính theo ngành dọc",
  proceduresChanged: "Thủ tục hành chính mới ban hành, bãi bỏ, sửa đổi trong năm",
  publications: "Số văn bản công khai thủ tục hành chính",
  reviewed: "Rà soát thủ tục hành chính",
  proposals: "Danh sách thủ tục hành chính kiến nghị",
  initiatives: "Số sáng kiến cải cách thủ tục hành chính",
  inspections: "Số cuộc kiểm tra việc kiểm soát thủ tục hành chính",
};

/** The parts of the numbers that are groups, in the order the seed states them. */
export const NUMBER_PARTS: Partial<Record<NumberName, { name: string; label: string }[]>> = {
  procedures: [
    { name: "total", label: "Tổng số" },
    { name: "central", label: "Do trung ương quy định" },
    { name: "provincial", label: "Do tỉnh quy định" },
  ],
  vertical: [
    { name: "total", label: "Tổng số" },
    { name: "police", label: "Công an" },
    { name: "military", label: "Quân sự" },
  ],
  proceduresChanged: [
    { name: "issued", label: "Mới ban hành" },
    { name: "abolished", label: "Bị bãi bỏ" },
    { name: "amended", label: "Sửa đổi, bổ sung" },
  ],
  reviewed: [
    { name: "procedures", label: "Số thủ tục được rà soát" },
    { name: "fields", label: "Số lĩnh vực" },
  ],
  proposals: [
    { name: "new", label: "Kiến nghị ban hành mới" },
    { name: "abolish", label: "Kiến nghị bãi bỏ" },
    { name: "simplify", label: "Kiến nghị đơn giản hóa" },
  ],
};

/** The numbers typed beside each section (the seed states them there). */
export const NUMBERS_BY_SECTION: Record<string, NumberName[]> = {
  "I.1": ["procedures", "vertical", "proceduresChanged", "publications"],
  "I.2": ["reviewed", "proposals"],
  "I.8": ["initiatives"],
  "I.9": ["inspections"],
};

export const DOCUMENT_LABELS: Record<DocumentField, string> = {
  number: "Số văn bản",
  place: "Địa danh",
  date: "Ngày ban hành",
  recipients: "Nơi nhận",
  authority: "Thẩm quyền ký",
  signerTitle: "Chức vụ người ký",
  signerName: "Họ và tên người ký",
  preparerName: "Người lập biểu (phụ lục)",
};

/** A field in words: "Mục I.4: 4. Về tình hình…", "Số văn bản", "Rà soát thủ tục hành chính". */
export function fieldLabel(key: FieldKey): string {
  const name = fieldName(key);
  switch (fieldGroup(key)) {
    case "texts": {
      const section = SECTIONS.find((s) => s.id === name);
      return section ? `Mục ${section.id}: ${section.title}` : `Mục ${name}`;
    }
    case "numbers":
      return NUMBER_LABELS[name as NumberName] ?? name;
    case "document":
      return DOCUMENT_LABELS[name as DocumentField] ?? name;
  }
}

/** A `missing` entry of 400 edition_incomplete (`document.date`, or a key as the page names it). */
export function missingLabel(missing: string): string {
  const [group, ...rest] = missing.split(".");
  const name = rest.join(".");
  if (group === "document" && name in DOCUMENT_LABELS) return DOCUMENT_LABELS[name as DocumentField];
  if (group === "numbers" && name in NUMBER_LABELS) return NUMBER_LABELS[name as NumberName];
  const section = SECTIONS.find((s) => s.id === missing);
  return section ? `Mục ${section.id}: ${section.title}` : missing;
}

/** A field's value in words, for the conflict dialog ("(trống)" when nothing is written). */
export function valueInWords(key: FieldKey, value: FieldValue): string {
  if (value === null || value === undefined || value === "") return "(trống)";
  const name = fieldName(key);
  if (typeof value === "string") return key === "document:date" ? formatDate(value) : value;
  if (typeof value === "number") return formatCount(value);
  if (Array.isArray(value)) return value.length === 0 ? "không có" : value.join("; ");
  const parts = NUMBER_PARTS[name as NumberName] ?? [];
  return Object.entries(value as Record<string, unknown>)
    .map(([part, v]) => {
      const label = parts.find((p) => p.name === part)?.label ?? part;
      const shown = Array.isArray(v)
        ? v.length === 0
          ? "không có"
          : v.join(", ")
        : formatCount(v as number);
      return `${label}: ${shown}`;
    })
    .join("; ");
}

/** Where a 400 points (`path`: `texts.I.1`, `document.date`, `numbers.procedures.total`), in words. */
export function pathLabel(path: string): string {
  const [group, name = "", part] = path.startsWith("texts.")
    ? ["texts", path.slice("texts.".length)]
    : path.split(".");
  if (group === "numbers" && name in NUMBER_LABELS) {
    const partLabel = NUMBER_PARTS[name as NumberName]?.find((p) => p.name === part)?.label;
    return partLabel
      ? `${NUMBER_LABELS[name as NumberName]}: ${partLabel}`
      : NUMBER_LABELS[name as NumberName];
  }
  return missingLabel(group === "texts" ? name : `${group}.${name}`);
}

const REFUSALS: Record<string, string> = {
  edition_too_large: "Báo cáo vượt quá 200 KB: hãy rút gọn bớt nội dung.",
  payload_too_large: "Nội dung gửi đi quá lớn.",
  forbidden: "Bạn không có quyền này với báo cáo của đơn vị này.",
  no_grant: "Bạn chưa được cấp quyền trong hệ thống: hãy liên hệ quản trị của đơn vị.",
  unauthorized: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
  unit_not_found: "Không có đơn vị này trong danh mục đơn vị hành chính của kỳ báo cáo.",
  edition_not_found: "Chưa có bản soạn báo cáo cho kỳ này.",
  edition_exists: "Đã có bản soạn báo cáo cho kỳ này.",
  edition_issued: "Báo cáo đã được ban hành, không sửa được nữa: hãy lập bản đính chính.",
  edition_not_issued: "Chỉ báo cáo đã ban hành mới lập được bản đính chính.",
  edition_conflict: "Đã có phiên bản mới hơn do người khác lưu.",
  precondition_required: "Thiếu phiên bản gốc của thay đổi (If-Match).",
};

/** A refused request in words (the code stays, for whoever helps). */
export function refusalText(code: string, path?: string): string {
  if (code === "invalid_body") {
    return `Nội dung chưa hợp lệ${path ? ` ở "${pathLabel(path)}"` : ""} (mã ${code}).`;
  }
  return REFUSALS[code] ?? `Máy chủ từ chối yêu cầu (mã ${code}).`;
}
